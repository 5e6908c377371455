/**
 * The indexed state against the contracts' own views, read from the node at the indexer's checkpoint block: every
 * organisation, operator account, record (with lineage), grant, offer, class rule and batch, and the ledger head.
 */
import { expect } from "chai";
import type { Address, Hex, PublicClient } from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi, type ProvledgerAddresses } from "../../src/sdk";
import type { IndexerStore } from "../../src/indexer";

/** Lower-cases hex strings anywhere in a value, so that checksummed and lower-case addresses compare equal. */
function normal<T>(value: T): T {
  if (typeof value === "string") return (/^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value) as T;
  if (Array.isArray(value)) return value.map(normal) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normal(inner)])) as T;
  }
  return value;
}

export type Keys = { fingerprints: readonly Hex[]; roots: readonly Hex[]; accounts: readonly Address[] };

export async function expectStoreMatchesViews(
  store: IndexerStore,
  client: PublicClient,
  addresses: ProvledgerAddresses,
  keys: Keys,
): Promise<void> {
  const checkpoint = await store.checkpoint();
  expect(checkpoint, "the store has a checkpoint").to.not.equal(undefined);
  const blockNumber = checkpoint!.blockNumber;
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi: abi as never, functionName, args, blockNumber } as never) as Promise<T>;

  const [ledgerHead, ledgerSequence] = await read<[Hex, bigint]>(addresses.ledger, provenanceLedgerAbi, "ledgerHead");
  expect(normal(checkpoint!.ledgerHead)).to.equal(normal(ledgerHead));
  expect(checkpoint!.ledgerSequence).to.equal(ledgerSequence);

  const organizationCount = Number(
    await read<number>(addresses.registry, organizationRegistryAbi, "organizationCount"),
  );
  expect((await store.rows("organizations")).length).to.equal(organizationCount);
  for (let id = 1; id <= organizationCount; id++) {
    const view = await read<Record<string, unknown>>(addresses.registry, organizationRegistryAbi, "organization", [id]);
    expect(normal(await store.row("organizations", id)), `organisation ${id}`).to.deep.equal(
      normal({
        id,
        name: view.name,
        metadataHash: view.metadataHash,
        jurisdiction: view.jurisdiction,
        roles: Number(view.roles),
        status: Number(view.status),
        operatorCount: Number(view.operatorCount),
        registeredAt: BigInt(view.registeredAt as number),
      }),
    );
  }
  for (const account of keys.accounts) {
    const orgId = Number(await read<number>(addresses.registry, organizationRegistryAbi, "organizationOf", [account]));
    expect((await store.row("operators", account)) ?? 0, `operator ${account}`).to.equal(orgId);
  }

  expect((await store.rows("records")).length).to.equal(keys.fingerprints.length);
  for (const fingerprint of keys.fingerprints) {
    const view = await read<Record<string, unknown>>(addresses.ledger, provenanceLedgerAbi, "getRecord", [fingerprint]);
    const [parents, grants] = await read<[{ fingerprint: Hex; relation: number }[], bigint[]]>(
      addresses.ledger,
      provenanceLedgerAbi,
      "getParents",
      [fingerprint],
    );
    const row = await store.row("records", fingerprint);
    expect(row, `record ${fingerprint}`).to.not.equal(undefined);
    expect(normal(row), `record ${fingerprint}`).to.deep.include(
      normal({
        fingerprint,
        ownerOrg: Number(view.ownerOrg),
        registrant: view.registrant,
        scheme: Number(view.scheme),
        dataClass: Number(view.dataClass),
        metadataHash: view.metadataHash,
        registeredAt: BigInt(view.registeredAt as number),
        withdrawn: view.withdrawn,
        frozen: view.frozen,
        supersededBy: view.supersededBy,
        trailHead: view.trailHead,
        trailLength: BigInt(view.trailLength as bigint),
      }),
    );
    expect(normal(row!.parents)).to.deep.equal(
      normal(
        parents.map((parent, i) => ({
          fingerprint: parent.fingerprint,
          relation: Number(parent.relation),
          grantId: grants[i],
        })),
      ),
    );
    for (let org = 1; org <= organizationCount; org++) {
      const grant = await read<Record<string, unknown>>(addresses.rights, dataRightsAbi, "getGrant", [
        fingerprint,
        org,
      ]);
      const stored = await store.row("grants", [fingerprint, org]);
      if (Number(grant.status) === 0) {
        expect(stored, `grant of ${fingerprint} to ${org}`).to.equal(undefined);
        continue;
      }
      expect(normal(stored), `grant of ${fingerprint} to ${org}`).to.deep.equal(
        normal({
          grantId: grant.grantId,
          fingerprint,
          granteeOrg: org,
          grantorOrg: Number(grant.grantorOrg),
          scopes: Number(grant.scopes),
          status: Number(grant.status),
          expiresAt: BigInt(grant.expiresAt as number),
          issuedAt: BigInt(grant.issuedAt as number),
          exportJurisdiction: grant.exportJurisdiction,
          purposeHash: grant.purposeHash,
        }),
      );
    }
  }

  for (const root of keys.roots) {
    const view = await read<Record<string, unknown>>(addresses.ledger, provenanceLedgerAbi, "getBatch", [root]);
    expect(normal(await store.row("batches", root)), `batch ${root}`).to.deep.include(
      normal({
        root,
        org: Number(view.org),
        registrant: view.registrant,
        leafCount: BigInt(view.leafCount as bigint),
        metadataHash: view.metadataHash,
        anchoredAt: BigInt(view.anchoredAt as number),
      }),
    );
  }

  const [, offerCount] = await read<[bigint, bigint]>(addresses.rights, dataRightsAbi, "counts");
  expect((await store.rows("offers")).length).to.equal(Number(offerCount));
  for (let offerId = 1n; offerId <= offerCount; offerId++) {
    const view = await read<Record<string, unknown>>(addresses.rights, dataRightsAbi, "getOffer", [offerId]);
    expect(normal(await store.row("offers", offerId)), `offer ${offerId}`).to.deep.include(
      normal({
        offerId,
        fingerprint: view.fingerprint,
        fromOrg: Number(view.fromOrg),
        toOrg: Number(view.toOrg),
        status: Number(view.status),
        offeredAt: BigInt(view.offeredAt as number),
        expiresAt: BigInt(view.expiresAt as number),
        exportJurisdiction: view.exportJurisdiction,
        termsHash: view.termsHash,
        acceptedAt: BigInt(view.acceptedAt as number),
      }),
    );
  }

  for (let dataClass = 0; dataClass <= 3; dataClass++) {
    const rule = Number(await read<number>(addresses.rights, dataRightsAbi, "classRule", [dataClass]));
    expect(await store.row("classRules", dataClass), `class rule ${dataClass}`).to.equal(rule);
  }
}
