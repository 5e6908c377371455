/** Reading a batch tree back from its dump, trusting nothing in it but the fingerprints. */
import { describeValue, InvalidBatchDumpError } from "../errors/batch";
import { compareBytes32, writeBytes32 } from "./bytes";
import { allocateTree, assembleTree, type BatchTree, type BatchTreeDump } from "./tree";

/**
 * Reads a dump back (from `dump()` or from OpenZeppelin's `StandardMerkleTree.dump()` with default options), after
 * rebuilding the tree from its fingerprints: throws InvalidBatchDumpError unless every node and leaf position matches.
 */
export function loadBatchTree(data: unknown): BatchTree {
  if (typeof data !== "object" || data === null) throw new InvalidBatchDumpError("not an object");
  const { format, leafEncoding, tree, values } = data as Partial<Record<keyof BatchTreeDump, unknown>>;
  if (format !== "standard-v1") {
    throw new InvalidBatchDumpError(`format is ${describeValue(format)}, not "standard-v1"`);
  }
  if (!Array.isArray(leafEncoding) || leafEncoding.length !== 1 || leafEncoding[0] !== "bytes32") {
    throw new InvalidBatchDumpError(`leafEncoding must be ["bytes32"], got ${describeValue(leafEncoding)}`);
  }
  if (!Array.isArray(values) || !Array.isArray(tree)) throw new InvalidBatchDumpError("tree and values must be arrays");
  const n = values.length;
  if (n === 0) throw new InvalidBatchDumpError("no values");
  if (tree.length !== 2 * n - 1) {
    throw new InvalidBatchDumpError(`tree has ${tree.length} nodes, ${n} values need ${2 * n - 1}`);
  }
  const kernel = allocateTree(n);
  for (let i = 0; i < n; i++) {
    const entry: unknown = values[i];
    const value = typeof entry === "object" && entry !== null ? (entry as { value?: unknown }).value : undefined;
    if (!Array.isArray(value) || value.length !== 1 || !writeBytes32(value[0], kernel.values, i * 32)) {
      throw new InvalidBatchDumpError(`values[${i}] must be { value: [bytes32 hex], treeIndex }`);
    }
  }
  const built = assembleTree(kernel);
  const node = new Uint8Array(32);
  for (let i = 0; i < tree.length; i++) {
    if (!writeBytes32(tree[i], node, 0)) throw new InvalidBatchDumpError(`tree[${i}] is not 32-byte hex`);
    if (compareBytes32(node, 0, kernel.nodes, i * 32) !== 0) {
      throw new InvalidBatchDumpError(`tree[${i}] differs from the node recomputed from the values`);
    }
  }
  for (let i = 0; i < n; i++) {
    const treeIndex = (values[i] as { treeIndex?: unknown }).treeIndex;
    if (treeIndex !== built.treeIndexOf[i]) {
      throw new InvalidBatchDumpError(
        `values[${i}].treeIndex is ${describeValue(treeIndex)}, expected ${built.treeIndexOf[i]} ` +
          "(only trees built with sorted leaves, the library's default, are supported)",
      );
    }
  }
  return built.tree;
}
