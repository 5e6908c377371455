import { expect } from "chai";
import fc from "fast-check";
import type { Address, Hex } from "viem";
import { batchPayloadHash, payloadHashOf, registrationPayloadHash } from "../../../src/sdk";

describe("SDK provenance receipts: payload hashes", () => {
  describe("payload hashes", () => {
    const hex32 = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((b) => `0x${Buffer.from(b).toString("hex")}` as Hex);
    const address = fc
      .uint8Array({ minLength: 20, maxLength: 20 })
      .map((b) => `0x${Buffer.from(b).toString("hex")}` as Address);
    const uri = fc.string({ unit: "binary", maxLength: 80 });

    it("the hand-rolled RecordRegistered encoding equals viem's abi.encode (trail.ts payloadHashOf)", () => {
      fc.assert(
        fc.property(
          hex32,
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          address,
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 255 }),
          hex32,
          uri,
          fc.array(fc.tuple(hex32, fc.integer({ min: 0, max: 255 }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })), {
            maxLength: 16,
          }),
          (fingerprint, ownerOrg, registrant, scheme, dataClass, metadataHash, metadataURI, links) => {
            const parents = links.map(([f, relation, grantId]) => ({
              fingerprint: f,
              relation,
              grantId: String(grantId),
            }));
            const expected = payloadHashOf({
              eventName: "RecordRegistered",
              args: {
                fingerprint,
                ownerOrg,
                registrant,
                scheme,
                dataClass,
                metadataHash,
                metadataURI,
                parents: links.map(([f, relation]) => ({ fingerprint: f, relation })),
                derivationGrants: links.map(([, , grantId]) => grantId),
              },
            });
            const fields = { fingerprint, ownerOrg, registrant, scheme, dataClass, metadataHash, metadataURI, parents };
            expect(registrationPayloadHash(fields)).to.equal(expected);
          },
        ),
        { numRuns: 300 },
      );
    });

    it("the hand-rolled BatchAnchored encoding equals viem's abi.encode", () => {
      fc.assert(
        fc.property(
          hex32,
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          address,
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          hex32,
          uri,
          (root, org, registrant, leafCount, metadataHash, metadataURI) => {
            const expected = payloadHashOf({
              eventName: "BatchAnchored",
              args: { root, org, registrant, leafCount, metadataHash, metadataURI },
            });
            const fields = { root, org, registrant, leafCount: String(leafCount), metadataHash, metadataURI };
            expect(batchPayloadHash(fields)).to.equal(expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
