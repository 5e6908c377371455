import { isAddressEqual, zeroAddress } from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import { ProvledgerClientError } from "../errors/client";
import type { ProvledgerCoreClient } from "../clients/types";
import type { ContractRole } from "../types/deployment";

export interface VerifyDeploymentParameters {
  /** The chain the deployment must be on; any chain if left out. */
  chainId?: number;
}

/** The chain id the deployment was found on. */
export type VerifyDeploymentReturnType = number;

/**
 * Checks that the node is on the expected chain and that each address holds its contract of one deployment: the
 * ledger's registry is the registry, the registry's ledger (once governance bound it) is the ledger, the rights
 * module serves the ledger, and the ledger's rights module (once governance attached it) is the rights module. Throws a ProvledgerClientError (ChainMismatch, NoContract,
 * WrongContract) naming the address; the client runs it once, on first use (`client.verify()`).
 *
 * @example
 * const chainId = await verifyDeployment(client, { chainId: 31337 });
 */
export async function verifyDeployment(
  client: Pick<ProvledgerCoreClient, "addresses" | "publicClient" | "decodeError">,
  parameters: VerifyDeploymentParameters = {},
): Promise<VerifyDeploymentReturnType> {
  const { addresses, publicClient } = client;
  let chainId: number;
  try {
    chainId = await publicClient.getChainId();
  } catch (error) {
    throw await client.decodeError(error, "connect");
  }
  const expected = parameters.chainId;
  if (expected !== undefined && expected !== chainId) {
    throw new ProvledgerClientError(
      "ChainMismatch",
      `the node is on chain ${chainId}, but the client expects chain ${expected}: connect to the network the ` +
        "contracts were deployed on, or correct the expected chain id",
      { action: "connect" },
    );
  }
  const roles: ContractRole[] = ["registry", "ledger", "rights"];
  const codes = await Promise.all(
    roles.map((role) =>
      publicClient.getCode({ address: addresses[role] }).catch(async (error: unknown) => {
        throw await client.decodeError(error, "connect");
      }),
    ),
  );
  roles.forEach((role, i) => {
    if (codes[i] === undefined || codes[i] === "0x") {
      throw new ProvledgerClientError(
        "NoContract",
        `no contract at ${addresses[role]} on chain ${chainId}: check the deployment addresses (this is the ` +
          `${role} address)`,
        { action: "connect" },
      );
    }
  });
  const wrong = (role: ContractRole, detail: string, cause?: unknown) =>
    new ProvledgerClientError(
      "WrongContract",
      `${addresses[role]} on chain ${chainId} is not the Provledger ${role} of this deployment (${detail}): check ` +
        "the deployment addresses",
      { action: "connect", cause },
    );
  const identity = async <T>(role: ContractRole, question: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      throw wrong(role, `it does not answer ${question}`, error);
    }
  };
  // One after the other, so that the first wrong answer is the one reported.
  const ledgerRegistry = await identity("ledger", "registry()", () =>
    publicClient.readContract({ address: addresses.ledger, abi: provenanceLedgerAbi, functionName: "registry" }),
  );
  const rightsModule = await identity("ledger", "rightsModule()", () =>
    publicClient.readContract({ address: addresses.ledger, abi: provenanceLedgerAbi, functionName: "rightsModule" }),
  );
  const rightsLedger = await identity("rights", "ledger()", () =>
    publicClient.readContract({ address: addresses.rights, abi: dataRightsAbi, functionName: "ledger" }),
  );
  const registryLedger = await identity("registry", "ledger()", () =>
    publicClient.readContract({ address: addresses.registry, abi: organizationRegistryAbi, functionName: "ledger" }),
  );
  if (!isAddressEqual(ledgerRegistry, addresses.registry)) {
    throw wrong("registry", `the ledger's registry is ${ledgerRegistry}`);
  }
  // Zero until governance binds the registry (bindLedger), which this client can do.
  if (!isAddressEqual(registryLedger, zeroAddress) && !isAddressEqual(registryLedger, addresses.ledger)) {
    throw wrong("ledger", `the registry is bound to the ledger ${registryLedger}`);
  }
  if (!isAddressEqual(rightsLedger, addresses.ledger)) {
    throw wrong("rights", `it serves the ledger ${rightsLedger}`);
  }
  // Zero until governance attaches the module (setRightsModule), which this client can do.
  if (!isAddressEqual(rightsModule, zeroAddress) && !isAddressEqual(rightsModule, addresses.rights)) {
    throw wrong("rights", `the ledger's rights module is ${rightsModule}`);
  }
  return chainId;
}
