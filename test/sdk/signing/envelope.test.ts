import { expect } from "chai";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { InvalidInputError, parseEnvelope, serializeEnvelope, toEnvelope } from "../../../src/sdk";

const envelope = {
  signer: privateKeyToAccount(generatePrivateKey()).address,
  chainId: 31337n,
  nonce: 2n ** 200n,
  deadline: 1_900_000_000n,
  signature: `0x${"ab".repeat(65)}` as Hex,
};

describe("SDK signing: envelopes", () => {
  it("travel as JSON with decimal strings, and come back equal", () => {
    const json = serializeEnvelope(envelope);
    expect(JSON.parse(json)).to.deep.equal({
      signer: envelope.signer,
      chainId: "31337",
      nonce: (2n ** 200n).toString(),
      deadline: "1900000000",
      signature: envelope.signature,
    });
    expect(parseEnvelope(json)).to.deep.equal(envelope);
  });

  it("refuse malformed JSON and fields with the field's name", () => {
    const json = JSON.parse(serializeEnvelope(envelope)) as Record<string, unknown>;
    const cases: [string, string][] = [
      ["{", "envelope is not JSON"],
      [JSON.stringify({ ...json, nonce: 3 }), "envelope.nonce must be a decimal string"],
      [JSON.stringify({ ...json, deadline: "1e9" }), "envelope.deadline must be a decimal string"],
      [JSON.stringify({ ...json, signer: "0x12" }), "envelope.signer must be an address"],
      [JSON.stringify({ ...json, signature: "0xabc" }), "envelope.signature must be bytes as hex"],
    ];
    for (const [text, message] of cases) expect(() => parseEnvelope(text), text).to.throw(InvalidInputError, message);
    expect(() => toEnvelope(null as never)).to.throw(InvalidInputError, "envelope must be an object");
    expect(() => toEnvelope({ ...envelope, chainId: -1n })).to.throw(InvalidInputError, "envelope.chainId");
  });
});
