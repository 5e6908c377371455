import { expect } from "chai";
import { hexToBytes, keccak256, toHex, type Address, type Hex } from "viem";
import { bloomMayContain, bloomMayHaveLogsOf, isBloom } from "../../../src/indexer/sync";
import { anvilClients, startAnvil, type Anvil, type AnvilClients } from "../../helpers/anvil";
import { EMITTED, deployEmitter, emit } from "./chain";

/** The bloom of a set of entries, built bit by bit as the yellow paper says (independently of bloomMayContain). */
function bloomOf(entries: readonly Hex[]): Hex {
  const bits = new Uint8Array(256);
  for (const entry of entries) {
    const hash = hexToBytes(keccak256(entry));
    for (const pair of [0, 2, 4]) {
      const bit = (hash[pair]! * 256 + hash[pair + 1]!) % 2048;
      bits[255 - Math.floor(bit / 8)]! |= 1 << (bit % 8);
    }
  }
  return toHex(bits);
}

describe("indexer/sync bloom", function () {
  let anvil: Anvil;
  let clients: AnvilClients;
  let emitters: Address[];

  before(async () => {
    anvil = await startAnvil();
    clients = anvilClients(anvil.url);
    emitters = [await deployEmitter(clients), await deployEmitter(clients), await deployEmitter(clients)];
  });
  after(() => anvil?.stop());

  it("recomputes the node's logsBloom exactly from a block's logs, and finds each of its addresses and topics", async () => {
    const last = await emit(clients, emitters.slice(0, 2), { blocks: 1, perBlock: 4 });
    const block = await clients.publicClient.getBlock({ blockNumber: last });
    const logs = await clients.publicClient.getLogs({ blockHash: block.hash });
    expect(logs).to.have.length(4);
    const entries = logs.flatMap((log) => [log.address.toLowerCase() as Hex, ...log.topics]);
    expect(bloomOf(entries)).to.equal(block.logsBloom);
    expect(isBloom(block.logsBloom)).to.equal(true);
    for (const entry of entries) expect(bloomMayContain(block.logsBloom, entry)).to.equal(true);
    // The third emitter logged nothing in this block: its bits are clear (one address against two: no false positive
    // with this few entries; the assertion is checked against the recomputed bloom, not assumed).
    const absent = emitters[2]!;
    const expected = bloomOf([...entries, absent]) === block.logsBloom;
    expect(bloomMayContain(block.logsBloom, absent)).to.equal(expected);
    expect(bloomMayHaveLogsOf(block.logsBloom, [absent])).to.equal(expected);
    expect(bloomMayHaveLogsOf(block.logsBloom, [absent, emitters[0]!])).to.equal(true);
    expect(EMITTED).to.equal(logs[0]!.topics[0]);
  });

  it("a block without logs has an empty bloom that excludes every address; a malformed bloom excludes nothing", async () => {
    await clients.testClient.mine({ blocks: 1 });
    const block = await clients.publicClient.getBlock();
    expect(block.logsBloom).to.equal(toHex(new Uint8Array(256)));
    expect(bloomMayHaveLogsOf(block.logsBloom, emitters)).to.equal(false);
    expect(bloomMayHaveLogsOf("0x", emitters)).to.equal(true);
    expect(isBloom("0x1234")).to.equal(false);
  });
});
