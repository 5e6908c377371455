/**
 * The conformance suite of `ProjectionStore`: any implementation (memory today, SQLite and PostgreSQL next) runs it
 * with `describeProjectionStore(name, makeStore)`.
 */
import { expect } from "chai";
import { getAddress, maxUint64, zeroHash, type Hex } from "viem";
import { GrantStatus, OfferStatus, OrganizationStatus, Relation, Rule } from "../../../src/sdk";
import {
  applyEvent,
  createMemoryStore,
  eventKeys,
  tableNames,
  type ProjectionKeys,
  type ProjectionReader,
  type ProjectionStore,
  type TableKey,
  type TableName,
  type TableValue,
} from "../../../src/indexer/projection";
import { CN, HK, actor, fingerprint, hash, later, noJurisdiction, operator, parent, root, samples } from "./fixtures";
import { start, worldEvents } from "./fixtures";

export type StoreUnderTest = {
  /** An empty store to write through. */
  store: ProjectionStore;
  /**
   * Makes what was written durable (commits) and returns a store that reads it afresh: another connection or
   * transaction, loading `keys` if it works on a loaded working set. Left out by a store that keeps nothing.
   */
  reopen?: (keys: ProjectionKeys) => ProjectionReader | Promise<ProjectionReader>;
  /** Releases the store (closes the database, drops its schema). */
  close?: () => void | Promise<void>;
};

const uint40Max = 2n ** 40n - 1n;
const other = hash("other record");

/** Two rows per table, with the edges a database might round: the largest keys and values, text, empty lists. */
export const sampleRows: { [T in TableName]: readonly (readonly [TableKey<T>, TableValue<T>])[] } = {
  organizations: [
    [
      1,
      {
        id: 1,
        name: "Open Data Bureau",
        metadataHash: hash("odb"),
        jurisdiction: CN,
        roles: 15,
        status: OrganizationStatus.ACTIVE,
        operatorCount: 2,
        registeredAt: 1_800_000_000n,
      },
    ],
    [
      4294967295,
      {
        id: 4294967295,
        name: "澳門統計暨普查局 — ünïcødé 📊",
        metadataHash: zeroHash,
        jurisdiction: noJurisdiction,
        roles: 0,
        status: OrganizationStatus.SUSPENDED,
        operatorCount: 4294967295,
        registeredAt: uint40Max,
      },
    ],
  ],
  operators: [
    [operator, 1],
    [actor, 4294967295],
  ],
  records: [
    [
      fingerprint,
      {
        fingerprint,
        ownerOrg: 1,
        registrant: operator,
        scheme: 0,
        dataClass: 1,
        metadataHash: hash("metadata"),
        metadataURI: "",
        registeredAt: 1_800_000_000n,
        withdrawn: false,
        frozen: true,
        supersededBy: zeroHash,
        parents: [],
        trailHead: hash("head"),
        trailLength: 1n,
        findings: [],
      },
    ],
    [
      other,
      {
        fingerprint: other,
        ownerOrg: 4294967295,
        registrant: actor,
        scheme: 2,
        dataClass: 3,
        metadataHash: zeroHash,
        metadataURI: 'https://example.org/数据/𝔡𝔞𝔱𝔞.json?q=1&r="2"',
        registeredAt: uint40Max,
        withdrawn: true,
        frozen: false,
        supersededBy: fingerprint,
        parents: [
          { fingerprint, relation: Relation.DERIVED_FROM, grantId: maxUint64 },
          { fingerprint: parent, relation: Relation.REVISION_OF, grantId: 0n },
        ],
        trailHead: hash("other head"),
        trailLength: maxUint64,
        findings: [hash("finding 1"), hash("finding 2"), hash("finding 1")],
      },
    ],
  ],
  grants: [
    [
      [fingerprint, 2],
      {
        grantId: 1n,
        fingerprint,
        granteeOrg: 2,
        grantorOrg: 1,
        scopes: 3,
        status: GrantStatus.PENDING_CUSTOMS,
        expiresAt: 0n,
        issuedAt: 1_800_000_000n,
        exportJurisdiction: CN,
        purposeHash: hash("purpose"),
      },
    ],
    [
      [other, 4294967295],
      {
        grantId: maxUint64,
        fingerprint: other,
        granteeOrg: 4294967295,
        grantorOrg: 4294967295,
        scopes: 7,
        status: GrantStatus.REJECTED,
        expiresAt: uint40Max,
        issuedAt: uint40Max,
        exportJurisdiction: noJurisdiction,
        purposeHash: zeroHash,
      },
    ],
  ],
  offers: [
    [
      1n,
      {
        offerId: 1n,
        fingerprint,
        fromOrg: 1,
        toOrg: 2,
        status: OfferStatus.OPEN,
        offeredAt: 1_800_000_000n,
        expiresAt: 1_800_000_600n,
        exportJurisdiction: noJurisdiction,
        termsHash: hash("terms"),
        acceptedAt: 0n,
        deliveryReports: [],
      },
    ],
    [
      maxUint64,
      {
        offerId: maxUint64,
        fingerprint: other,
        fromOrg: 4294967295,
        toOrg: 1,
        status: OfferStatus.DELIVERED,
        offeredAt: uint40Max,
        expiresAt: uint40Max,
        exportJurisdiction: HK,
        termsHash: zeroHash,
        acceptedAt: uint40Max,
        deliveryReports: [
          { receivedFingerprint: hash("corrupted"), matches: false },
          { receivedFingerprint: other, matches: true },
        ],
      },
    ],
  ],
  classRules: [
    [0, Rule.FREE],
    [255, Rule.FORBIDDEN],
  ],
  batches: [
    [
      root,
      {
        root,
        org: 1,
        registrant: operator,
        leafCount: 1n,
        metadataHash: hash("manifest"),
        metadataURI: "ipfs://bafy-batch",
        anchoredAt: 1_800_000_000n,
        trailHead: hash("batch head"),
        trailLength: 1n,
      },
    ],
    [
      hash("big batch"),
      {
        root: hash("big batch"),
        org: 4294967295,
        registrant: actor,
        leafCount: maxUint64,
        metadataHash: zeroHash,
        metadataURI: "",
        anchoredAt: uint40Max,
        trailHead: zeroHash,
        trailLength: maxUint64,
      },
    ],
  ],
};

