import { expect } from "chai";
import hre from "hardhat";
import { Wallet } from "ethers";
import { createWalletClient, getAddress, parseEther } from "viem";
import { DataClass, createProvledgerClient, fromEip1193, type Eip1193Provider } from "../../../src/sdk";
import { ethersSignerToAccount, fromEthersSigner } from "../../../src/sdk/ethers";
import { AGENCY, CHAIN_ID, fundedKey, h, publicClient, rejection, revert, transport, world } from "./world";

describe("SDK client: adapters", () => {
  it("works over an EIP-1193 provider with a node account, a local key, or the provider's first account", async () => {
    const { agency, addresses, accounts, org } = await world();
    const viaNode = await fromEip1193(hre.network.provider, accounts.agency, addresses, {
      chainId: CHAIN_ID,
      pollingInterval: 10,
    });
    const one = await viaNode.register({ fingerprint: h("eip1193-node"), dataClass: DataClass.PUBLIC });
    expect(one.event.args.registrant).to.equal(accounts.agency);

    const key = await fundedKey();
    await agency.addOperator({ orgId: org.agency, account: key.address });
    const viaKey = await fromEip1193(hre.network.provider, key, addresses, { pollingInterval: 10 });
    const two = await viaKey.register({ fingerprint: h("eip1193-local"), dataClass: DataClass.PUBLIC });
    expect(two.event.args.registrant).to.equal(key.address);
    const duplicate = await revert(
      viaKey.register({ fingerprint: h("eip1193-local"), dataClass: 0 }),
      "AlreadyRegistered",
    );
    expect(duplicate.message).to.include(`already registered by ${AGENCY}`);

    const first = await fromEip1193(hre.network.provider, undefined, addresses);
    expect(first.account).to.equal(accounts.governance);

    const noAccounts: Eip1193Provider = {
      request: (args) =>
        args.method === "eth_accounts"
          ? Promise.resolve([])
          : hre.network.provider.request(args as { method: string; params?: unknown[] }),
    };
    const readOnly = await fromEip1193(noAccounts, undefined, addresses);
    expect(readOnly.account).to.equal(undefined);
    expect(await readOnly.exists({ fingerprint: h("eip1193-node") })).to.equal(true);
    const noWallet = await rejection(readOnly.register({ fingerprint: h("read-only"), dataClass: 0 }));
    expect(noWallet.code).to.equal("NoWallet");
    expect(noWallet.message).to.include("register needs a signing account, but this client has none");
  });

  it("works through an ethers v6 signer, for transactions and EIP-712 signatures", async () => {
    const { addresses, accounts, outsider, org, agency } = await world();
    const signer = await hre.ethers.getSigner(accounts.agency);
    const client = await fromEthersSigner(signer, addresses, { chainId: CHAIN_ID, pollingInterval: 10 });
    expect(client.account).to.equal(accounts.agency);
    const registered = await client.register({ fingerprint: h("ethers"), dataClass: DataClass.PUBLIC });
    expect(registered.event.args.registrant).to.equal(accounts.agency);
    const transaction = await publicClient.getTransaction({ hash: registered.transactionHash });
    expect(getAddress(transaction.from)).to.equal(accounts.agency);
    const duplicate = await revert(client.register({ fingerprint: h("ethers"), dataClass: 0 }), "AlreadyRegistered");
    expect(duplicate.message).to.include(`already registered by ${AGENCY}`);

    // EIP-712 through the signer: the client's wallet, and the signer as a viem account, sign the same bytes.
    const registration = { fingerprint: h("ethers-signed"), dataClass: DataClass.PUBLIC };
    const viaWallet = await client.signRegistration({ registration, deadline: 1_900_000_000 });
    const account = await ethersSignerToAccount(signer);
    const viaAccount = await agency.signRegistration({ registration, account, deadline: 1_900_000_000 });
    expect(viaAccount).to.deep.equal(viaWallet);
    const relayed = await outsider.registerBySig({ registration, envelope: viaWallet });
    expect(relayed.event.args.registrant).to.equal(accounts.agency);

    // An ethers Wallet as a local viem account: viem signs the transaction through it and sends it raw.
    const wallet = Wallet.createRandom(hre.ethers.provider);
    await hre.network.provider.request({
      method: "hardhat_setBalance",
      params: [wallet.address, `0x${parseEther("10").toString(16)}`],
    });
    await agency.addOperator({ orgId: org.agency, account: getAddress(wallet.address) });
    const walletClient = createWalletClient({ transport, account: await ethersSignerToAccount(wallet) });
    const viaEthersWallet = createProvledgerClient({ publicClient, walletClient, addresses });
    const three = await viaEthersWallet.register({ fingerprint: h("ethers-wallet"), dataClass: DataClass.PUBLIC });
    expect(three.event.args.registrant).to.equal(getAddress(wallet.address));
  });
});
