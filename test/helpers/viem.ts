import { defineChain } from "viem";

/**
 * The in-process Hardhat chain for viem clients. Not `viem/chains`: its type declarations pull in sources that need
 * the DOM library, which this Node project does not compile against.
 */
export const hardhatChain = defineChain({
  id: 31337,
  name: "Hardhat",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
});
