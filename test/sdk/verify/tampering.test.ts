import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import type { Address, Hex, PublicClient } from "viem";
import {
  DataClass,
  Relation,
  Scope,
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type ProvenanceReceipt,
  type Verdict,
} from "../../../src/sdk";
import { hashOf, registration } from "../../helpers/fixtures";
import { signRegistration } from "../../helpers/signing";
import { register, setup } from "./deployment";

describe("SDK receipt verification", () => {
  describe("tampering", () => {
    type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
    type Path = (string | number)[];

    /** Every path in a JSON value: leaves and containers (containers get structural edits). */
    function paths(value: Json, prefix: Path = []): Path[] {
      if (value === null || typeof value !== "object") return [prefix];
      const children = Array.isArray(value)
        ? value.flatMap((item, i) => paths(item, [...prefix, i]))
        : Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]));
      return [prefix, ...children];
    }

    function get(value: Json, path: Path): Json {
      return path.reduce<Json>((node, key) => (node as Record<string, Json>)[key], value);
    }

    function set(value: Json, path: Path, next: Json | undefined): void {
      const parent = get(value, path.slice(0, -1)) as Record<string | number, Json>;
      const key = path[path.length - 1];
      if (next === undefined) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else parent[key] = next;
    }

    /** A different value at `path`, of the same kind where possible: what a forger would try. */
    function mutated(original: Json, choice: number, delta: number, position: number): Json | undefined {
      if (typeof original === "string" && /^0x[0-9a-f]+$/.test(original)) {
        const i = 2 + (position % (original.length - 2));
        const digit = ((parseInt(original[i], 16) + 1 + (delta % 15)) % 16).toString(16);
        return original.slice(0, i) + digit + original.slice(i + 1);
      }
      if (typeof original === "string" && /^\d+$/.test(original)) {
        const value = BigInt(original);
        return String(choice % 2 === 0 || value < BigInt(delta) ? value + BigInt(delta) : value - BigInt(delta));
      }
      if (typeof original === "string") return choice % 2 === 0 ? `${original}x` : original.slice(0, -1) || "x";
      if (typeof original === "number")
        return choice % 2 === 0 || original < delta ? original + delta : original - delta;
      if (original === null) return choice % 2 === 0 ? "0x00" : { signer: "0x00" };
      if (Array.isArray(original)) {
        if (original.length === 0) return ["0x" + "11".repeat(32)];
        const copy = structuredClone(original);
        if (choice % 3 === 0) copy.splice(position % copy.length, 1);
        else if (choice % 3 === 1) copy.push(structuredClone(copy[position % copy.length]));
        else copy.reverse();
        return copy;
      }
      if (typeof original === "object") {
        const keys = Object.keys(original);
        const copy = structuredClone(original);
        if (choice % 2 === 0 && keys.length > 0) delete copy[keys[position % keys.length]];
        else copy.extra = "0x00";
        return copy;
      }
      return undefined;
    }

    let receipts: ProvenanceReceipt[];
    let client: PublicClient;
    let ledger: Address;

    before(async () => {
      const ctx = await setup();
      client = ctx.client;
      ledger = ctx.ledgerAddress;
      // A signed registration by HK of a record derived from CN-GD's public dataset under a grant, and from its own.
      const a = hashOf("tamper:a");
      const b = hashOf("tamper:b");
      await ctx.ledger.connect(ctx.agency).register(registration(a, { dataClass: DataClass.PUBLIC }));
      await ctx.ledger.connect(ctx.foreignAgency).register(registration(b));
      await ctx.rights.connect(ctx.agency).issueGrant(a, 2, Scope.DERIVE, hashOf("purpose"), 0);
      const reg = registration(hashOf("tamper:c"), {
        metadataURI: "ipfs://tamper",
        parents: [
          { fingerprint: a, relation: Relation.DERIVED_FROM },
          { fingerprint: b, relation: Relation.DERIVED_FROM },
        ],
      });
      const envelope = await signRegistration(ctx.ledger, ctx.foreignAgency, reg);
      const signed = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
      const plain = await register(ctx, "tamper:plain");
      const fingerprints = Array.from({ length: 64 }, (_, i) => hashOf(`tamper:batch:${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((f) => [f]),
        ["bytes32"],
      );
      const anchored = await ctx.ledger.connect(ctx.agency).anchorBatch(tree.root, 64, hashOf("manifest"), "ipfs://m");
      receipts = [
        await buildRegistrationReceipt(client, { ledger: ctx.ledgerAddress, transactionHash: signed.hash as Hex }),
        plain.receipt,
        await buildBatchMemberReceipt(client, {
          ledger: ctx.ledgerAddress,
          transactionHash: anchored.hash as Hex,
          fingerprint: fingerprints[21] as Hex,
          proof: tree.getProof(21) as Hex[],
        }),
      ];
      for (const receipt of receipts) {
        const verdict = await verifyReceiptOnline(client, receipt, { ledger: ctx.ledgerAddress });
        expect(verdict.valid, verdict.summary).to.equal(true);
      }
    });

    /** Offline first (cheap); only a receipt that passes offline needs the chain to expose it. */
    async function combined(receipt: ProvenanceReceipt): Promise<{ offline: Verdict; online?: Verdict }> {
      const offline = await verifyReceiptOffline(receipt);
      return offline.valid ? { offline, online: await verifyReceiptOnline(client, receipt, { ledger }) } : { offline };
    }

    it("changing any field of a receipt makes it fail verification (property)", async function () {
      this.timeout(600_000);
      // Every path of every receipt, batch fields included, with no exclusions: one example each, then random ones.
      const allPaths = receipts.map((receipt) => paths(receipt as unknown as Json).filter((p) => p.length > 0));
      const examples = allPaths.flatMap((list, which) =>
        list.map((_, i): [number, number, number, number, number] => [which, i, i, 1 + (i % 7), i]),
      );
      const RANDOM_RUNS = 400;
      const caught = new Map<string, number>();
      const tampered = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: receipts.length - 1 }),
          fc.nat(),
          fc.nat(),
          fc.integer({ min: 1, max: 1000 }),
          fc.nat(),
          async (which, pathChoice, choice, delta, position) => {
            const original = receipts[which] as unknown as Json;
            const all = allPaths[which];
            const path = all[pathChoice % all.length];
            const next = mutated(get(original, path), choice, delta, position);
            const forged = structuredClone(original);
            set(forged, path, next);
            const what = `${receipts[which].kind} ${path.join("/")} -> ${JSON.stringify(next)}`;
            expect(JSON.stringify(forged), `${what}: the mutation changed nothing`).to.not.equal(
              JSON.stringify(original),
            );

            const { offline, online } = await combined(forged as unknown as ProvenanceReceipt);
            const verdict = online ?? offline;
            expect(verdict.valid, `${what}: ${verdict.summary}`).to.equal(false);
            expect(verdict.authentic, `${what}: ${verdict.summary}`).to.equal(false);
            const where = online ? "online" : "offline";
            caught.set(where, (caught.get(where) ?? 0) + 1);
            tampered.add(`${which}:${path.join("/")}`);
          },
        ),
        { numRuns: examples.length + RANDOM_RUNS, examples },
      );
      // Every field path was tampered with, including each batch field (and none is left out as unprovable).
      expect(tampered.size).to.equal(examples.length);
      expect([...tampered]).to.include.members(["2:batch", "2:batch/root", "2:batch/proof", "2:batch/proof/0"]);
      // Both halves earned their keep: some tampering only the chain exposes (e.g. the block hash).
      expect(caught.get("offline") ?? 0).to.be.greaterThan(0);
      expect(caught.get("online") ?? 0).to.be.greaterThan(0);
    });

    it("every leaf field, changed once each, is caught", async function () {
      this.timeout(600_000);
      for (const receipt of receipts) {
        const original = receipt as unknown as Json;
        for (const path of paths(original).filter((p) => p.length > 0)) {
          const value = get(original, path);
          if (value !== null && typeof value === "object") continue;
          const tampered = structuredClone(original);
          set(tampered, path, mutated(value, 0, 1, 3));
          const { offline, online } = await combined(tampered as unknown as ProvenanceReceipt);
          expect((online ?? offline).authentic, `${receipt.kind} ${path.join("/")}`).to.equal(false);
        }
      }
    });
  });
});
