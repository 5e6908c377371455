/**
 * The Provledger deployment for the Hardhat Ignition CLI (the same module `deployProvledger` runs):
 *
 *   npx hardhat ignition deploy ignition/modules/Provledger.ts --network consortium \
 *     --parameters '{"Provledger":{"governanceDelay":259200}}'
 *
 * To begin the governance hand-over as well, deploy ignition/modules/ProvledgerGovernance.ts.
 */
import { ProvledgerModule } from "../../src/deploy/module";

export default ProvledgerModule;
