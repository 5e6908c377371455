/**
 * QBFT's genesis extraData with block-header validator selection, as Besu's docs define it
 * (docs/private-networks/how-to/configure/consensus/qbft.md, "Extra data"):
 * `RLP([32 bytes vanity, List<Validators>, No Vote, Round=Int(0), 0 Seals])`. The empty vote is an empty list, the
 * round 0 an empty byte string (RLP's canonical integer 0, `0x80`), the seals an empty list.
 */
import { getAddress, toRlp, type Address, type Hex } from "viem";

const VANITY: Hex = `0x${"00".repeat(32)}`;

/** The extraData for `validators`, in the order given (Besu's tools take them in ascending order: see sortValidators). */
export function qbftExtraData(validators: readonly Address[]): Hex {
  return toRlp([VANITY, validators.map((address) => getAddress(address).toLowerCase() as Hex), [], "0x", []]);
}

/** Ascending by address bytes, the order Besu's docs ask for. */
export function sortValidators(validators: readonly Address[]): Address[] {
  return [...validators].sort((a, b) =>
    a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0,
  );
}
