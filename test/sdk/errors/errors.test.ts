import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CallExecutionError,
  ContractFunctionRevertedError,
  HttpRequestError,
  LimitExceededRpcError,
  TimeoutError,
  createPublicClient,
  createWalletClient,
  custom,
  encodeErrorResult,
  getAddress,
  keccak256,
  stringToHex,
  type Abi,
  type AbiParameter,
  type Hex,
} from "viem";
import { deployProvledger } from "../../../scripts/deploy";
import * as sdk from "../../../src/sdk";
import {
  ContractRevertError,
  InvalidInputError,
  ProvledgerClientError,
  ProvledgerError,
  Role,
  UnknownRevertError,
  checkAddress,
  createProvledgerClient,
  checkTime,
  decodeJurisdiction,
  decodeProvledgerError,
  encodeJurisdiction,
  formatBlockTime,
  isContractError,
  isRetryableError,
  jurisdictionLabel,
  provledgerErrorAbi,
  revertDataOf,
  type ProvledgerAddresses,
} from "../../../src/sdk";

const transport = custom(hre.network.provider, { retryCount: 0 });
const publicClient = createPublicClient({ transport, pollingInterval: 10 });

type AbiError = Extract<Abi[number], { type: "error" }>;

function h(label: string): Hex {
  return keccak256(stringToHex(`provledger-errors-test:${label}`));
}

/** A deployment with organisation 1 = CN-GD/Open Data Bureau and 2 = HK/HK Statistics, for the look-ups. */
async function deployment(): Promise<ProvledgerAddresses> {
  const contracts = await deployProvledger(0);
  const addresses: ProvledgerAddresses = {
    registry: getAddress(await contracts.registry.getAddress()),
    ledger: getAddress(await contracts.ledger.getAddress()),
    rights: getAddress(await contracts.rights.getAddress()),
  };
  const [governance, agency] = await hre.ethers.getSigners();
  const gov = createProvledgerClient({
    publicClient,
    walletClient: createWalletClient({ transport, account: getAddress(governance.address) }),
    addresses,
  });
  await gov.registerOrganization({
    name: "Open Data Bureau",
    jurisdiction: "CN-GD",
    roles: Role.REGISTRAR,
    operators: [getAddress(agency.address)],
  });
  await gov.registerOrganization({ name: "HK Statistics", jurisdiction: "HK", roles: Role.REGISTRAR });
  return addresses;
}

/** A plausible value of each parameter type: organisation 1, CN-GD then HK, a time in 2027, enum member 2. */
function sampleArgs(error: AbiError): unknown[] {
  let bytes8 = 0;
  return error.inputs.map((input: AbiParameter) => {
    switch (input.type) {
      case "address":
        return "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
      case "bytes32":
        return h(`${error.name}.${input.name}`);
      case "bytes8":
        return encodeJurisdiction(bytes8++ === 0 ? "CN-GD" : "HK");
      case "string":
        return "a reason";
      case "uint8":
        return 2;
      case "uint32":
        return 1;
      case "uint40":
      case "uint48":
        return 1_800_000_000;
      default:
        return 3n;
    }
  });
}

const errorItems = (provledgerErrorAbi as Abi).filter(
  (item, i, all): item is AbiError =>
    item.type === "error" && all.findIndex((other) => other.type === "error" && other.name === item.name) === i,
);

