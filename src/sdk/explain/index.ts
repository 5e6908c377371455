/**
 * "Where does this dataset come from, on what authority, and what binds it?": a record's lineage as a tree, to a
 * chosen depth, with each record's owners, registration, status flags, outstanding grants, inspection findings,
 * transfers with their customs decisions and deliveries, and for each cross-organisation derivation the grant it
 * relied on.
 */
export { explainProvenance } from "./explainProvenance";
export { formatExplanation } from "./format";
export type {
  CustomsDecision,
  ExplainOptions,
  ExplainProvenanceReturnType,
  FindingInfo,
  FreezeInfo,
  GrantInfo,
  GrantState,
  InspectionInfo,
  OrganizationInfo,
  ProvenanceEdge,
  ProvenanceNode,
  RegisteredNode,
  TransferInfo,
  TransferState,
  UnknownNode,
} from "./types";
