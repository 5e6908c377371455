/**
 * Provledger plus the governance hand-over (registry.beginDefaultAdminTransfer) to the `governance` parameter:
 *
 *   npx hardhat ignition deploy ignition/modules/ProvledgerGovernance.ts --network consortium \
 *     --parameters '{"Provledger":{"governanceDelay":259200},"ProvledgerGovernance":{"governance":"0x..."}}'
 *
 * It extends a deployment of ignition/modules/Provledger.ts made with the same journal.
 */
import { ProvledgerGovernanceModule } from "../../src/deploy/module";

export default ProvledgerGovernanceModule;