type Row = { [T in TableName]: readonly [T, TableKey<T>, TableValue<T>] }[TableName];

/** Every sample row as [table, key, value]. */
const allRows: readonly Row[] = tableNames.flatMap((table) =>
  sampleRows[table].map(([key, value]) => [table, key, value] as unknown as Row),
);

function keysOf(rows: readonly Row[]): ProjectionKeys {
  const keys: { [T in TableName]?: TableKey<T>[] } = {};
  for (const [table, key] of rows) ((keys[table] ??= []) as unknown[]).push(key);
  return keys;
}

function mergeKeys(all: readonly ProjectionKeys[]): ProjectionKeys {
  const keys: { [T in TableName]?: TableKey<T>[] } = {};
  for (const some of all) {
    for (const table of tableNames) ((keys[table] ??= []) as unknown[]).push(...(some[table] ?? []));
  }
  return keys;
}

const get = <T extends TableName>(store: ProjectionReader, table: T, key: TableKey<T>) => store.get(table, key);
const put = <T extends TableName>(store: ProjectionStore, table: T, key: TableKey<T>, value: TableValue<T>) =>
  store.put(table, key, value);

/** Upper-case hex digits, "0x" kept: the same bytes spelt differently. */
const upper = (value: Hex) => `0x${value.slice(2).toUpperCase()}` as Hex;

