import { BaseError, ContractFunctionRevertedError, isHex, type Hex } from "viem";

/** Finds revert data in what viem, ethers or a node threw: `0x` for a revert without data, undefined if none. */
export function revertDataOf(error: unknown): Hex | undefined {
  if (typeof error === "string") return isHex(error) && error.length % 2 === 0 ? error : undefined;
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.raw) return reverted.raw;
  }
  // Nodes and libraries nest the data differently (viem RpcRequestError.data, Hardhat's error.data, ethers'
  // error.data or info.error.data, geth's data.data): search the error's causes breadth-first.
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  let revertedWithoutData = false;
  while (queue.length > 0 && seen.size < 64) {
    const node = queue.shift();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    const data = record.data;
    if (typeof data === "string" && isHex(data) && data.length % 2 === 0) {
      if (data.length >= 10) return data;
      revertedWithoutData = true;
    }
    if (typeof data === "object" && data !== null) queue.push(data);
    if (node instanceof ContractFunctionRevertedError) revertedWithoutData = true;
    for (const key of ["cause", "error", "info"]) queue.push(record[key]);
  }
  return revertedWithoutData ? "0x" : undefined;
}
