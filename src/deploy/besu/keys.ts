/**
 * A Besu node key: secp256k1, written as Besu's `operator generate-blockchain-config` writes it — `key` holds the
 * private key and `key.pub` the 64-byte public key (uncompressed, without the 0x04 prefix), both as 0x-hex text. The
 * node's address (its validator identity) is the last 20 bytes of keccak256(public key); its enode is
 * `enode://<public key hex>@<ip>:<p2p port>`.
 */
import { type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

export type NodeKey = { privateKey: Hex; publicKey: Hex; address: Address };

export function nodeKey(privateKey: Hex = generatePrivateKey()): NodeKey {
  const account = privateKeyToAccount(privateKey);
  // viem gives 0x04 || x || y; Besu's key.pub and the enode are x || y.
  const publicKey = `0x${account.publicKey.slice(4)}` as Hex;
  return { privateKey, publicKey, address: account.address };
}

export function enodeUrl(key: Pick<NodeKey, "publicKey">, host: string, port: number): string {
  return `enode://${key.publicKey.slice(2)}@${host}:${port}`;
}
