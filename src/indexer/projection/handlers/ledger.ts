/** ProvenanceLedger: records, their lineage and versions, withdrawals and batch anchors. */
import { zeroHash } from "viem";
import type { provenanceLedgerAbi } from "../../../sdk";
import { ignore, trailAt, updateRecord, type HandlersOf } from "./common";

export const ledgerHandlers: HandlersOf<typeof provenanceLedgerAbi> = {
  RecordRegistered: (store, { args }, time) =>
    store.put("records", args.fingerprint, {
      fingerprint: args.fingerprint,
      ownerOrg: args.ownerOrg,
      registrant: args.registrant,
      scheme: args.scheme,
      dataClass: args.dataClass,
      metadataHash: args.metadataHash,
      metadataURI: args.metadataURI,
      registeredAt: time,
      withdrawn: false,
      frozen: false,
      supersededBy: zeroHash,
      parents: args.parents.map((parent, i) => ({
        fingerprint: parent.fingerprint,
        relation: parent.relation,
        grantId: args.derivationGrants[i],
      })),
      ...trailAt(args.stamp),
      findings: [],
    }),
  RecordSuperseded: (store, event) => updateRecord(store, event, { supersededBy: event.args.successor }),
  RecordWithdrawn: (store, event) => updateRecord(store, event, { withdrawn: true }),
  BatchAnchored: (store, { args }, time) =>
    store.put("batches", args.root, {
      root: args.root,
      org: args.org,
      registrant: args.registrant,
      leafCount: args.leafCount,
      metadataHash: args.metadataHash,
      metadataURI: args.metadataURI,
      anchoredAt: time,
      ...trailAt(args.stamp),
    }),

  // Set once by governance when the deployment is assembled; the indexer checks the deployment's addresses itself.
  RightsModuleSet: ignore,
  // OpenZeppelin's EIP-5267 signal that the signing domain changed; it changes no ledger state.
  EIP712DomainChanged: ignore,
};
