import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, custom, type Address, type PublicClient } from "viem";
import { deployProvledger } from "../../../scripts/deploy";
import type { ProvenanceNode, ProvledgerAddresses, RegisteredNode } from "../../../src/sdk";
import { hardhatChain } from "../../helpers/viem";

/** A fresh deployment with a viem client on the in-process chain, as explanations read it. */
export async function deployExplained() {
  const deployment = await deployProvledger(0);
  const client = createPublicClient({ chain: hardhatChain, transport: custom(hre.network.provider) }) as PublicClient;
  const contracts: ProvledgerAddresses = {
    ledger: (await deployment.ledger.getAddress()) as Address,
    rights: (await deployment.rights.getAddress()) as Address,
    registry: (await deployment.registry.getAddress()) as Address,
  };
  return { ...deployment, client, contracts };
}

export function registered(node: ProvenanceNode): RegisteredNode {
  expect(node.registered, `${node.fingerprint} is registered`).to.equal(true);
  return node as RegisteredNode;
}
