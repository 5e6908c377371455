import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet } from "ethers";
import {
  createWalletClient,
  custom,
  getAddress,
  keccak256,
  recoverTypedDataAddress,
  stringToHex,
  zeroHash,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployProvledger } from "../../../scripts/deploy";
import {
  DataClass,
  InvalidInputError,
  Relation,
  Scheme,
  registerBySigArgs,
  registrationTypedData,
  signRegistration,
  signerAddress,
  toRegistration,
} from "../../../src/sdk";
import { signRegistration as signRegistrationWithEthers } from "../../helpers/signing";

function h(label: string): Hex {
  return keccak256(stringToHex(`provledger-signing-test:${label}`));
}

async function deployLedger(): Promise<Address> {
  const { ledger } = await deployProvledger(0);
  return getAddress(await ledger.getAddress());
}

const registration = {
  fingerprint: h("same-bytes"),
  scheme: Scheme.MANIFEST_ROOT,
  dataClass: DataClass.IMPORTANT,
  metadataHash: h("meta"),
  metadataURI: "ipfs://same",
  parents: [
    { fingerprint: h("p1"), relation: Relation.DERIVED_FROM },
    { fingerprint: h("p2"), relation: Relation.REVISION_OF },
  ],
};
const envelope = { chainId: 31337n, nonce: 7n, deadline: 1_900_000_000n };
/** The organisation signed for (the signer's, `organizationOf(signer)`, when the client signs). */
const org = 3;

describe("SDK signing: registrations", () => {
  it("signs exactly the typed data of the ethers test helper", async () => {
    const ledger = await loadFixture(deployLedger);
    const privateKey = generatePrivateKey();
    const viemEnvelope = await signRegistration({
      account: privateKeyToAccount(privateKey),
      ledger,
      registration,
      org,
      ...envelope,
    });
    const ethersEnvelope = await signRegistrationWithEthers(
      await hre.ethers.getContractAt("ProvenanceLedger", ledger),
      new Wallet(privateKey, hre.ethers.provider),
      registration,
      { ...envelope, org: BigInt(org) },
    );
    expect(viemEnvelope.signature).to.equal(ethersEnvelope.signature);
  });

  it("signs alike with an account or a wallet client, and may name an ERC-1271 signer", async () => {
    const ledger = await loadFixture(deployLedger);
    const key = privateKeyToAccount(generatePrivateKey());
    const wallet = createWalletClient({ account: key, transport: custom(hre.network.provider) });
    expect(signerAddress(wallet)).to.equal(key.address);
    const viaAccount = await signRegistration({ account: key, ledger, registration, org, ...envelope });
    const viaWallet = await signRegistration({ account: wallet, ledger, registration, org, ...envelope });
    expect(viaWallet).to.deep.equal(viaAccount);
    expect(viaAccount).to.deep.include({ signer: key.address, ...envelope });

    const multisig = privateKeyToAccount(generatePrivateKey()).address;
    const forWallet = await signRegistration({
      account: key,
      signer: multisig,
      ledger,
      registration,
      org,
      ...envelope,
    });
    expect(forWallet.signer).to.equal(multisig);
    const typedData = registrationTypedData({ ledger, registration, org, ...envelope, signer: multisig });
    // The organisation is signed: the same fields for another organisation recover to another address.
    const otherOrg = registrationTypedData({ ledger, registration, org: org + 1, ...envelope, signer: multisig });
    expect(await recoverTypedDataAddress({ ...otherOrg, signature: forWallet.signature })).to.not.equal(key.address);
    expect(await recoverTypedDataAddress({ ...typedData, signature: forWallet.signature })).to.equal(key.address);
  });

  it("checks a registration and fills in its defaults", () => {
    const fingerprint = h("defaults");
    expect(toRegistration({ fingerprint, dataClass: DataClass.PUBLIC })).to.deep.equal({
      fingerprint,
      scheme: Scheme.SHA256,
      dataClass: DataClass.PUBLIC,
      metadataHash: zeroHash,
      metadataURI: "",
      parents: [],
    });
    expect(() => toRegistration(null as never)).to.throw(InvalidInputError, "registration must be an object");
    expect(() => toRegistration({ fingerprint, dataClass: 0, parents: {} as never })).to.throw(
      InvalidInputError,
      "parents must be an array",
    );
    expect(() => toRegistration({ fingerprint, dataClass: 0, parents: [{ fingerprint, relation: 256 }] })).to.throw(
      InvalidInputError,
      "parents[0].relation must be a whole number from 0 to 255",
    );
    const signed = { signer: privateKeyToAccount(generatePrivateKey()).address, ...envelope, signature: "0x12" as Hex };
    expect(registerBySigArgs({ registration: { fingerprint, dataClass: 0 }, envelope: signed })).to.deep.equal([
      toRegistration({ fingerprint, dataClass: 0 }),
      signed,
    ]);
    expect(() =>
      registerBySigArgs({ registration: { fingerprint, dataClass: 0 }, envelope: { ...signed, signature: "0x1" } }),
    ).to.throw(InvalidInputError, "envelope.signature must be bytes as hex");
  });
});
