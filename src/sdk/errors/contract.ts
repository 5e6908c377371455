import type { AbiParameterToPrimitiveType, ContractErrorArgs, Hex } from "viem";
import type { ProvledgerErrorName, provledgerErrorAbi } from "../abi";
import { ProvledgerError, type ProvledgerErrorOptions } from "./base";

export type { ProvledgerErrorName };
/** The error's arguments as a tuple, typed from the ABI (uint8..uint48 are numbers, wider integers bigints). */
export type ProvledgerErrorArgs<N extends ProvledgerErrorName> = ContractErrorArgs<typeof provledgerErrorAbi, N>;
type ErrorItem<N> = Extract<(typeof provledgerErrorAbi)[number], { type: "error"; name: N }>;
/** The error's arguments by parameter name. */
export type ProvledgerErrorParams<N extends ProvledgerErrorName> = N extends ProvledgerErrorName
  ? { [P in ErrorItem<N>["inputs"][number] as P["name"]]: AbiParameterToPrimitiveType<P> }
  : never;

/**
 * A revert with one of the contracts' errors (or Solidity's `Error(string)`/`Panic(uint256)`); `code` is the Solidity
 * error's name. Never retryable: the same call on the same state reverts again.
 */
export class ContractRevertError<N extends ProvledgerErrorName = ProvledgerErrorName> extends ProvledgerError<N> {
  override name = "ContractRevertError";
  /** The error's arguments in declaration order, typed from the ABI. */
  readonly args: ProvledgerErrorArgs<N>;
  /** The same arguments by name. */
  readonly params: ProvledgerErrorParams<N>;
  /** The raw revert data. */
  readonly data: Hex;

  constructor(
    code: N,
    message: string,
    details: { args: ProvledgerErrorArgs<N>; params: ProvledgerErrorParams<N>; data: Hex },
    options: Pick<ProvledgerErrorOptions, "cause" | "action"> = {},
  ) {
    super(code, message, options);
    this.args = details.args;
    this.params = details.params;
    this.data = details.data;
  }
}

/** A revert whose data none of the Provledger contracts defines (or with no data); the data is kept. */
export class UnknownRevertError extends ProvledgerError<"UnknownRevert"> {
  override name = "UnknownRevertError";
  readonly data: Hex;

  constructor(data: Hex, options: Pick<ProvledgerErrorOptions, "cause" | "action"> = {}) {
    const message =
      data === "0x"
        ? "the call reverted without giving a reason (no revert data): the address may not be the Provledger " +
          "contract this action needs, the transaction may have run out of gas, or the node hides revert data; " +
          "check the deployment addresses and the gas limit"
        : `the call reverted with error ${data.slice(0, 10)}, which none of the Provledger contracts defines ` +
          `(revert data ${data}): the address is probably not part of this deployment, or src/sdk/abi/generated.ts ` +
          "is older than the deployed contracts (run `npm run abi`)";
    super("UnknownRevert", message, options);
    this.data = data;
  }
}

/** Whether `error` is the contract error `name`; narrows `args` and `params` to that error's types. */
export function isContractError<N extends ProvledgerErrorName>(
  error: unknown,
  name: N,
): error is ContractRevertError<N> {
  return error instanceof ContractRevertError && error.code === name;
}
