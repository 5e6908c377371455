import { expect } from "chai";
import hre from "hardhat";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createWalletClient, encodeFunctionData, zeroHash, type Address, type Hex } from "viem";
import {
  DataClass,
  InvalidInputError,
  createProvledgerClient,
  createProvledgerCoreClient,
  fromEip1193,
  isContractError,
  ledgerActions,
  provenanceLedgerAbi,
  type Eip1193Provider,
  type ProvledgerCoreClient,
} from "../../../src/sdk";
import { getRecord } from "../../../src/sdk/actions";
import {
  AGENCY,
  CHAIN_ID,
  HK_AGENCY,
  badChecksum,
  h,
  hardhat,
  publicClient,
  rejection,
  transport,
  world,
} from "./world";

const SDK = join(__dirname, "..", "..", "..", "src", "sdk");
const PARTS = ["registry", "ledger", "rights"] as const;

/** Every action file's name, by part: src/sdk/actions/<part>/<action>.ts. */
function actionFiles(): { part: string; name: string; source: string }[] {
  return PARTS.flatMap((part) =>
    readdirSync(join(SDK, "actions", part))
      .filter((file) => file.endsWith(".ts"))
      .map((file) => ({
        part,
        name: file.slice(0, -3),
        source: readFileSync(join(SDK, "actions", part, file), "utf8"),
      })),
  );
}

/** A custom action over the core, as a user would write one: the registry the ledger reports, read at a block. */
async function ledgerRegistry(client: ProvledgerCoreClient, parameters: { blockNumber?: bigint } = {}) {
  return client.view({ contract: "ledger", functionName: "registry", args: [], blockNumber: parameters.blockNumber });
}

