import { expect } from "chai";
import { readFileSync } from "node:fs";
import hre from "hardhat";
import { ABI_MODULE, renderAbiModule } from "../../../scripts/export-abis";

describe("SDK ABIs", () => {
  it("src/sdk/abi/generated.ts matches the compiled contracts (run `npm run abi` after changing a contract)", async () => {
    await hre.run("compile", { quiet: true });
    expect(readFileSync(ABI_MODULE, "utf8")).to.equal(await renderAbiModule());
  });
});