export function describeProjectionStore(name: string, makeStore: () => StoreUnderTest | Promise<StoreUnderTest>) {
  describe(`ProjectionStore conformance: ${name}`, () => {
    let subject: StoreUnderTest;
    beforeEach(async () => {
      subject = await makeStore();
    });
    afterEach(async () => {
      await subject.close?.();
    });
    /** The store to read back from: reopened if the store persists. */
    const readBack = async (keys: ProjectionKeys): Promise<ProjectionReader> =>
      subject.reopen ? subject.reopen(keys) : subject.store;

    it("reads nothing it was never given, in any table", async () => {
      for (const [table, key] of allRows) expect(get(subject.store, table, key), `${table} ${key}`).to.equal(undefined);
      const reader = await readBack(keysOf(allRows));
      for (const [table, key] of allRows) expect(get(reader, table, key), `${table} ${key}`).to.equal(undefined);
    });

    it("reads back what was put, field for field: bigints, lists, text beyond ASCII, the largest values", async () => {
      for (const [table, key, value] of allRows) put(subject.store, table, key, value);
      for (const [table, key, value] of allRows) expect(get(subject.store, table, key), table).to.deep.equal(value);
      const reader = await readBack(keysOf(allRows));
      for (const [table, key, value] of allRows) expect(get(reader, table, key), table).to.deep.equal(value);
    });

    it("replaces a row with the one put after it", async () => {
      for (const table of tableNames) {
        const [[key, first], [, second]] = sampleRows[table] as readonly (readonly [TableKey<never>, never])[];
        put(subject.store, table, key, first);
        put(subject.store, table, key, second);
        expect(get(subject.store, table, key), table).to.deep.equal(second);
      }
      const reader = await readBack(
        keysOf(tableNames.map((table) => [table, sampleRows[table][0][0]] as unknown as Row)),
      );
      for (const table of tableNames) {
        expect(get(reader, table, sampleRows[table][0][0] as never), table).to.deep.equal(sampleRows[table][1][1]);
      }
    });

    it("deletes one row and leaves the others; deleting a row that is not there is no error", async () => {
      for (const [table, key, value] of allRows) put(subject.store, table, key, value);
      for (const table of tableNames) {
        subject.store.delete(table, sampleRows[table][0][0] as never);
        subject.store.delete(table, sampleRows[table][0][0] as never);
        expect(get(subject.store, table, sampleRows[table][0][0] as never), table).to.equal(undefined);
        expect(get(subject.store, table, sampleRows[table][1][0] as never), table).to.deep.equal(
          sampleRows[table][1][1],
        );
      }
      const reader = await readBack(keysOf(allRows));
      for (const table of tableNames) {
        expect(get(reader, table, sampleRows[table][0][0] as never), table).to.equal(undefined);
        expect(get(reader, table, sampleRows[table][1][0] as never), table).to.deep.equal(sampleRows[table][1][1]);
      }
    });

    it("keeps tables apart, uses both halves of a grant's key, and ignores the case of hex keys", async () => {
      const { store } = subject;
      const [[, org]] = sampleRows.organizations;
      const [[, grant]] = sampleRows.grants;
      const [[, record]] = sampleRows.records;
      store.put("organizations", 1, org);
      store.put("classRules", 1, Rule.APPROVAL);
      store.put("grants", [fingerprint, 2], grant);
      store.put("grants", [fingerprint, 3], { ...grant, granteeOrg: 3 });
      store.put("grants", [other, 2], { ...grant, fingerprint: other });
      store.put("records", fingerprint, record);
      store.put("operators", getAddress(operator), 1);
      store.put("batches", upper(root), sampleRows.batches[0][1]);
      store.put("operators", actor.toLowerCase() as Hex, 2);
      store.delete("operators", getAddress(actor));

      const reader = await readBack({
        organizations: [1],
        classRules: [1],
        grants: [
          [fingerprint, 2],
          [fingerprint, 3],
          [other, 2],
          [other, 3],
        ],
        records: [upper(fingerprint)],
        operators: [operator.toLowerCase() as Hex, actor],
        batches: [root],
      });
      expect(reader.get("organizations", 1)).to.deep.equal(org);
      expect(reader.get("classRules", 1)).to.equal(Rule.APPROVAL);
      expect(reader.get("grants", [fingerprint, 2])).to.deep.equal(grant);
      expect(reader.get("grants", [fingerprint, 3])).to.deep.equal({ ...grant, granteeOrg: 3 });
      expect(reader.get("grants", [other, 2])).to.deep.equal({ ...grant, fingerprint: other });
      expect(reader.get("grants", [other, 3])).to.equal(undefined);
      expect(reader.get("records", upper(fingerprint))).to.deep.equal(record);
      expect(reader.get("operators", operator.toLowerCase() as Hex)).to.equal(1);
      expect(reader.get("operators", actor)).to.equal(undefined);
      expect(reader.get("batches", root)).to.deep.equal(sampleRows.batches[0][1]);
    });

    it("holds the same rows as the memory store after the handlers applied the same events", async () => {
      const events = [
        ...worldEvents.map((e) => [e, start] as const),
        ...Object.values(samples).map((e) => [e, later] as const),
      ];
      const memory = createMemoryStore();
      for (const [e, time] of events) {
        applyEvent(memory, e, time);
        applyEvent(subject.store, e, time);
      }
      const keys = mergeKeys(events.map(([e]) => eventKeys(e)));
      const reader = await readBack(keys);
      let compared = 0;
      for (const table of tableNames) {
        for (const key of keys[table] ?? []) {
          expect(get(reader, table, key as never), `${table} ${String(key)}`).to.deep.equal(
            get(memory, table, key as never),
          );
          compared += 1;
        }
      }
      expect(compared).to.be.greaterThan(30);
    });
  });
}
