import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, custom, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployProvledger } from "../../../scripts/deploy";
import { createProvledgerClient, type ProvledgerAddresses } from "../../../src/sdk";
import { CHAIN_ID, h, publicClient, rejection, world } from "./world";

/** A second deployment, to mix its addresses with the first's. */
async function otherDeployment(): Promise<ProvledgerAddresses> {
  const deployment = await deployProvledger(0);
  return {
    registry: getAddress(await deployment.registry.getAddress()),
    ledger: getAddress(await deployment.ledger.getAddress()),
    rights: getAddress(await deployment.rights.getAddress()),
  };
}

describe("SDK client: deployment check", () => {
  it("refuses an address without code, a contract of another kind, and another chain", async () => {
    const { addresses } = await world();
    const nowhere = privateKeyToAccount(generatePrivateKey()).address;
    const noCode = createProvledgerClient({ publicClient, addresses: { ...addresses, ledger: nowhere } });
    const error = await rejection(noCode.getRecord({ fingerprint: h("any") }));
    expect(error.code).to.equal("NoContract");
    expect(error.name).to.equal("ProvledgerClientError");
    expect(error.message).to.equal(
      `no contract at ${nowhere} on chain 31337: check the deployment addresses (this is the ledger address)`,
    );

    const swapped = createProvledgerClient({
      publicClient,
      addresses: { registry: addresses.registry, ledger: addresses.registry, rights: addresses.rights },
    });
    const wrong = await rejection(swapped.exists({ fingerprint: h("any") }));
    expect(wrong.code).to.equal("WrongContract");
    expect(wrong.message).to.equal(
      `${addresses.registry} on chain 31337 is not the Provledger ledger of this deployment (it does not answer ` +
        "registry()): check the deployment addresses",
    );

    const otherChain = createProvledgerClient({ publicClient, addresses, chainId: 1 });
    const mismatch = await rejection(otherChain.organizationCount());
    expect(mismatch.code).to.equal("ChainMismatch");
    expect(mismatch.message).to.equal(
      "the node is on chain 31337, but the client expects chain 1: connect to the network the contracts were " +
        "deployed on, or correct the expected chain id",
    );
  });

  it("refuses contracts of two deployments mixed", async () => {
    const { addresses } = await world();
    const other = await otherDeployment();
    const registry = await rejection(
      createProvledgerClient({ publicClient, addresses: { ...addresses, registry: other.registry } }).verify(),
    );
    expect(registry.code).to.equal("WrongContract");
    expect(registry.message).to.equal(
      `${other.registry} on chain 31337 is not the Provledger registry of this deployment (the ledger's registry is ` +
        `${addresses.registry}): check the deployment addresses`,
    );
    const rights = await rejection(
      createProvledgerClient({ publicClient, addresses: { ...addresses, rights: other.rights } }).verify(),
    );
    expect(rights.message).to.equal(
      `${other.rights} on chain 31337 is not the Provledger rights of this deployment (it serves the ledger ` +
        `${other.ledger}): check the deployment addresses`,
    );
  });

  it("checks the deployment once, and again after a failure", async () => {
    const { addresses } = await world();
    const calls: string[] = [];
    let down = true;
    const flaky = createPublicClient({
      transport: custom(
        {
          request: (args: { method: string; params?: unknown[] }) => {
            calls.push(args.method);
            if (down) return Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
            return hre.network.provider.request(args);
          },
        },
        { retryCount: 0 },
      ),
    });
    const client = createProvledgerClient({ publicClient: flaky, addresses, chainId: CHAIN_ID });
    const failed = await rejection(client.exists({ fingerprint: h("any") }));
    expect(failed.code).to.equal("RequestFailed");
    expect(failed.action).to.equal("connect");

    down = false;
    calls.length = 0;
    expect(await client.exists({ fingerprint: h("any") })).to.equal(false);
    expect(calls.filter((method) => method === "eth_getCode")).to.have.length(3);
    calls.length = 0;
    expect(await client.verify()).to.equal(CHAIN_ID);
    expect(await client.exists({ fingerprint: h("any") })).to.equal(false);
    expect(calls).to.deep.equal(["eth_call"]);
  });
});
