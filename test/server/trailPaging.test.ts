/**
 * A trail paged while the indexer moves on: every page after the first is answered at the first page's block, so the
 * pages share one `at` and the SDK's check of the whole answer holds; a cursor whose block was reorganised away is
 * refused. One small anvil scenario, SQLite.
 */
import { expect } from "chai";
import pino from "pino";
import { keccak256, toHex, type Abi, type Hex } from "viem";
import { createIndexer } from "../../src/indexer";
import { dataRightsAbi, verifyTrailAnswer, type TrailAnswer } from "../../src/sdk";
import { startApiFixture, type ApiFixture } from "../helpers/api";
import { anvilChain } from "../helpers/anvil";
import { underCoverage } from "../helpers/coverage";

type Page = TrailAnswer & { next: string | null };

describe("server: trail pages at one block", function () {
  this.timeout(120_000);
  let fixture: ApiFixture;

  before(async function () {
    if (underCoverage()) return this.skip();
    fixture = await startApiFixture({ seed: 5, steps: 20 });
  });
  after(async () => fixture?.close());

  /** The record with the longest trail. */
  async function longestTrail(): Promise<Hex> {
    const { get } = fixture.store("sqlite");
    const events = await get<{ data: { args: { fingerprint?: Hex } }[] }>(
      "/v1/events?kind=RecordRegistered&limit=1000",
    );
    let best: { fingerprint: Hex; length: number } | undefined;
    for (const event of events.body.data) {
      const fingerprint = event.args.fingerprint!;
      const record = await get<{ data: { trail: { length: string } } }>(`/v1/records/${fingerprint}`);
      const length = Number(record.body.data.trail.length);
      if (!best || length > best.length) best = { fingerprint, length };
    }
    expect(best!.length).to.be.at.least(3);
    return best!.fingerprint;
  }

  async function indexToHead(): Promise<void> {
    const { consortium } = fixture;
    const indexer = createIndexer({
      rpcUrl: consortium.url,
      addresses: consortium.addresses,
      deploymentBlock: consortium.deployment.deploymentBlock,
      chainId: consortium.deployment.chainId,
      store: fixture.store("sqlite").storeUrl,
      once: true,
      logger: pino({ level: "silent" }),
    });
    await indexer.run();
  }

  it("answers every later page at the first page's block, however far the index moved; the pages verify as one", async function () {
    const { get } = fixture.store("sqlite");
    const fingerprint = await longestTrail();
    const first = await get<Page>(`/v1/records/${fingerprint}/trail?limit=1`);
    expect(first.status).to.equal(200);
    expect(first.body.next).to.be.a("string");

    // The trail grows by a finding, and the index follows it to a later block.
    const { consortium } = fixture;
    const hash = await consortium.wallet.writeContract({
      account: consortium.accounts.inspector,
      chain: anvilChain,
      address: consortium.addresses.rights,
      abi: dataRightsAbi as Abi,
      functionName: "attachFinding",
      args: [fingerprint, keccak256(toHex("a finding while paging"))],
    } as never);
    await consortium.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    await indexToHead();

    const pages: Page[] = [first.body];
    for (let next = first.body.next; next;) {
      const page = await get<Page>(`/v1/records/${fingerprint}/trail?limit=1&cursor=${next}`);
      expect(page.status, page.text).to.equal(200);
      expect(page.body.at).to.deep.equal(first.body.at);
      expect(page.body.data.length).to.equal(first.body.data.length);
      pages.push(page.body);
      next = page.body.next;
    }
    expect(pages).to.have.length(Number(first.body.data.length));
    const verdict = await verifyTrailAnswer(fixture.client, {
      ledger: consortium.addresses.ledger,
      fingerprint,
      answer: pages,
    });
    expect(verdict.valid, verdict.summary).to.equal(true);

    // A new first page sees the finding, at the later block, and verifies too.
    const fresh = await get<Page>(`/v1/records/${fingerprint}/trail?limit=1000`);
    expect(BigInt(fresh.body.at.block.number)).to.be.greaterThan(BigInt(first.body.at.block.number));
    expect(Number(fresh.body.data.length)).to.equal(Number(first.body.data.length) + 1);
    const latest = await verifyTrailAnswer(fixture.client, {
      ledger: consortium.addresses.ledger,
      fingerprint,
      answer: fresh.body,
    });
    expect(latest.valid, latest.summary).to.equal(true);
  });

  it("refuses a cursor whose block the store no longer holds as it was (a reorganisation replaced it)", async function () {
    const { get } = fixture.store("sqlite");
    const fingerprint = await longestTrail();
    const first = await get<Page>(`/v1/records/${fingerprint}/trail?limit=1`);
    const cursor = JSON.parse(Buffer.from(first.body.next!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...cursor, h: "0".repeat(16) })).toString("base64url");
    const answer = await get<{ error: { code: string; message: string } }>(
      `/v1/records/${fingerprint}/trail?limit=1&cursor=${forged}`,
    );
    expect(answer.status).to.equal(400);
    expect(answer.body.error.code).to.equal("InvalidCursor");
    expect(answer.body.error.message).to.match(/reorganisation/);
  });
});
