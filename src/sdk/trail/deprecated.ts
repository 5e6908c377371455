import { zeroHash, type Hex } from "viem";

/**
 * @deprecated Use viem's `zeroHash`. Kept while src/sdk/receipt, src/sdk/verify and some contract tests still import
 * it from here.
 */
export const ZERO_HASH: Hex = zeroHash;
