/**
 * A chain with logs for the sync tests: a minimal contract (raw bytecode, no compiler) whose every call emits one
 * LOG1 with topic `EMITTED` and the calldata as data, deployed on anvil at a known address; helpers that emit logs,
 * several per block when asked (automine off, then one `evm_mine`).
 */
import { keccak256, toHex, type Address, type Hex } from "viem";
import type { AnvilClients } from "../../helpers/anvil";

export const EMITTED: Hex = keccak256(toHex("Emitted(bytes)"));

/** runtime: CALLDATACOPY(0, 0, size); LOG1(0, size, EMITTED); STOP */
const RUNTIME = `3660006000377f${EMITTED.slice(2)}366000a100`;
const INIT = `0x60${(RUNTIME.length / 2).toString(16).padStart(2, "0")}80600b6000396000f3${RUNTIME}` as Hex;

export async function deployEmitter(clients: AnvilClients, from = 0): Promise<Address> {
  const hash = await clients.walletClient(from).sendTransaction({ data: INIT });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error("emitter not deployed");
  const code = await clients.publicClient.getCode({ address: receipt.contractAddress });
  if (code !== `0x${RUNTIME}`) throw new Error(`emitter has unexpected code ${code}`);
  return receipt.contractAddress.toLowerCase() as Address;
}

/**
 * Emits logs: `blocks` blocks, each with `perBlock` calls spread over `emitters` (round robin). Returns the last
 * block's number.
 */
export async function emit(
  clients: AnvilClients,
  emitters: readonly Address[],
  options: { blocks: number; perBlock?: number; tag?: number } = { blocks: 1 },
): Promise<bigint> {
  const perBlock = options.perBlock ?? 1;
  const wallet = clients.walletClient(1);
  let nonce = await clients.publicClient.getTransactionCount({ address: wallet.account.address, blockTag: "pending" });
  let counter = options.tag ?? 0;
  await clients.testClient.setAutomine(false);
  try {
    for (let block = 0; block < options.blocks; block++) {
      for (let index = 0; index < perBlock; index++) {
        const to = emitters[counter % emitters.length]!;
        await wallet.sendTransaction({ to, data: toHex(counter++, { size: 32 }), nonce: nonce++, gas: 60_000n });
      }
      await clients.testClient.mine({ blocks: 1 });
    }
  } finally {
    await clients.testClient.setAutomine(true);
  }
  return clients.publicClient.getBlockNumber({ cacheTime: 0 });
}