describe("SDK client: core", () => {
  it("decodes the errors of calls made with viem directly", async () => {
    const { agency, hk, addresses } = await world();
    const fingerprint = h("direct");
    await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
    try {
      await publicClient.simulateContract({
        account: hk.account,
        address: addresses.ledger,
        abi: provenanceLedgerAbi,
        functionName: "withdraw",
        args: [fingerprint, zeroHash],
      });
      expect.fail("the simulation should revert");
    } catch (raw) {
      const error = await hk.decodeError(raw, "withdraw");
      expect(isContractError(error, "NotRecordOwner")).to.equal(true);
      expect(error.message).to.include(`is owned by ${AGENCY}, not by ${HK_AGENCY}`);
      expect(error.action).to.equal("withdraw");
    }
  });

  it("refuses malformed input with a typed error before any request", async () => {
    const { addresses, accounts } = await world();
    const methods: string[] = [];
    const recording: Eip1193Provider = {
      request: (args) => {
        methods.push(args.method);
        return hre.network.provider.request(args as { method: string; params?: unknown[] });
      },
    };
    const client = await fromEip1193(recording, accounts.agency, addresses);
    const fingerprint = h("valid");
    const cases: [Promise<unknown>, string][] = [
      [client.register({ fingerprint: "0x1234", dataClass: 0 }), "fingerprint"],
      [client.register({ fingerprint: zeroHash, dataClass: 0 }), "fingerprint"],
      [client.register({ fingerprint, dataClass: 256 }), "dataClass"],
      [client.register({ fingerprint, dataClass: 1.5 }), "dataClass"],
      [
        client.register({ fingerprint, dataClass: 0, parents: [{ fingerprint: "0xzz" as Hex, relation: 0 }] }),
        "parents[0].fingerprint",
      ],
      [client.withdraw({ fingerprint, reasonHash: "0x12" }), "reasonHash"],
      [client.addOperator({ orgId: 1, account: "0x123" as Address }), "account"],
      [client.addOperator({ orgId: 0, account: accounts.outsider }), "orgId"],
      [client.addOperator({ orgId: 1, account: badChecksum(accounts.outsider) }), "account"],
      [client.registerOrganization({ name: "X", jurisdiction: "TOO-LONG-CODE", roles: 1 }), "jurisdiction"],
      [client.issueGrant({ fingerprint, granteeOrg: 2, scopes: -1 }), "scopes"],
      [client.offerTransfer({ fingerprint, toOrg: 2, expiresAt: new Date("not a date") }), "expiresAt"],
      [client.decideTransfer({ offerId: 1, approve: "yes" as unknown as boolean }), "approve"],
      [client.getRecord({ fingerprint: "not hex" as Hex }), "fingerprint"],
      [
        client.verifyBatchInclusion({ root: fingerprint, leaf: fingerprint, proof: [fingerprint, "0x00" as Hex] }),
        "proof[1]",
      ],
    ];
    for (const [promise, field] of cases) {
      const error = await rejection(promise);
      expect(error, error.message).to.be.instanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).to.equal(field);
      expect(error.message).to.match(/; nothing was sent$/);
    }
    const first = await rejection(cases[0][0]);
    expect(first.message).to.equal(
      'fingerprint must be 32 bytes of hex: 0x followed by 64 hex digits (2 bytes) (got "0x1234"); nothing was sent',
    );
    expect(methods).to.deep.equal([]);
    expect(() =>
      createProvledgerClient({ publicClient, addresses: { ...addresses, rights: "0x0" as Address } }),
    ).to.throw(InvalidInputError, "addresses.rights must be an address");
  });

  it("builds clients from the core with extend, and runs actions as plain functions", async () => {
    const { addresses, accounts } = await world();
    const walletClient = createWalletClient({
      chain: hardhat,
      transport,
      account: accounts.agency,
      pollingInterval: 10,
    });
    const core = createProvledgerCoreClient({ publicClient, walletClient, addresses, chainId: CHAIN_ID });
    expect(core).not.to.have.property("register");
    expect(core.chainId).to.equal(CHAIN_ID);
    expect(core.confirmations).to.equal(1);

    // A decorator adds methods; it cannot replace the core's own members.
    const client = core
      .extend((base) => ({
        ledgerRegistry: (parameters?: { blockNumber?: bigint }) => ledgerRegistry(base, parameters),
      }))
      .extend(ledgerActions)
      .extend(() => ({ verify: async () => -1 }));
    expect(await client.ledgerRegistry()).to.equal(addresses.registry);
    expect(await client.verify()).to.equal(CHAIN_ID);
    expect(client).not.to.have.property("issueGrant");

    const fingerprint = h("extended");
    const registered = await client.register({ fingerprint, dataClass: DataClass.PUBLIC });
    expect(registered.event.args.registrant).to.equal(accounts.agency);
    // The bound method takes the action's parameters: the action itself, called with the client, is the same read.
    expect(await getRecord(core, { fingerprint })).to.deep.equal(await client.getRecord({ fingerprint }));
  });

  it("exposes the machinery actions are built on: read, view, write, send and wallet", async () => {
    const { agency, addresses, accounts } = await world();
    const fingerprint = h("machinery");
    const sent = await agency.send({
      contract: "ledger",
      functionName: "register",
      args: [{ fingerprint, scheme: 0, dataClass: 0, metadataHash: zeroHash, metadataURI: "", parents: [] }],
      eventName: "RecordRegistered",
    });
    expect(sent.event.args.fingerprint).to.equal(fingerprint);
    expect(await agency.view({ contract: "ledger", functionName: "exists", args: [fingerprint] })).to.equal(true);

    const withdrawn = await agency.write({
      action: "withdraw",
      contract: "ledger",
      data: encodeFunctionData({ abi: provenanceLedgerAbi, functionName: "withdraw", args: [fingerprint, zeroHash] }),
      eventName: "RecordWithdrawn",
    });
    expect(withdrawn.events.map((event) => event.eventName)).to.deep.equal(["RecordWithdrawn"]);
    const again = await rejection(
      agency.write({
        action: "withdraw again",
        contract: "ledger",
        data: encodeFunctionData({ abi: provenanceLedgerAbi, functionName: "withdraw", args: [fingerprint, zeroHash] }),
        eventName: "RecordWithdrawn",
      }),
    );
    expect(isContractError(again, "RecordIsWithdrawn")).to.equal(true);
    expect(again.action).to.equal("withdraw again");

    expect(await agency.read("getBlockNumber", () => publicClient.getBlockNumber())).to.equal(withdrawn.blockNumber);
    const failed = await rejection(agency.read("custom", () => Promise.reject(new Error("node down"))));
    expect(failed.code).to.equal("RequestFailed");
    expect(failed.action).to.equal("custom");

    expect(agency.wallet("sign").account.address).to.equal(accounts.agency);
    const readOnly = createProvledgerClient({ publicClient, addresses });
    expect(() => readOnly.wallet("sign")).to.throw("sign needs a signing account, but this client has none");
  });

  it("exercises every method of the client in these tests", async () => {
    const { agency } = await world();
    const sources = readdirSync(__dirname)
      .filter((file) => file.endsWith(".test.ts"))
      .map((file) => readFileSync(join(__dirname, file), "utf8"))
      .join("\n");
    const methods = Object.entries(agency)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name);
    expect(methods.length).to.be.greaterThan(60);
    expect(methods.filter((name) => !sources.includes(`.${name}(`))).to.deep.equal([]);
  });

  it("has one file per action, with its types, bound on the client and typed at the root", async () => {
    const { agency } = await world();
    const root = readFileSync(join(SDK, "index.ts"), "utf8");
    const actions = actionFiles();
    const core = ["verify", "decodeError", "wallet", "read", "view", "write", "send", "extend"];
    const methods = Object.keys(agency).filter((name) => typeof (agency as never)[name] === "function");
    expect(actions.map((action) => action.name).sort()).to.deep.equal(
      methods.filter((name) => !core.includes(name)).sort(),
    );
    for (const { part, name, source } of actions) {
      const type = name.charAt(0).toUpperCase() + name.slice(1);
      const signature = new RegExp(
        `export async function ${name}\\(\\s*client: ProvledgerCoreClient(,\\s*parameters)?`,
      );
      const match = signature.exec(source);
      expect(match, `${part}/${name}.ts exports the action ${name}(client, parameters)`).not.to.equal(null);
      const types = match![1] ? [`${type}Parameters`, `${type}ReturnType`] : [`${type}ReturnType`];
      for (const exported of types) {
        expect(source, `${part}/${name}.ts exports ${exported}`).to.include(`export type ${exported} =`);
        expect(root, `src/sdk/index.ts exports ${exported}`).to.match(new RegExp(`\\b${exported},`));
      }
      expect(source, `${part}/${name}.ts has an example`).to.include("@example");
      const decorator = readFileSync(join(SDK, "clients", "decorators", `${part}.ts`), "utf8");
      expect(decorator, `decorators/${part}.ts binds ${name}`).to.match(new RegExp(`\\n    ${name}: \\(`));
    }
  });
});
