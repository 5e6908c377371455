export { qbftExtraData, sortValidators } from "./extraData";
export { nodeKey, enodeUrl, type NodeKey } from "./keys";
export {
  createBesuKit,
  writeBesuKit,
  checkKitOptions,
  DEFAULTS,
  RPC_APIS,
  type BesuKit,
  type BesuKitOptions,
  type BesuNode,
} from "./kit";
export { parseKitArgs, runBesuKit, USAGE } from "./cli";
