/**
 * A registered record's standing today, read at the node's latest block: whether it exists, was withdrawn,
 * superseded or frozen, who owns it, its grants and, if asked, whether an organisation may use it. These checks say
 * whether to rely on the record now, not whether the receipt is true (a withdrawn record's receipt stays authentic).
 */
import { isAddressEqual, zeroAddress, zeroHash, type Address, type Hex, type PublicClient } from "viem";
import { dataRightsAbi, provenanceLedgerAbi } from "../abi";
import { Authorization, Scope } from "../constants/codes";
import { codeName, scopeNames } from "../constants/names";
import type { RegistrationReceipt } from "../receipt/types";
import { Lookup } from "../utils/lookup";
import { Check, fail, guardedAsync, pass, short } from "./checks";
import type { OnlineOptions, RecordStanding, VerificationCheck } from "./types";

export async function standingChecks(
  client: PublicClient,
  receipt: RegistrationReceipt,
  options: OnlineOptions,
): Promise<{ checks: VerificationCheck[]; standing?: RecordStanding }> {
  const { fingerprint, ledger } = receipt;
  const exists = await client.readContract({
    address: ledger,
    abi: provenanceLedgerAbi,
    functionName: "exists",
    args: [fingerprint],
  });
  if (!exists) return { checks: [fail(Check.RECORD_EXISTS, `the ledger has no record ${fingerprint}`)] };
  const record = await client.readContract({
    address: ledger,
    abi: provenanceLedgerAbi,
    functionName: "getRecord",
    args: [fingerprint],
  });
  const [latest] = await client.readContract({
    address: ledger,
    abi: provenanceLedgerAbi,
    functionName: "latestVersion",
    args: [fingerprint],
  });
  const ownerName = await new Lookup(client, { ledger }).org(record.ownerOrg);
  const supersededBy = record.supersededBy === zeroHash ? null : (record.supersededBy.toLowerCase() as Hex);
  const standing: RecordStanding = {
    exists: true,
    withdrawn: record.withdrawn,
    frozen: record.frozen,
    supersededBy,
    latestVersion: latest.toLowerCase() as Hex,
    ownerOrg: record.ownerOrg,
    ownerName,
  };
  const checks = [
    pass(Check.RECORD_EXISTS, `the ledger holds record ${short(fingerprint)}`),
    record.withdrawn
      ? fail(Check.NOT_WITHDRAWN, "the owner withdrew the record (it stays on the ledger with its history)")
      : pass(Check.NOT_WITHDRAWN, "not withdrawn"),
    supersededBy
      ? fail(Check.LATEST_VERSION, `superseded by ${supersededBy}; the latest version is ${standing.latestVersion}`)
      : pass(Check.LATEST_VERSION, "this is the latest version"),
    record.frozen ? fail(Check.NOT_FROZEN, "frozen by an inspector") : pass(Check.NOT_FROZEN, "not frozen"),
    pass(
      Check.OWNER,
      record.ownerOrg === receipt.record.ownerOrg
        ? `owned by ${ownerName}, as at registration`
        : `now owned by ${ownerName}; org ${receipt.record.ownerOrg} registered it`,
    ),
  ];
  // Today's rights module, which may have been attached after the receipt's event.
  const rights = await client.readContract({ address: ledger, abi: provenanceLedgerAbi, functionName: "rightsModule" });
  if (!isAddressEqual(rights, zeroAddress)) {
    checks.push(await guardedAsync(Check.GRANTS, () => grantsCheck(client, receipt, rights)));
    if (options.authorization) {
      const { org, scope = Scope.DERIVE } = options.authorization;
      checks.push(
        await guardedAsync(Check.AUTHORIZATION, () => authorizationCheck(client, rights, fingerprint, org, scope)),
      );
    }
  }
  return { checks, standing };
}

async function authorizationCheck(
  client: PublicClient,
  rights: Address,
  fingerprint: Hex,
  org: number,
  scope: number,
): Promise<VerificationCheck> {
  const [code, grantId] = await client.readContract({
    address: rights,
    abi: dataRightsAbi,
    functionName: "authorization",
    args: [fingerprint, org, scope],
  });
  const detail =
    `org ${org}, scope ${scopeNames(scope)}: ${codeName("Authorization", code)}` +
    (grantId !== 0n ? ` (grant ${grantId})` : "");
  return code === Authorization.OWNER || code === Authorization.GRANTED
    ? pass(Check.AUTHORIZATION, detail)
    : fail(Check.AUTHORIZATION, detail);
}

/** The current grant of the record to each organisation that ever received one. Informational. */
async function grantsCheck(
  client: PublicClient,
  receipt: RegistrationReceipt,
  rights: Address,
): Promise<VerificationCheck> {
  const issued = await client.getContractEvents({
    address: rights,
    abi: dataRightsAbi,
    eventName: "GrantIssued",
    args: { fingerprint: receipt.fingerprint },
    fromBlock: BigInt(receipt.transaction.blockNumber),
  });
  const grantees = [...new Set(issued.map((log) => log.args.granteeOrg).filter((org) => org !== undefined))];
  if (grantees.length === 0) return pass(Check.GRANTS, "no grants issued");
  const lines = await Promise.all(
    grantees.map(async (org) => {
      const grant = await client.readContract({
        address: rights,
        abi: dataRightsAbi,
        functionName: "getGrant",
        args: [receipt.fingerprint, org],
      });
      const expiry = grant.expiresAt === 0 ? "" : `, expires at ${grant.expiresAt}`;
      const status = codeName("GrantStatus", grant.status);
      return `org ${org}: grant ${grant.grantId} ${scopeNames(grant.scopes)}, ${status}${expiry}`;
    }),
  );
  return pass(Check.GRANTS, lines.join("; "));
}
