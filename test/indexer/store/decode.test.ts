import { expect } from "chai";
import { decodeStoredLog, decodeStoredLogFast, decodeStoredLogWithViem } from "../../../src/indexer/store/decode";
import { IndexerEventError } from "../../../src/indexer/errors";
import { samples } from "../projection/fixtures";
import { chain } from "./fixtures";

describe("store: decoding stored logs", function () {
  const { events, decoded } = chain();

  it("decodes every event kind exactly as viem's decodeEventLog does (and as they were encoded)", function () {
    expect(new Set(events.map((e) => e.eventName)).size).to.equal(Object.keys(samples).length);
    for (const [i, log] of events.entries()) {
      const viem = decodeStoredLogWithViem(log);
      expect(decodeStoredLogFast(log), log.eventName).to.deep.equal(viem);
      expect(decodeStoredLog(log), log.eventName).to.deep.equal(viem);
      expect(viem.eventName).to.equal(decoded[i]!.eventName);
    }
  });

  it("leaves irregular logs to viem, which refuses them", function () {
    const registered = events.find((e) => e.eventName === "RecordRegistered")!;
    const truncated = { ...registered, data: registered.data.slice(0, 200) as `0x${string}` };
    expect(decodeStoredLogFast(truncated)).to.equal(undefined);
    expect(() => decodeStoredLog(truncated)).to.throw(IndexerEventError);
    const accepted = events.find((e) => e.eventName === "TransferAccepted")!;
    // awaitingCustoms (a bool) is the third data word: 2 is neither false nor true.
    const words = accepted.data.slice(2).match(/.{64}/g)!;
    words[2] = "2".padStart(64, "0");
    expect(() => decodeStoredLog({ ...accepted, data: `0x${words.join("")}` })).to.throw(IndexerEventError);
    const noTopics = { ...registered, topics: [] };
    expect(() => decodeStoredLog(noTopics)).to.throw(IndexerEventError);
  });
});