describe("SDK errors", () => {
  it("has a plain-language message, naming cause and fix, for every error of the three contracts", async () => {
    const addresses = await loadFixture(deployment);
    expect(errorItems.length).to.be.greaterThan(70);
    for (const item of errorItems) {
      const data = encodeErrorResult({ abi: [item], errorName: item.name, args: sampleArgs(item) });
      for (const context of [{}, { publicClient, addresses }]) {
        const error = await decodeProvledgerError(data, context);
        expect(error, item.name).to.be.instanceOf(ContractRevertError);
        expect(error.code).to.equal(item.name);
        expect(error.name).to.equal("ContractRevertError");
        expect(error.retryable, item.name).to.equal(false);
        expect(error.shortMessage.length, item.name).to.be.greaterThan(10);
        expect(error.details, `${item.name}: the fix`).to.be.a("string").with.length.greaterThan(10);
        expect(error.message, item.name).to.include(error.shortMessage).and.include(error.details!);
        expect(isContractError(error, item.name as never)).to.equal(true);
        const message = error.message;
        expect(message, item.name).to.match(/^[^:]{3,}[:;]/);
        expect(message.length, `${item.name}: ${message}`).to.be.greaterThan(40);
        expect(message, item.name).not.to.include(data);
        expect(message, item.name).not.to.include(data.slice(0, 10));
        expect(message, `${item.name}: ${message}`).not.to.match(/undefined|NaN|\[object|null/);
        if ("publicClient" in context) {
          // With a node, organisations are named, never "organisation 1".
          expect(message, `${item.name}: ${message}`).not.to.match(/\borganisation 1\b/);
        }
      }
    }
  });

  it("names organisations, decodes enums, jurisdictions and times", async () => {
    const addresses = await loadFixture(deployment);
    const context = { publicClient, addresses };
    const decode = async (errorName: string, args: readonly unknown[]) =>
      (
        await decodeProvledgerError(
          encodeErrorResult({ abi: provledgerErrorAbi as Abi, errorName, args: args as unknown[] }),
          context,
        )
      ).message;
    const fp = h("record");
    const CN = encodeJurisdiction("CN-GD");
    const HK = encodeJurisdiction("HK");

    expect(await decode("CrossBorderForbidden", [fp, 3, CN, HK])).to.equal(
      `${fp} is core data, which may not leave CN-GD for HK: grant or sell it only within CN-GD`,
    );
    expect(await decode("GrantOutstanding", [fp, 2, 5n, 2])).to.include(
      `HK/HK Statistics (org 2) already holds grant #5 on ${fp} (Active)`,
    );
    expect(await decode("OfferNotOpen", [9n, 5])).to.include("offer #9 is Completed, not open");
    expect(await decode("OfferExpired", [9n, 1_800_000_000])).to.equal(
      "offer #9 expired at 2027-01-15T08:00:00Z (block time): ask the owner for a new offer",
    );
    expect(await decode("StatusUnchanged", [1, 1])).to.equal(
      "CN-GD/Open Data Bureau (org 1) is already active: nothing to change",
    );
    expect(await decode("OrganizationLacksRole", [2, Role.TRADER])).to.include(
      "HK/HK Statistics (org 2) does not hold the trader role this action needs (it holds: registrar)",
    );
    expect(await decode("OrganizationNotActive", [7])).to.equal(
      "organisation 7 does not exist: check the organisation id",
    );
    expect(await decode("NotGovernance", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"])).to.include(
      `(governance is ${getAddress((await hre.ethers.getSigners())[0].address)})`,
    );
    // The record does not exist here, so the refusal names no owner; the reason is still named.
    expect(await decode("DerivationRefused", [fp, 2, 13, 4n])).to.equal(
      `HK/HK Statistics (org 2) may not derive from ${fp}: CustomsApprovalMissing: deriving now crosses a border ` +
        "that needs the approval of data customs in its owner's jurisdiction, which grant #4 never had; ask its " +
        "owner to revoke and re-issue it, so that customs can review it",
    );
    expect(await decode("Panic", [0x11n])).to.include("an arithmetic operation overflowed (panic 0x11)");
    expect(await decode("Error", ["paused"])).to.include('the contract refused with the reason "paused"');
    expect(await decode("AccessControlUnauthorizedAccount", [addresses.ledger, `0x${"00".repeat(32)}`])).to.include(
      "lacks the role DEFAULT_ADMIN_ROLE (governance)",
    );
  });

  it("finds revert data wherever viem, ethers or a node put it", async () => {
    const data = encodeErrorResult({ abi: provledgerErrorAbi as Abi, errorName: "UnknownRecord", args: [h("x")] });
    const viemError = new ContractFunctionRevertedError({ abi: [], data, functionName: "getRecord" });
    const shapes: unknown[] = [
      data,
      viemError,
      { cause: { cause: { data } } },
      { error: { data: { data } } },
      { code: "CALL_EXCEPTION", info: { error: { data } } },
    ];
    for (const shape of shapes) {
      expect(revertDataOf(shape)).to.equal(data);
      const error = await decodeProvledgerError(shape, { action: "getRecord" });
      expect(error.code).to.equal("UnknownRecord");
      expect(error.action).to.equal("getRecord");
      expect(error.cause).to.equal(shape);
    }
  });

  it("keeps the data of reverts it cannot decode, and says so plainly", async () => {
    const foreign = `0xdeadbeef${"00".repeat(31)}01` as Hex;
    const unknown = await decodeProvledgerError(foreign);
    expect(unknown).to.be.instanceOf(UnknownRevertError);
    expect((unknown as UnknownRevertError).data).to.equal(foreign);
    expect(unknown.code).to.equal("UnknownRevert");
    expect(unknown.message).to.equal(
      `the call reverted with error 0xdeadbeef, which none of the Provledger contracts defines (revert data ` +
        `${foreign}): the address is probably not part of this deployment, or src/sdk/abi/generated.ts is older than the ` +
        "deployed contracts (run `npm run abi`)",
    );
    const empty = await decodeProvledgerError({ data: "0x" });
    expect(empty.code).to.equal("UnknownRevert");
    expect(empty.message).to.match(/^the call reverted without giving a reason \(no revert data\)/);

    const network = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8545"), { code: "ECONNREFUSED" });
    const failed = await decodeProvledgerError(network, { action: "register" });
    expect(failed).to.be.instanceOf(ProvledgerClientError);
    expect(failed.code).to.equal("RequestFailed");
    expect(failed.cause).to.equal(network);
    expect(failed.retryable).to.equal(true);
    expect(failed.shortMessage).to.equal(
      "register: the request failed before reaching a contract (connect ECONNREFUSED 127.0.0.1:8545)",
    );
    expect(failed.details).to.equal(
      "the node or the network failed for now: retry later, and check that the node is up and reachable",
    );

    const refused = await decodeProvledgerError(new Error("insufficient funds for gas"), { action: "register" });
    expect(refused.code).to.equal("RequestFailed");
    expect(refused.retryable).to.equal(false);
    expect(refused.message).to.equal(
      "register: the request failed before reaching a contract (insufficient funds for gas); check the node's URL, " +
        "the signing account and its funds",
    );
  });

  it("tells transient faults from final ones, through viem's chain of causes", async () => {
    const url = "http://127.0.0.1:1";
    const transient = [
      new HttpRequestError({ url, status: 503 }),
      new HttpRequestError({ url, status: 429 }),
      new HttpRequestError({ url }),
      new TimeoutError({ body: {}, url }),
      new LimitExceededRpcError(new Error("too many results")),
      new CallExecutionError(new HttpRequestError({ url, status: 502 }), {}),
    ];
    for (const fault of transient) {
      const error = await decodeProvledgerError(fault);
      expect(error.retryable, fault.shortMessage).to.equal(true);
      expect(isRetryableError(error)).to.equal(true);
    }
    // The same faults thrown by another copy of viem (an ES-module program's), whose classes are not ours.
    const foreign = (name: string, fields: object, cause?: unknown) =>
      Object.assign(new Error(`${name} from another viem`, { cause }), { name, shortMessage: `${name}!` }, fields);
    for (const fault of [
      foreign("HttpRequestError", { status: 503 }),
      foreign("TimeoutError", {}),
      foreign("CallExecutionError", {}, foreign("HttpRequestError", { status: 429 })),
      foreign("LimitExceededRpcError", { code: -32005 }),
    ]) {
      const error = await decodeProvledgerError(fault);
      expect(error.retryable, fault.name).to.equal(true);
      expect(error.shortMessage).to.include(`${fault.name}!`);
    }
    expect((await decodeProvledgerError(foreign("HttpRequestError", { status: 401 }))).retryable).to.equal(false);
    expect((await decodeProvledgerError(foreign("UserRejectedRequestError", { code: 4001 }))).retryable).to.equal(
      false,
    );
    for (const fault of [new HttpRequestError({ url, status: 400 }), new Error("user rejected the request")]) {
      expect((await decodeProvledgerError(fault)).retryable).to.equal(false);
    }
    const revert = await decodeProvledgerError(
      encodeErrorResult({ abi: provledgerErrorAbi as Abi, errorName: "NotRecordOwner", args: [h("r"), 1, 2] }),
    );
    expect(isRetryableError(revert)).to.equal(false);
    expect(isRetryableError(new Error("not ours"))).to.equal(false);
  });

  it("exports every error class from the root under ProvledgerError, each with its section in docs/errors.md", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "..", "docs", "errors.md"), "utf8");
    const anchors = new Set([...docs.matchAll(/^#+ (\w+)/gm)].map((match) => match[1]));
    const classes = Object.entries(sdk as Record<string, unknown>).filter(
      (entry): entry is [string, { prototype: object }] =>
        typeof entry[1] === "function" && (entry[1] === ProvledgerError || entry[1].prototype instanceof Error),
    );
    expect(classes.length).to.be.at.least(15);
    for (const [name, value] of classes) {
      expect(value === ProvledgerError || value.prototype instanceof ProvledgerError, `${name} extends it`).to.equal(
        true,
      );
      expect(anchors.has(name), `docs/errors.md has a section "${name}"`).to.equal(true);
    }
  });

  it("roots every error in ProvledgerError: name is the class, code PascalCase, docs path in docs/errors.md", async () => {
    const docs = readFileSync(join(__dirname, "..", "..", "..", "docs", "errors.md"), "utf8");
    const anchors = new Set([...docs.matchAll(/^#+ (\w+)/gm)].map((match) => match[1].toLowerCase()));
    const samples: ProvledgerError[] = [
      new InvalidInputError("fingerprint", "0x12", "must be 32 bytes"),
      new ProvledgerClientError("NoContract", "no contract at 0x1: check the addresses"),
      new UnknownRevertError("0x"),
      await decodeProvledgerError(
        encodeErrorResult({ abi: provledgerErrorAbi as Abi, errorName: "NotRecordOwner", args: [h("r"), 1, 2] }),
      ),
    ];
    for (const error of samples) {
      expect(error).to.be.instanceOf(ProvledgerError).and.instanceOf(Error);
      expect(error.name).to.equal(error.constructor.name);
      expect(error.code).to.match(/^[A-Z][A-Za-z0-9]+$/);
      expect(error.docsPath).to.equal(`docs/errors.md#${error.name.toLowerCase()}`);
      expect(anchors.has(error.name.toLowerCase()), `docs/errors.md has a section ${error.name}`).to.equal(true);
      expect(error.walk()).to.not.equal(undefined);
    }
  });

  it("still explains when the node cannot answer the look-ups", async () => {
    const down = createPublicClient({
      transport: custom({ request: () => Promise.reject(new Error("node down")) }, { retryCount: 0 }),
    });
    const data = encodeErrorResult({
      abi: provledgerErrorAbi as Abi,
      errorName: "NotRecordOwner",
      args: [h("r"), 1, 2],
    });
    const error = await decodeProvledgerError(data, {
      publicClient: down,
      addresses: { ledger: h("x").slice(0, 42) as Hex },
    });
    expect(error.message).to.equal(
      `record ${h("r")} is owned by organisation 1, not by organisation 2: only an operator of the owning ` +
        "organisation may do this",
    );
  });

  it("checks inputs and formats values", () => {
    expect(decodeJurisdiction(encodeJurisdiction("CN-GD"))).to.equal("CN-GD");
    expect(encodeJurisdiction("HK")).to.equal("0x484b000000000000");
    expect(decodeJurisdiction("0x0000000000000000")).to.equal(null);
    expect(jurisdictionLabel("0x0000000000000000")).to.equal("(no jurisdiction)");
    expect(decodeJurisdiction("0xff00000000000000")).to.equal("0xff00000000000000");
    expect(() => encodeJurisdiction("CN GUANGDONG")).to.throw(InvalidInputError, "jurisdiction must be 1 to 8");
    expect(formatBlockTime(0)).to.equal("1970-01-01T00:00:00Z");
    expect(formatBlockTime(1_800_000_000n)).to.equal("2027-01-15T08:00:00Z");
    expect(checkTime(new Date("2027-01-15T08:00:00Z"), 40, "t")).to.equal(1_800_000_000n);
    expect(checkAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "a")).to.equal(
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    );
    expect(() => checkAddress("0x70997970C51812DC3A010C7d01b50e0d17dc79C8", "operator")).to.throw(
      InvalidInputError,
      "operator has an invalid EIP-55 checksum: copy the address again",
    );
  });
});
