import { expect } from "chai";
import fc from "fast-check";
import { concat, keccak256, numberToHex, toHex, zeroHash, type Hex } from "viem";
import { ledgerEntry } from "../../../src/sdk";
import { createChainVerifier, digestOf, nextDigest, nextLedgerHead } from "../../../src/indexer/audit";
import { keccak } from "../../../src/indexer/audit/keccak";
import { decodeLog } from "../../../src/indexer/events";
import { IndexerError } from "../../../src/indexer/errors";
import type { StoredEvent } from "../../../src/indexer/types";
import { synthesizeHistory } from "./history";
import { flipDigit } from "./tamper";

const history = synthesizeHistory(200, { exact: true, seed: 5 });

/** The digest's documented encoding, written out with viem (docs/indexer-audit.md). */
function referenceDigest(previous: Hex, e: StoredEvent): Hex {
  const logHash = keccak256(
    concat([
      e.transactionHash,
      numberToHex(e.transactionIndex, { size: 4 }),
      e.address,
      numberToHex(e.topics.length, { size: 1 }),
      ...e.topics,
      e.data,
    ]),
  );
  return keccak256(
    concat([
      previous,
      numberToHex(e.blockNumber, { size: 8 }),
      e.blockHash,
      numberToHex(e.logIndex, { size: 4 }),
      logHash,
    ]),
  );
}

describe("audit: the WebAssembly keccak sponge", () => {
  it("equals viem's keccak256 for every length from 0 to 700 bytes, and across a grown heap", () => {
    for (let n = 0; n <= 700; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      expect(toHex(keccak(bytes)), `length ${n}`).to.equal(keccak256(bytes));
    }
    const large = Uint8Array.from({ length: 3_000_000 }, (_, i) => i & 0xff);
    expect(toHex(keccak(large))).to.equal(keccak256(large));
  });

  it("property: random bytes hash as viem's keccak256", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => toHex(keccak(bytes)) === keccak256(bytes)));
  });
});

describe("audit: the proof-of-indexing digest", () => {
  it("nextDigest follows the documented packed encoding, event by event; digestOf chains it from zeroHash", () => {
    let digest: Hex = zeroHash;
    for (const event of history.events) {
      const next = nextDigest(digest, event);
      expect(next).to.equal(referenceDigest(digest, event));
      digest = next;
    }
    expect(digestOf(history.events)).to.equal(digest);
    expect(digestOf(history.events.slice(100), digestOf(history.events.slice(0, 100)))).to.equal(digest);
  });

  it("covers every raw field (not hex case), and refuses malformed hex", () => {
    const event = history.events.filter((e) => e.ledgerSequence !== null)[10];
    const base = nextDigest(zeroHash, event);
    const changes: Partial<StoredEvent>[] = [
      { blockNumber: event.blockNumber + 1n },
      { blockHash: flipDigit(event.blockHash, 1) },
      { logIndex: event.logIndex + 1 },
      { transactionHash: flipDigit(event.transactionHash, 1) },
      { transactionIndex: event.transactionIndex + 1 },
      { address: flipDigit(event.address, 1) },
      { topics: event.topics.slice(0, -1) },
      { data: flipDigit(event.data, 9) },
      { data: `${event.data}00` as Hex },
    ];
    for (const change of changes)
      expect(nextDigest(zeroHash, { ...event, ...change }), JSON.stringify(Object.keys(change))).to.not.equal(base);
    expect(nextDigest(zeroHash, { ...event, data: event.data.toUpperCase().replace("0X", "0x") as Hex })).to.equal(
      base,
    );
    expect(nextDigest(zeroHash, { ...event, eventName: "Other", ledgerSequence: 99n })).to.equal(base);
    expect(() => nextDigest(zeroHash, { ...event, data: "0xzz" })).to.throw(TypeError);
    expect(() => nextDigest(zeroHash, { ...event, blockHash: "0x12" })).to.throw(TypeError);
  });
});

describe("audit: createChainVerifier (the per-range check)", () => {
  it("nextLedgerHead equals the SDK's ledgerEntry", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 96, maxLength: 96 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (b, n) => {
          const [h, s, r] = [toHex(b.slice(0, 32)), toHex(b.slice(32, 64)), toHex(b.slice(64))];
          return nextLedgerHead(h, n, s, r) === ledgerEntry(h, n, s, r);
        },
      ),
    );
  });

  it("passes a valid history and ends at its head; continues from a position", () => {
    const verifier = createChainVerifier({ sequence: 0n, head: zeroHash });
    for (const event of history.events.slice(0, 120)) verifier.push(event, decodeLog(event));
    const middle = verifier.state();
    const rest = createChainVerifier(middle);
    for (const event of history.events.slice(120)) rest.push(event); // decoded from the log when not given
    expect(rest.state()).to.deep.equal({ sequence: history.head.ledgerSequence, head: history.head.ledgerHead });
  });

  it("throws SequenceGap naming the expected and found entries and the block; HeadMismatch on an altered head", () => {
    const chained = history.events.filter((e) => e.ledgerSequence !== null);
    const missing = chained[30];
    const verifier = createChainVerifier({ sequence: 0n, head: zeroHash });
    let error: unknown;
    try {
      for (const event of history.events.filter((e) => e !== missing)) verifier.push(event);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).to.be.instanceOf(IndexerError);
    const next = chained[31];
    expect(error).to.include({
      code: "SequenceGap",
      ledgerSequence: missing.ledgerSequence,
      blockNumber: next.blockNumber,
    });
    expect((error as Error).message).to.contain(`ledger entry ${missing.ledgerSequence} is missing`);
    expect((error as Error).message).to.contain(`is entry ${next.ledgerSequence}`);
    expect(verifier.state().sequence).to.equal(missing.ledgerSequence! - 1n);

    // Reordered: an entry that goes back.
    const back = createChainVerifier({ sequence: 0n, head: zeroHash });
    const swapped = [...chained];
    [swapped[5], swapped[6]] = [swapped[6], swapped[5]];
    expect(() => swapped.forEach((e) => back.push(e))).to.throw(IndexerError, /is missing/);

    // An altered record head in the stamp (the same sequence): the ledger head no longer recomputes.
    const target = chained[10];
    const recordHeadAt = target.data.indexOf(target.ledgerHead!.slice(2)) - 192;
    const altered = { ...target, data: flipDigit(target.data, recordHeadAt - 2 + 5) };
    const mismatch = createChainVerifier({ sequence: 0n, head: zeroHash });
    expect(() => history.events.forEach((e) => mismatch.push(e === target ? altered : e)))
      .to.throw(IndexerError)
      .that.includes({
        code: "HeadMismatch",
        ledgerSequence: target.ledgerSequence,
        blockNumber: target.blockNumber,
      });
  });
});
