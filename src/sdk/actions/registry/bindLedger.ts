import type { Address } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkAddress } from "../../utils/check";

export type BindLedgerParameters = { ledger: Address };
export type BindLedgerReturnType = WriteResult<"LedgerBound">;

/**
 * Binds the registry to its ledger, once (governance): every membership change is then chained into the ledger's
 * ledger-wide chain, and none is possible before.
 *
 * @example
 * await bindLedger(client, { ledger: addresses.ledger });
 */
export async function bindLedger(
  client: ProvledgerCoreClient,
  parameters: BindLedgerParameters,
): Promise<BindLedgerReturnType> {
  return client.send({
    contract: "registry",
    functionName: "bindLedger",
    args: [checkAddress(parameters.ledger, "ledger")],
    eventName: "LedgerBound",
  });
}
