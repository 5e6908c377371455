/**
 * The Ignition modules of a Provledger deployment. `ProvledgerModule`: the registry (the deploying account as its
 * first governance: it must bind the ledger and attach the rights module), the ledger, registry.bindLedger, the
 * rights module, ledger.setRightsModule. `ProvledgerGovernanceModule` adds registry.beginDefaultAdminTransfer to the
 * governance parameter (an Ignition module cannot branch on a parameter, hence two modules; the second extends a
 * deployment of the first in the same journal).
 *
 * Parameters: `Provledger.governanceDelay` (seconds, default 3 days), `ProvledgerGovernance.governance` (address).
 */
import { buildModule } from "@nomicfoundation/ignition-core";

export const DEFAULT_GOVERNANCE_DELAY = 3 * 24 * 3600;

export const ProvledgerModule = buildModule("Provledger", (m) => {
  const governanceDelay = m.getParameter("governanceDelay", DEFAULT_GOVERNANCE_DELAY);
  const deployer = m.getAccount(0);
  const registry = m.contract("OrganizationRegistry", [governanceDelay, deployer], { from: deployer });
  const ledger = m.contract("ProvenanceLedger", [registry], { from: deployer });
  const bound = m.call(registry, "bindLedger", [ledger], { from: deployer });
  const rights = m.contract("DataRights", [ledger], { from: deployer, after: [bound] });
  m.call(ledger, "setRightsModule", [rights], { from: deployer });
  return { registry, ledger, rights };
});

export const ProvledgerGovernanceModule = buildModule("ProvledgerGovernance", (m) => {
  const { registry, ledger, rights } = m.useModule(ProvledgerModule);
  const governance = m.getParameter<string>("governance");
  m.call(registry, "beginDefaultAdminTransfer", [governance], { from: m.getAccount(0) });
  return { registry, ledger, rights };
});
