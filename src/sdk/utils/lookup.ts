/** Look-ups for messages and explanations: best effort, so a message is still produced when the node cannot answer. */
import { isAddressEqual, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import type { ProvledgerAddresses } from "../types/deployment";
import { jurisdictionLabel } from "./jurisdiction";

export class Lookup {
  private registryAddress?: Promise<Address | undefined>;
  private readonly orgs = new Map<number, Promise<string>>();

  constructor(
    private readonly client?: PublicClient,
    private readonly addresses: Partial<ProvledgerAddresses> = {},
  ) {}

  private async attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
    if (!this.client) return undefined;
    try {
      return await read();
    } catch {
      return undefined;
    }
  }

  private registry(): Promise<Address | undefined> {
    this.registryAddress ??= (async () => {
      if (this.addresses.registry) return this.addresses.registry;
      const ledger = this.addresses.ledger;
      if (!ledger) return undefined;
      return this.attempt(() =>
        this.client!.readContract({ address: ledger, abi: provenanceLedgerAbi, functionName: "registry" }),
      );
    })();
    return this.registryAddress;
  }

  /** "CN-GD/Open Data Bureau (org 1)", or "organisation 1" if it cannot be looked up. */
  org(id: number | bigint): Promise<string> {
    const orgId = Number(id);
    if (orgId === 0) return Promise.resolve("no organisation");
    let label = this.orgs.get(orgId);
    if (!label) {
      label = (async () => {
        const registry = await this.registry();
        const org = registry
          ? await this.attempt(() =>
              this.client!.readContract({
                address: registry,
                abi: organizationRegistryAbi,
                functionName: "organization",
                args: [orgId],
              }),
            )
          : undefined;
        return org ? `${jurisdictionLabel(org.jurisdiction)}/${org.name} (org ${orgId})` : `organisation ${orgId}`;
      })();
      this.orgs.set(orgId, label);
    }
    return label;
  }

  /** Roles and status of an organisation, if known. */
  async membership(id: number): Promise<{ status: number; roles: number } | undefined> {
    const registry = await this.registry();
    if (!registry) return undefined;
    const result = await this.attempt(() =>
      this.client!.readContract({
        address: registry,
        abi: organizationRegistryAbi,
        functionName: "membership",
        args: [id],
      }),
    );
    return result ? { status: result[0], roles: result[2] } : undefined;
  }

  /** The organisation an account operates for, if any and if known. */
  async orgOfAccount(account: Address): Promise<number | undefined> {
    const registry = await this.registry();
    if (!registry) return undefined;
    return this.attempt(() =>
      this.client!.readContract({
        address: registry,
        abi: organizationRegistryAbi,
        functionName: "organizationOf",
        args: [account],
      }),
    );
  }

  async governance(): Promise<Address | undefined> {
    const registry = await this.registry();
    if (!registry) return undefined;
    const admin = await this.attempt(() =>
      this.client!.readContract({ address: registry, abi: organizationRegistryAbi, functionName: "defaultAdmin" }),
    );
    return admin === undefined || isAddressEqual(admin, zeroAddress) ? undefined : admin;
  }

  async recordOwner(fingerprint: Hex): Promise<number | undefined> {
    const ledger = this.addresses.ledger;
    if (!ledger) return undefined;
    const status = await this.attempt(() =>
      this.client!.readContract({
        address: ledger,
        abi: provenanceLedgerAbi,
        functionName: "recordStatus",
        args: [fingerprint],
      }),
    );
    return status?.[0];
  }

  async latestVersion(fingerprint: Hex): Promise<Hex | undefined> {
    const ledger = this.addresses.ledger;
    if (!ledger) return undefined;
    const result = await this.attempt(() =>
      this.client!.readContract({
        address: ledger,
        abi: provenanceLedgerAbi,
        functionName: "latestVersion",
        args: [fingerprint],
      }),
    );
    return result?.[0];
  }

  async offer(offerId: bigint): Promise<{ fingerprint: Hex; fromOrg: number; toOrg: number } | undefined> {
    const rights = this.addresses.rights;
    if (!rights) return undefined;
    return this.attempt(() =>
      this.client!.readContract({ address: rights, abi: dataRightsAbi, functionName: "getOffer", args: [offerId] }),
    );
  }
}
