import type { Address, Hex } from "viem";
import { organization, type Reader, type RecordFacts } from "./read";
import type { FindingInfo, FreezeInfo, InspectionInfo } from "./types";
import { lowerHex } from "../utils/hex";

async function inspection(
  reader: Reader,
  logged: { block: number; time: number; transactionHash: Hex },
  inspectorOrg: number,
  actor: Address,
): Promise<InspectionInfo> {
  return {
    inspector: await organization(reader, inspectorOrg),
    actor: lowerHex(actor),
    time: logged.time,
    block: logged.block,
    transactionHash: lowerHex(logged.transactionHash),
  };
}

/** The findings inspectors attached to the record, in chain order. */
export async function findingsOf(reader: Reader, record: RecordFacts): Promise<FindingInfo[]> {
  const findings: FindingInfo[] = [];
  for (const logged of record.rightsEvents) {
    const { event } = logged;
    if (event.eventName !== "FindingAttached") continue;
    const { inspectorOrg, actor, findingHash } = event.args;
    findings.push({ ...(await inspection(reader, logged, inspectorOrg, actor)), findingHash: lowerHex(findingHash) });
  }
  return findings;
}

/** The freeze in force: the last RecordFrozen, if the record is frozen and no RecordUnfrozen came after it. */
export async function freezeOf(reader: Reader, record: RecordFacts): Promise<FreezeInfo | null> {
  if (!record.record.frozen) return null;
  for (let i = record.rightsEvents.length - 1; i >= 0; i--) {
    const logged = record.rightsEvents[i];
    const { event } = logged;
    if (event.eventName === "RecordUnfrozen") return null;
    if (event.eventName !== "RecordFrozen") continue;
    const { inspectorOrg, actor, reasonHash } = event.args;
    return { ...(await inspection(reader, logged, inspectorOrg, actor)), reasonHash: lowerHex(reasonHash) };
  }
  return null;
}
