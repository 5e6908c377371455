import { expect } from "chai";
import fc from "fast-check";
import {
  createPublicClient,
  custom,
  http,
  keccak256,
  toHex,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import {
  Action,
  DataClass,
  InvalidInputError,
  ProvledgerClientError,
  Scope,
  TrailAnswerCheck,
  UnknownRevertError,
  dataRightsAbi,
  provenanceLedgerAbi,
  recordEntry,
  verifyTrailAnswer,
  type TrailAnswer,
  type VerifyTrailAnswerReturnType,
} from "../../../src/sdk";
import { anvilChain, startAnvil, type Anvil } from "../../helpers/anvil";
import { setupConsortium, type Consortium } from "../../helpers/activity";
import { trailAnswerPages } from "../../helpers/trailAnswer";

const hashOf = (label: string): Hex => keccak256(toHex(`trail-answer:${label}`));

/** The answer's entries, each field path an edit can change. */
type Pages = TrailAnswer[];
const clone = (pages: Pages): Pages => JSON.parse(JSON.stringify(pages)) as Pages;
/** The answer as one page holding `entries` (a tampered copy of the true one). */
function withEntries(pages: Pages, entries: Pages[number]["data"]["entries"]): Pages {
  const [first] = clone(pages);
  return [{ ...first, data: { ...first.data, entries }, next: null }];
}
const entriesOf = (pages: Pages) => clone(pages).flatMap((page) => page.data.entries);

describe("SDK trail: checking a query API trail answer against the chain", function () {
  this.timeout(60_000);
  let anvil: Anvil;
  let consortium: Consortium;
  let client: PublicClient;
  let ledger: Address;
  let fingerprint: Hex;
  /** The block after the grant (the record's trail: registration, grant), and the last block (8 entries). */
  let oldBlock: bigint;
  let lastBlock: bigint;
  let answer: Pages;
  let oldAnswer: Pages;

  async function send(from: Account, contract: "ledger" | "rights", functionName: string, args: unknown[]) {
    const hash = await consortium.wallet.writeContract({
      account: from,
      chain: anvilChain,
      address: contract === "ledger" ? consortium.addresses.ledger : consortium.addresses.rights,
      abi: (contract === "ledger" ? provenanceLedgerAbi : dataRightsAbi) as Abi,
      functionName,
      args,
    } as never);
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    expect(receipt.status, functionName).to.equal("success");
  }

  const verify = (pages: unknown, options: { fingerprint?: Hex; checkBlockHash?: boolean } = {}) =>
    verifyTrailAnswer(client, { ledger, fingerprint, answer: pages as Pages, ...options });

  before(async () => {
    anvil = await startAnvil();
    consortium = await setupConsortium(anvil.url);
    client = consortium.publicClient;
    ledger = consortium.addresses.ledger;
    const { accounts, orgIds } = consortium;
    fingerprint = hashOf("record");
    const registration = (fp: Hex) => ({
      fingerprint: fp,
      scheme: 0,
      dataClass: DataClass.PUBLIC,
      metadataHash: hashOf(`meta:${fp}`),
      metadataURI: "ipfs://meta",
      parents: [],
    });
    await send(accounts.agency, "ledger", "register", [registration(fingerprint)]);
    await send(accounts.foreignAgency, "ledger", "register", [registration(hashOf("other"))]);
    await send(accounts.agency, "rights", "issueGrant", [fingerprint, orgIds.trader, Scope.USE, hashOf("purpose"), 0]);
    oldBlock = await client.getBlockNumber({ cacheTime: 0 });
    const now = (await client.getBlock()).timestamp;
    await send(accounts.agency, "rights", "offerTransfer", [fingerprint, orgIds.trader, hashOf("terms"), now + 3600n]);
    await send(accounts.foreignAgency, "ledger", "register", [registration(hashOf("another"))]);
    await send(accounts.trader, "rights", "acceptOffer", [1n]);
    await send(accounts.inspector, "rights", "freeze", [fingerprint, hashOf("reason")]);
    await send(accounts.inspector, "rights", "attachFinding", [fingerprint, hashOf("finding")]);
    await send(accounts.inspector, "rights", "unfreeze", [fingerprint, hashOf("cleared")]);
    // The ledger's last entry is another record's, so the record's last stamp is not the anchor's ledger head.
    await send(accounts.foreignAgency, "ledger", "register", [registration(hashOf("tail"))]);
    lastBlock = await client.getBlockNumber({ cacheTime: 0 });
    answer = await trailAnswerPages(client, consortium.addresses, fingerprint, lastBlock, 3);
    oldAnswer = await trailAnswerPages(client, consortium.addresses, fingerprint, oldBlock);
  });

  after(async () => {
    await anvil?.stop();
  });

  function expectInvalid(verdict: VerifyTrailAnswerReturnType, position: number, fields: string[]) {
    expect(verdict.valid, verdict.summary).to.equal(false);
    expect(verdict.firstBadEntry, verdict.summary).to.not.equal(undefined);
    expect(verdict.firstBadEntry!.position, verdict.summary).to.equal(position);
    expect(fields, verdict.summary).to.include(verdict.firstBadEntry!.field);
    expect(verdict.reason).to.be.a("string").and.not.equal("");
    expect(verdict.summary).to.match(/^INVALID: /);
  }

  it("verifies the true answer, one page or several, with one eth_call for the head and one for the block", async () => {
    const entries = answer.flatMap((page) => page.data.entries);
    expect(entries.map((entry) => entry.action)).to.deep.equal([
      Action.REGISTERED,
      Action.GRANT_ISSUED,
      Action.TRANSFER_OFFERED,
      Action.TRANSFER_ACCEPTED,
      Action.OWNERSHIP_TRANSFERRED,
      Action.FROZEN,
      Action.FINDING_ATTACHED,
      Action.UNFROZEN,
    ]);
    expect(answer.length).to.equal(3);
    const [head, length] = await client.readContract({
      address: ledger,
      abi: provenanceLedgerAbi,
      functionName: "trailHead",
      args: [fingerprint],
    });
    for (const pages of [answer, withEntries(answer, entries), withEntries(answer, entries)[0]]) {
      const verdict = await verify(pages);
      expect(verdict.valid, verdict.summary).to.equal(true);
      expect(verdict.complete).to.equal(true);
      expect(verdict.firstBadEntry).to.equal(undefined);
      expect(verdict.reason).to.equal(undefined);
      expect(verdict.trail).to.deep.equal({ head, length });
      expect(verdict.entries).to.equal(8);
      expect(verdict.blockNumber).to.equal(lastBlock);
      expect(verdict.checks.map((check) => [check.name, check.ok])).to.deep.equal([
        [TrailAnswerCheck.FORMAT, true],
        [TrailAnswerCheck.RECORD, true],
        [TrailAnswerCheck.BLOCK, true],
        [TrailAnswerCheck.HASH_CHAIN, true],
        [TrailAnswerCheck.TRAIL_HEAD, true],
      ]);
      expect(verdict.summary).to.match(/^VALID: .* all 8 entries recompute/);
    }

    // Count what is asked of the node.
    const methods: string[] = [];
    const transport = http(anvil.url);
    const counting = createPublicClient({
      chain: anvilChain,
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown }) {
          methods.push(method);
          return transport({ chain: anvilChain }).request({ method, params } as never);
        },
      }),
    }) as PublicClient;
    const check = (checkBlockHash: boolean) =>
      verifyTrailAnswer(counting, { ledger, fingerprint, answer, checkBlockHash });
    expect((await check(false)).valid).to.equal(true);
    expect(methods).to.deep.equal(["eth_call"]);
    methods.length = 0;
    expect((await check(true)).valid).to.equal(true);
    expect([...methods].sort()).to.deep.equal(["eth_call", "eth_getBlockByNumber"]);
  });

  it("an answer at an old block verifies against that block's head, not the latest", async () => {
    const verdict = await verify(oldAnswer);
    expect(verdict.valid, verdict.summary).to.equal(true);
    expect(verdict.entries).to.equal(2);
    expect(verdict.trail!.length).to.equal(2n);
    // The old entries presented as the answer at the last block: incomplete.
    const stale = clone(oldAnswer).map((page) => ({ ...page, at: answer[0].at }));
    const late = await verify(stale);
    expect(late.valid).to.equal(false);
    expect(late.complete).to.equal(false);
    expect(late.reason).to.contain("incomplete: the answer has 2 of 8 entries");
    expect(late.firstBadEntry).to.deep.equal({ position: 3, field: "entry", expected: "entry 3 of 8", got: "missing" });
  });

  it("fails a deleted entry and names it, wherever it was", async () => {
    const entries = entriesOf(answer);
    for (let k = 1; k <= entries.length; k++) {
      const tampered = entries.filter((entry) => entry.position !== k);
      const verdict = await verify(withEntries(answer, tampered), { checkBlockHash: false });
      expect(verdict.complete).to.equal(false);
      expectInvalid(verdict, k, k === entries.length ? ["entry"] : ["position"]);
      // Renumbered to hide the gap: the hash chain still breaks at k.
      const renumbered = tampered.map((entry, i) => ({
        ...entry,
        position: i + 1,
        stamp: { ...entry.stamp, recordLength: String(i + 1) },
      }));
      const hidden = await verify(withEntries(answer, renumbered), { checkBlockHash: false });
      expectInvalid(hidden, k, k === entries.length ? ["entry"] : ["action", "recordHead"]);
    }
  });

  it("fails an edit of each field and names the entry and the field", async () => {
    const cases: [string, (entry: Pages[number]["data"]["entries"][number]) => void, string[]][] = [
      ["payloadHash", (e) => (e.payloadHash = hashOf("forged")), ["recordHead"]],
      ["actor", (e) => (e.actor = consortium.accounts.spare.address.toLowerCase() as Address), ["recordHead"]],
      ["time", (e) => (e.time = String(BigInt(e.time) + 1n)), ["recordHead", "time"]],
      ["action", (e) => (e.action = e.action === Action.FROZEN ? Action.UNFROZEN : Action.FROZEN), ["action"]],
      ["stamp.recordHead", (e) => (e.stamp.recordHead = hashOf("head")), ["recordHead"]],
      ["stamp.recordLength", (e) => (e.stamp.recordLength = "99"), ["recordLength"]],
      ["position", (e) => (e.position += 1), ["position"]],
      ["subject", (e) => (e.subject = hashOf("other")), ["subject"]],
    ];
    for (const [what, edit, fields] of cases) {
      for (const k of [1, 4, 8]) {
        const entries = entriesOf(answer);
        edit(entries[k - 1]);
        const verdict = await verify(withEntries(answer, entries), { checkBlockHash: false });
        expect(verdict.complete, what).to.equal(true);
        expectInvalid(verdict, k, fields);
      }
    }
    // An action edited together with its labels: only the hash chain can tell.
    const entries = entriesOf(answer);
    Object.assign(entries[5], { action: Action.UNFROZEN, actionName: "UNFROZEN" });
    entries[5].event!.name = "RecordUnfrozen";
    expectInvalid(await verify(withEntries(answer, entries)), 6, ["recordHead"]);
  });

  it("says whether an entry's fields or its stamp were altered", async () => {
    const fields = entriesOf(answer);
    fields[2].payloadHash = hashOf("forged");
    const a = await verify(withEntries(answer, fields));
    expect(a.reason).to.contain("entry 3 (TransferOffered) does not recompute");
    expect(a.reason).to.contain("so the entry's action, actor, time or payloadHash was altered");
    const stamp = entriesOf(answer);
    stamp[7].stamp.recordHead = hashOf("head");
    const b = await verify(withEntries(answer, stamp));
    expect(b.reason).to.contain(
      "the ledger's trail head chains from the recomputed head, so the entry's stamp was altered",
    );
    expect(b.firstBadEntry).to.deep.include({ position: 8, field: "recordHead", got: hashOf("head") });
  });

  it("fails reordered, repeated, appended and re-stamped entries, and a truncated answer", async () => {
    const entries = entriesOf(answer);
    const swapped = [...entries];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    expectInvalid(await verify(withEntries(answer, swapped)), 4, ["position"]);
    const renumbered = swapped.map((entry, i) => ({
      ...entry,
      position: i + 1,
      stamp: { ...entry.stamp, recordLength: String(i + 1) },
    }));
    expectInvalid(await verify(withEntries(answer, renumbered)), 4, ["recordHead"]);

    expectInvalid(await verify(withEntries(answer, [...entries, entries[7]])), 9, ["position"]);
    // An extra entry that chains and fits the ledger's order: the trail on chain has ended.
    const extra = clone(answer)[2].data.entries[1];
    delete extra.event;
    Object.assign(extra, { position: 9, time: answer[0].at.block.timestamp });
    extra.stamp = {
      recordHead: recordEntry(
        entries[7].stamp.recordHead,
        extra.action,
        extra.actor,
        BigInt(extra.time),
        extra.payloadHash,
      ),
      recordLength: "9",
      ledgerSequence: answer[0].at.ledgerSequence,
      ledgerHead: answer[0].at.ledgerHead,
    };
    const appended = await verify(withEntries(answer, [...entries, extra]));
    expect(appended.complete).to.equal(false);
    expectInvalid(appended, 9, ["entry"]);
    expect(appended.reason).to.contain("entries 9 to 9 are not on chain at that block");

    // The first page alone: every entry recomputes, but the answer is partial.
    const first = await verify(answer[0]);
    expect(first.complete).to.equal(false);
    expect(first.checks.find((check) => check.name === TrailAnswerCheck.HASH_CHAIN)!.ok).to.equal(true);
    expect(first.reason).to.equal(
      `incomplete: the answer has 3 of 8 entries (the ledger's trail of ${fingerprint.slice(0, 8)}…` +
        `${fingerprint.slice(-4)} at block ${lastBlock} has 8 entries, head ${entries[7].stamp.recordHead})`,
    );
    expectInvalid(first, 4, ["entry"]);
  });

  it("fails a forged block hash (unless told not to read the block), and another record's answer", async () => {
    const forged = clone(answer).map((page) => ({
      ...page,
      at: { ...page.at, block: { ...page.at.block, hash: hashOf("block") } },
    }));
    const verdict = await verify(forged);
    expect(verdict.valid).to.equal(false);
    expect(verdict.complete).to.equal(true);
    expect(verdict.checks.filter((check) => !check.ok).map((check) => check.name)).to.deep.equal([
      TrailAnswerCheck.BLOCK,
    ]);
    expect(verdict.reason).to.equal(
      `block ${lastBlock} is ${answer[0].at.block.hash} on the node's chain, not ${hashOf("block")}`,
    );
    expect((await verify(forged, { checkBlockHash: false })).valid).to.equal(true);

    const future = clone(answer).map((page) => ({
      ...page,
      at: { ...page.at, block: { ...page.at.block, number: "99999" } },
    }));
    const ahead = await verify(future);
    expect(ahead.valid).to.equal(false);
    expect(ahead.reason).to.contain("the node has no block 99999");

    const other = await verify(answer, { fingerprint: hashOf("other") });
    expect(other.valid).to.equal(false);
    expect(other.checks.find((check) => check.name === TrailAnswerCheck.RECORD)!.ok).to.equal(false);
  });

  it("gives malformed answers a format verdict without asking the node, and refuses bad parameters", async () => {
    const malformed: [unknown, RegExp][] = [
      [null, /^not a trail answer: \/ must be an object/],
      [[], /empty array/],
      [{ at: answer[0].at }, /\/data must be an object/],
      [
        withEntries(answer, [{ ...entriesOf(answer)[0], payloadHash: "0x12" }]),
        /\/0\/data\/entries\/0\/payloadHash must be 32 bytes/,
      ],
      [
        [answer[0], { ...answer[1], at: oldAnswer[0].at }],
        /\/1\/at\/block is block .* every page must be at the same block/,
      ],
      [{ ...answer[0], data: { ...answer[0].data, entries: {} } }, /\/data\/entries must be an array/],
    ];
    for (const [value, message] of malformed) {
      const verdict = await verifyTrailAnswer({} as PublicClient, { ledger, answer: value as Pages });
      expect(verdict.valid).to.equal(false);
      expect(verdict.complete).to.equal(false);
      expect(verdict.checks.map((check) => check.name)).to.deep.equal([TrailAnswerCheck.FORMAT]);
      expect(verdict.reason).to.match(message);
    }
    await expect(verifyTrailAnswer(client, { ledger: "0x12" as Address, answer })).to.be.rejectedWith(
      InvalidInputError,
      "ledger must be an address",
    );
    await expect(verifyTrailAnswer(client, { ledger, answer, fingerprint: "0x1" as Hex })).to.be.rejectedWith(
      InvalidInputError,
      "fingerprint must be 32 bytes",
    );
    // An address without a ledger: a verdict naming it.
    const none = await verifyTrailAnswer(client, {
      ledger: consortium.accounts.spare.address,
      answer,
      checkBlockHash: false,
    });
    expect(none.reason).to.contain("held no ledger at block");
    // Another contract of the deployment as the ledger: its revert is thrown, as the SDK's actions throw it.
    await expect(
      verifyTrailAnswer(client, { ledger: consortium.addresses.registry, answer, checkBlockHash: false }),
    ).to.be.rejectedWith(UnknownRevertError);
    // A node that cannot be reached says nothing about the answer: its failure is thrown, retryable.
    const down = createPublicClient({ chain: anvilChain, transport: http("http://127.0.0.1:1", { retryCount: 0 }) });
    const error = await verifyTrailAnswer(down as PublicClient, { ledger, answer }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProvledgerClientError).and.include({ code: "RequestFailed", retryable: true });
  });

  it("does not bind the ledger-wide stamp fields, except the anchor with checkLedgerHead (documented limits)", async () => {
    const entries = entriesOf(answer);
    entries[3].stamp.ledgerHead = hashOf("ledger head");
    expect((await verify(withEntries(answer, entries))).valid).to.equal(true);
    const anchor = clone(answer).map((page) => ({ ...page, at: { ...page.at, ledgerHead: hashOf("ledger head") } }));
    expect((await verify(anchor)).valid).to.equal(true);
    const checked = await verifyTrailAnswer(client, { ledger, answer: anchor, checkLedgerHead: true });
    expect(checked.valid).to.equal(false);
    expect(checked.checks.filter((check) => !check.ok).map((check) => check.name)).to.deep.equal([
      TrailAnswerCheck.LEDGER_HEAD,
    ]);
    expect((await verifyTrailAnswer(client, { ledger, answer, checkLedgerHead: true })).valid).to.equal(true);
  });

  it("property: any single edit of a bound field fails and names the edited entry", async () => {
    const entries = entriesOf(answer);
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => toHex(bytes));
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => toHex(bytes) as Address);
    const delta = fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0);
    const edit = fc.oneof(
      fc.record({ field: fc.constant("payloadHash" as const), value: bytes32 }),
      fc.record({ field: fc.constant("subject" as const), value: bytes32 }),
      fc.record({ field: fc.constant("recordHead" as const), value: bytes32 }),
      fc.record({ field: fc.constant("actor" as const), value: address }),
      fc.record({ field: fc.constant("action" as const), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ field: fc.constant("time" as const), value: delta }),
      fc.record({ field: fc.constant("position" as const), value: delta }),
      fc.record({ field: fc.constant("recordLength" as const), value: delta }),
      fc.record({ field: fc.constant("delete" as const), value: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: entries.length - 1 }), edit, async (index, { field, value }) => {
        const tampered = entriesOf(answer);
        const entry = tampered[index];
        const before = JSON.stringify(entry);
        if (field === "delete") tampered.splice(index, 1);
        else if (field === "recordHead") entry.stamp.recordHead = value as Hex;
        else if (field === "recordLength")
          entry.stamp.recordLength = String(BigInt(entry.stamp.recordLength) + BigInt(value));
        else if (field === "time") entry.time = String(BigInt(entry.time) + BigInt(value));
        else if (field === "position") entry.position += value as number;
        else if (field === "action") entry.action = value as number;
        else (entry as unknown as Record<string, unknown>)[field] = value;
        fc.pre(field === "delete" || JSON.stringify(entry).toLowerCase() !== before.toLowerCase());
        // A negative position or length is malformed (a format verdict, tested above), not an edit.
        fc.pre(entry.position >= 0 && !entry.stamp.recordLength.startsWith("-"));
        const verdict = await verify(withEntries(answer, tampered), { checkBlockHash: false });
        expect(verdict.valid, verdict.summary).to.equal(false);
        expect(verdict.firstBadEntry?.position, verdict.summary).to.equal(index + 1);
      }),
      { numRuns: 150 },
    );
  });
});
