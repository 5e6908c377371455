import { expect } from "chai";
import type { Address, Hex } from "viem";
import {
  CHUNK_CHARS,
  ExportInputError,
  activityCsvChunks,
  activityProvJsonChunks,
  activityToCsv,
  activityToProvJson,
  exportStream,
  lineageCsvChunks,
  lineageProvJsonChunks,
  lineageToCsv,
  lineageToProvJson,
  type ActivityExport,
  type LineageExport,
} from "../../../src/server/exports";
import { largeActivity, largeLineage, sampleActivity, sampleLineage } from "./fixtures";
import * as referenceCsv from "./reference/csv";
import * as referenceProv from "./reference/provJson";

/** A lineage whose hex is upper case, with optional fields left out and hostile text, still in the API's shape. */
function unusualLineage(): LineageExport {
  const lineage = sampleLineage();
  return {
    ...lineage,
    root: lineage.root.toUpperCase().replace("0X", "0x") as Hex,
    nodes: lineage.nodes.map((node, i) => ({
      ...node,
      fingerprint: (i % 2 === 0 ? node.fingerprint.toUpperCase().replace("0X", "0x") : node.fingerprint) as Hex,
      registrant: i % 3 === 0 ? undefined : node.registrant,
      registrantOrg: i % 4 === 0 ? undefined : node.registrantOrg,
      metadataURI: i % 2 === 0 ? `"quoted", \u00e9\u{1f600}\n\\ ${i}` : undefined,
      scheme: i % 5 === 0 ? undefined : node.scheme,
      registeredBlock: i % 3 === 1 ? undefined : node.registeredBlock,
    })),
    organizations: [{ id: 2, name: "Spaced ! name \u2028" }, ...(lineage.organizations ?? [])],
  };
}

/** An activity whose identifiers sort differently as text and as numbers, with odd arguments and no stamps. */
function unusualActivity(): ActivityExport {
  const sample = sampleActivity();
  const events = [];
  for (let i = 0; i < 60; i++) {
    const template = sample.events[i % sample.events.length]!;
    events.push({
      ...template,
      blockNumber: String(9_990 + Math.floor(i / 3)), // crosses 9,999 -> 10,000
      logIndex: (i % 3) * 6, // 0, 6, 12: "12" sorts before "6"
      address: template.address.toUpperCase().replace("0X", "0x") as Address,
      stamp: i % 4 === 0 ? null : template.stamp,
      args: {
        ...template.args,
        "weird key": "x",
        nested: [["a"], "b"],
        list: ["1", "0xABCDEF", true, 3],
        empty: [],
        note: `line\r\nbreak "${i}"`,
        ...(i % 5 === 0 ? { actor: `0x${"AB".repeat(20)} !` } : {}),
      },
    });
  }
  return { ...sample, events };
}

const inputs: [string, () => LineageExport, () => ActivityExport][] = [
  ["the samples", sampleLineage, sampleActivity],
  ["unusual inputs", unusualLineage, unusualActivity],
  ["3,000 generated rows", () => largeLineage(3_000), () => largeActivity(3_000)],
];

describe("exports: the fast writers give the reference's bytes", () => {
  for (const [name, lineage, activity] of inputs) {
    it(`${name}: lineage CSV and PROV-JSON, activity CSV and PROV-JSON`, () => {
      expect(lineageToCsv(lineage())).to.equal(referenceCsv.lineageToCsv(lineage()));
      expect(lineageToProvJson(lineage())).to.equal(referenceProv.lineageToProvJson(lineage()));
      expect(activityToCsv(activity())).to.equal(referenceCsv.activityToCsv(activity()));
      expect(activityToProvJson(activity())).to.equal(referenceProv.activityToProvJson(activity()));
      const namespace = { namespace: "urn:provledger:chain:31337#" };
      expect(lineageToProvJson(lineage(), namespace)).to.equal(referenceProv.lineageToProvJson(lineage(), namespace));
    });
  }

  it("a document comes in chunks of about CHUNK_CHARS that join to the whole", () => {
    const lineage = largeLineage(3_000);
    const activity = largeActivity(3_000);
    const cases: [Iterable<string>, string][] = [
      [lineageCsvChunks(lineage), lineageToCsv(lineage)],
      [lineageProvJsonChunks(lineage), lineageToProvJson(lineage)],
      [activityCsvChunks(activity), activityToCsv(activity)],
      [activityProvJsonChunks(activity), activityToProvJson(activity)],
    ];
    for (const [chunks, whole] of cases) {
      const list = [...chunks];
      expect(list.join("")).to.equal(whole);
      expect(list.length).to.be.greaterThan(1);
      for (const chunk of list.slice(0, -1)) expect(chunk.length).to.be.within(CHUNK_CHARS, CHUNK_CHARS + 20_000);
    }
  });

  it("a stream fails on a bad input before it exists (the route can still answer with an error)", async () => {
    const bad = { ...sampleLineage(), nodes: [{ ...sampleLineage().nodes[0]!, registeredAt: "soon" }] };
    expect(() => exportStream(lineageCsvChunks(bad))).to.throw(ExportInputError, /nodes\[0\]\.registeredAt/);
    expect(() => exportStream(lineageProvJsonChunks(bad))).to.throw(ExportInputError, /registeredAt/);
    const short = { ...sampleLineage(), root: "0x12" as Hex };
    expect(() => exportStream(lineageProvJsonChunks(short))).to.throw(ExportInputError, /root/);
    const parts: Buffer[] = [];
    for await (const part of exportStream(activityCsvChunks(sampleActivity()))) parts.push(part as Buffer);
    expect(Buffer.concat(parts).toString("utf8")).to.equal(activityToCsv(sampleActivity()));
  });
});
