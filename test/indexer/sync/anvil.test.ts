import { expect } from "chai";
import { parseEther } from "viem";
import { anvilClients, startAnvil, type Anvil } from "../../helpers/anvil";

describe("test/helpers/anvil", function () {
  let anvil: Anvil;
  before(async () => {
    anvil = await startAnvil();
  });
  after(() => anvil?.stop());

  it("starts anvil on a free port with chain id 31337, the raised gas limit and the default accounts", async () => {
    const { publicClient, walletClient, accounts } = anvilClients(anvil.url);
    expect(anvil.port).to.be.greaterThan(0);
    expect(await publicClient.getChainId()).to.equal(31337);
    const block = await publicClient.getBlock();
    expect(block.gasLimit).to.equal(100_000_000n);
    expect(accounts[0].address).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    const hash = await walletClient(0).sendTransaction({ to: accounts[1].address, value: parseEther("1") });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
  });

  it("stops, and stop is idempotent", async () => {
    const other = await startAnvil({ blockTime: 1 });
    await other.stop();
    await other.stop();
    expect(other.process.exitCode !== null || other.process.signalCode !== null).to.equal(true);
  });
});
