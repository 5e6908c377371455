import { expect } from "chai";
import fc from "fast-check";
import { keccak256, stringToBytes } from "viem";
import { canonicalJson, metadataHash } from "../../../src/sdk";
import { thrown } from "./helpers";

describe("SDK fingerprints", () => {
  describe("metadata: RFC 8785 canonical JSON", () => {
    it("serializes the RFC 8785 section 3.2.2 example", () => {
      const input = JSON.parse(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
          '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
          '"literals": [null, true, false]}',
      );
      expect(canonicalJson(input)).to.equal(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it("sorts keys by UTF-16 code units (RFC 8785 section 3.2.3)", () => {
      const input = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
      };
      expect(canonicalJson(input)).to.equal(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
          '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
      expect(canonicalJson({ b: { z: 1, a: [3, { y: 1, x: 2 }] }, a: null })).to.equal(
        '{"a":null,"b":{"a":[3,{"x":2,"y":1}],"z":1}}',
      );
    });

    it("formats numbers as RFC 8785 appendix B does", () => {
      const fromBits = (bits: string): number => {
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, BigInt(`0x${bits}`));
        return view.getFloat64(0);
      };
      const cases: [string, string][] = [
        ["0000000000000000", "0"],
        ["8000000000000000", "0"],
        ["0000000000000001", "5e-324"],
        ["8000000000000001", "-5e-324"],
        ["7fefffffffffffff", "1.7976931348623157e+308"],
        ["ffefffffffffffff", "-1.7976931348623157e+308"],
        ["4340000000000000", "9007199254740992"],
        ["c340000000000000", "-9007199254740992"],
        ["4430000000000000", "295147905179352830000"],
        ["44b52d02c7e14af5", "9.999999999999997e+22"],
        ["44b52d02c7e14af6", "1e+23"],
        ["44b52d02c7e14af7", "1.0000000000000001e+23"],
        ["444b1ae4d6e2ef4e", "999999999999999700000"],
        ["444b1ae4d6e2ef4f", "999999999999999900000"],
        ["444b1ae4d6e2ef50", "1e+21"],
        ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
        ["3eb0c6f7a0b5ed8d", "0.000001"],
        ["41b3de4355555553", "333333333.3333332"],
        ["41b3de4355555554", "333333333.33333325"],
        ["41b3de4355555555", "333333333.3333333"],
        ["41b3de4355555556", "333333333.3333334"],
        ["41b3de4355555557", "333333333.33333343"],
        ["becbf647612f3696", "-0.0000033333333333333333"],
        ["43143ff3c1cb0959", "1424953923781206.2"],
      ];
      for (const [bits, text] of cases) expect(canonicalJson(fromBits(bits)), bits).to.equal(text);
      for (const bits of ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"]) {
        thrown(() => canonicalJson(fromBits(bits)), "InvalidJson");
      }
    });

    it("keeps non-ASCII text literal and escapes only what JSON requires", () => {
      expect(canonicalJson({ name: "Zürich – 東京 😀", control: "\u0000\u001f\u007f\u2028" })).to.equal(
        '{"control":"\\u0000\\u001f\u007f\u2028","name":"Zürich – 東京 😀"}',
      );
    });

    it("refuses what RFC 8785 cannot represent, naming where it is", () => {
      const cases: unknown[] = [
        undefined,
        Number.NaN,
        10n,
        () => 1,
        Symbol("s"),
        [1, undefined],
        { when: new Date(0) },
        { bad: "\ud800" },
        { ["\udfff"]: 1 },
      ];
      const sparse: number[] = [1];
      sparse[2] = 3;
      cases.push(sparse);
      for (const value of cases) thrown(() => canonicalJson(value), "InvalidJson");
      expect(thrown(() => canonicalJson({ a: [{ "b/c": Infinity }] }), "InvalidJson").message).to.include("/a/0/b~1c");
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      thrown(() => canonicalJson(cyclic), "InvalidJson");
      // A shared (not cyclic) object is fine.
      const shared = { x: 1 };
      expect(canonicalJson({ a: shared, b: shared })).to.equal('{"a":{"x":1},"b":{"x":1}}');
      // As JSON.stringify: members whose value is undefined are left out.
      expect(canonicalJson({ a: undefined, b: 1 })).to.equal('{"b":1}');
      expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 2, a: 1 }))).to.equal('{"a":1,"b":2}');
    });

    it("is idempotent over arbitrary JSON", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = canonicalJson(value);
          expect(canonicalJson(JSON.parse(text))).to.equal(text);
        }),
        { numRuns: 200 },
      );
    });

    it("hashes the UTF-8 canonical text with keccak256, whatever the key order", () => {
      const document = { title: "Port calls 2024", licence: "CC-BY-4.0", tags: ["ais", "ports"], rows: 1_200_000 };
      const reordered = { rows: 1_200_000, tags: ["ais", "ports"], licence: "CC-BY-4.0", title: "Port calls 2024" };
      expect(metadataHash(document)).to.equal(keccak256(stringToBytes(canonicalJson(document))));
      expect(metadataHash(reordered)).to.equal(metadataHash(document));
      expect(metadataHash({ ...document, rows: 1_200_001 })).to.not.equal(metadataHash(document));
      expect(metadataHash({})).to.equal(keccak256(stringToBytes("{}")));
    });
  });
});
