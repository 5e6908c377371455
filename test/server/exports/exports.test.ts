import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import canonicalize from "canonicalize";
import { expect } from "chai";
import schema from "../../../schemas/prov-json.schema.json";
import {
  ACTIVITY_CSV_COLUMNS,
  ExportInputError,
  LINEAGE_CSV_COLUMNS,
  activityToCsv,
  activityToProvJson,
  lineageToCsv,
  lineageToProvJson,
  neutraliseFormula,
} from "../../../src/server/exports";
import { readCsv } from "./csvReader";
import { AT, ORGANIZATIONS, account, fp, largeActivity, largeLineage, sampleActivity, sampleLineage } from "./fixtures";
import { provRuleViolations } from "./provRules";

type Doc = Record<string, Record<string, Record<string, unknown>>>;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateSchema = ajv.compile(schema);

function expectValidProv(text: string): Doc {
  const document = JSON.parse(text) as Doc;
  const valid = validateSchema(document);
  expect(valid, ajv.errorsText(validateSchema.errors)).to.equal(true);
  expect(provRuleViolations(document)).to.deep.equal([]);
  return document;
}

const record = (label: string) => `provledger:record/${fp(label)}`;
const FORMULA_START = /^[=+\-@\t\r]/;

describe("exports", () => {
  describe("PROV-JSON of a lineage", () => {
    const text = lineageToProvJson(sampleLineage());
    const document = JSON.parse(text) as Doc;

    it("is valid PROV-JSON: the schema and the rules it cannot state", () => {
      expectValidProv(text);
      expect(document.prefix).to.deep.equal({ provledger: "https://provledger.org/ns#" });
    });

    it("declares every record as an entity, and a record beyond the node cap as outside the export", () => {
      for (const label of ["root", "p", "r0", "c1", "root2", "q", "d", "q0"]) {
        const entity = document.entity![record(label)]!;
        expect(entity["prov:type"]).to.deep.equal({ $: "provledger:Record", type: "xsd:QName" });
        expect(entity["provledger:fingerprint"]).to.equal(fp(label));
      }
      expect(document.entity![record("x")]).to.deep.include({ "provledger:outsideExport": true });
      const root = document.entity![record("root")]!;
      expect(root).to.deep.include({
        "provledger:status": "superseded",
        "provledger:ownerOrg": 4,
        "provledger:level": 0,
      });
      expect(root["provledger:dataClass"]).to.equal("important");
      expect(root["provledger:registeredAt"]).to.deep.equal({ $: "2025-12-02T05:50:45Z", type: "xsd:dateTime" });
    });

    it("writes a revision as wasDerivedFrom with prov:type prov:Revision, a derivation without", () => {
      const derivations = Object.values(document.wasDerivedFrom!);
      const revision = derivations.find(
        (d) => d["prov:generatedEntity"] === record("root") && d["prov:usedEntity"] === record("r0"),
      )!;
      expect(revision["prov:type"]).to.deep.equal({ $: "prov:Revision", type: "xsd:QName" });
      const derived = derivations.find(
        (d) => d["prov:generatedEntity"] === record("root") && d["prov:usedEntity"] === record("p"),
      )!;
      expect(derived).to.not.have.property("prov:type");
      expect(derived["provledger:grantId"]).to.deep.equal({ $: "7", type: "xsd:unsignedLong" });
      expect(derived["prov:activity"]).to.equal(`provledger:registration/${fp("root")}`);
      expect(Object.keys(document.wasDerivedFrom!)).to.have.length(9);
      for (const key of Object.keys(document.wasDerivedFrom!)) expect(key.startsWith("_:")).to.equal(true);
    });

    it("attributes each record to its owner and crosses organisations along derivations", () => {
      const owners = new Map(Object.values(document.wasAttributedTo!).map((a) => [a["prov:entity"], a["prov:agent"]]));
      expect(owners.get(record("root"))).to.equal("provledger:org/4");
      expect(owners.get(record("p"))).to.equal("provledger:org/2");
      expect(owners.get(record("q"))).to.equal("provledger:org/3");
      expect(document.agent!["provledger:org/2"]).to.deep.equal({
        "prov:label": ORGANIZATIONS[1]!.name,
        "prov:type": { $: "prov:Organization", type: "xsd:QName" },
        "provledger:orgId": 2,
      });
    });

    it("has the registrant act on behalf of the organisation it registered for, not the owner now", () => {
      const registration = `provledger:registration/${fp("root")}`;
      const delegation = Object.values(document.actedOnBehalfOf!).find((d) => d["prov:activity"] === registration)!;
      expect(delegation["prov:delegate"]).to.equal(`provledger:account/${account("registrant of root").toLowerCase()}`);
      expect(delegation["prov:responsible"]).to.equal("provledger:org/1");
      expect(document.agent![delegation["prov:delegate"] as string]!["prov:type"]).to.deep.equal({
        $: "prov:SoftwareAgent",
        type: "xsd:QName",
      });
      // q0 has no registrant on file: no association or delegation is made up.
      const q0 = `provledger:registration/${fp("q0")}`;
      expect(Object.values(document.wasAssociatedWith!).some((a) => a["prov:activity"] === q0)).to.equal(false);
    });

    it("carries the query, its truncation and the block it reflects on the export entity", () => {
      const entity = document.entity![`provledger:export/lineage/${fp("root")}`]!;
      expect(entity).to.deep.include({
        "provledger:direction": "both",
        "provledger:depth": 3,
        "provledger:truncated": true,
        "provledger:truncatedBy": "nodes",
        "provledger:finalized": true,
      });
      expect(entity["provledger:atBlock"]).to.deep.equal({ $: AT.block.number, type: "xsd:unsignedLong" });
    });

    it("is canonical JSON, and the same input gives the same bytes", () => {
      expect(text).to.equal(canonicalize(JSON.parse(text)));
      expect(lineageToProvJson(sampleLineage())).to.equal(text);
      // The same lineage listed in another order is the same document.
      const lineage = sampleLineage();
      const shuffled = { ...lineage, nodes: [...lineage.nodes].reverse(), edges: [...lineage.edges].reverse() };
      expect(lineageToProvJson(shuffled)).to.equal(text);
      expect(lineageToProvJson(sampleLineage(), { namespace: "urn:provledger:chain:31337#" })).to.include(
        '"prefix":{"provledger":"urn:provledger:chain:31337#"}',
      );
    });

    it("the schema and the rules reject broken documents (they can fail)", () => {
      const broken = (change: (d: Doc) => void): Doc => {
        const copy = JSON.parse(text) as Doc;
        change(copy);
        return copy;
      };
      const noUsed = broken((d) => delete Object.values(d.wasDerivedFrom!)[0]!["prov:usedEntity"]);
      expect(validateSchema(noUsed)).to.equal(false);
      const badLiteral = broken((d) => (d.entity![record("p")]!["provledger:registeredAt"] = { $: "yesterday" }));
      expect(validateSchema(badLiteral)).to.equal(false);
      const unknownSection = broken((d) => (d.wasEndedby = {}));
      expect(validateSchema(unknownSection)).to.equal(false);

      const undeclared = broken((d) => delete d.entity![record("q")]);
      expect(provRuleViolations(undeclared).join("\n")).to.match(/is not a declared entity/);
      const wrongKind = broken((d) => (Object.values(d.wasAttributedTo!)[0]!["prov:agent"] = record("q")));
      expect(provRuleViolations(wrongKind).join("\n")).to.match(/prov:agent .* is not a declared agent/);
      const prefix = broken((d) => (d.entity![record("q")]!["ex:note"] = "x"));
      expect(provRuleViolations(prefix).join("\n")).to.match(/prefix "ex" .* is not declared/);
      const time = broken(
        (d) =>
          (d.entity![record("q")]!["provledger:registeredAt"] = { $: "2025-12-02T05:17:25", type: "xsd:dateTime" }),
      );
      expect(provRuleViolations(time).join("\n")).to.match(/not an xsd:dateTime with a time zone/);
    });
  });

  describe("PROV-JSON of an activity", () => {
    const text = activityToProvJson(sampleActivity());
    const document = expectValidProv(text);
    const eventId = (n: number) => `provledger:event/${200 + n}/${n % 3}`;

    it("is valid PROV-JSON with one activity per event at its block time", () => {
      expect(Object.keys(document.activity!)).to.have.length(8);
      const grant = document.activity![eventId(4)]!;
      expect(grant["prov:type"]).to.deep.equal({ $: "provledger:GrantIssued", type: "xsd:QName" });
      expect(grant["prov:startTime"]).to.equal("2025-12-02T03:08:05Z");
      expect(grant["provledger:grantId"]).to.deep.equal({ $: "8", type: "xsd:nonNegativeInteger" });
      expect(grant["provledger:ledgerSequence"]).to.deep.equal({ $: "1004", type: "xsd:unsignedLong" });
    });

    it("links a registration to the record it generated and the parents it derived from", () => {
      const generated = document.wasGeneratedBy![`provledger:generation/${fp("p")}`]!;
      expect(generated).to.deep.include({ "prov:entity": record("p"), "prov:activity": eventId(3) });
      const revision = document.wasDerivedFrom![`_:derivation/${fp("p")}/${fp("p-old")}`]!;
      expect(revision["prov:type"]).to.deep.equal({ $: "prov:Revision", type: "xsd:QName" });
      const used = Object.values(document.used!).filter((u) => u["prov:activity"] === eventId(4));
      expect(used.map((u) => u["prov:entity"])).to.deep.equal([record("p")]);
    });

    it("has the sender act for the organisation the contract checked, and only where it says", () => {
      const delegations = Object.values(document.actedOnBehalfOf!);
      const grant = delegations.find((d) => d["prov:activity"] === eventId(4))!;
      expect(grant["prov:responsible"]).to.equal("provledger:org/2");
      expect(delegations.some((d) => d["prov:activity"] === eventId(6))).to.equal(false); // OwnershipTransferred
      const roles = Object.values(document.wasAssociatedWith!)
        .filter((a) => a["prov:activity"] === eventId(4))
        .map((a) => a["prov:role"]);
      expect(roles.sort()).to.deep.equal(["actor", "granteeOrg", "grantorOrg"]);
    });

    it("gives the same bytes for the same input", () => {
      expect(activityToProvJson(sampleActivity())).to.equal(text);
      expect(text).to.equal(canonicalize(JSON.parse(text)));
    });
  });

  describe("CSV", () => {
    it("a lineage: RFC 4180 that parses back to the input, one row per record", () => {
      const lineage = sampleLineage();
      const text = lineageToCsv(lineage);
      expect(text.endsWith("\r\n")).to.equal(true);
      expect(text).to.include(',"Harbour Exchange, ""Ltd""\r\nsecond line",'); // comma, quotes, CRLF: quoted
      const rows = readCsv(text);
      expect(rows[0]).to.deep.equal([...LINEAGE_CSV_COLUMNS]);
      expect(rows).to.have.length(lineage.nodes.length + 1);
      const column = (name: string) => LINEAGE_CSV_COLUMNS.indexOf(name as (typeof LINEAGE_CSV_COLUMNS)[number]);
      lineage.nodes.forEach((node, i) => {
        const row = rows[i + 1]!;
        expect(row[column("level")]).to.equal(String(node.level));
        expect(row[column("fingerprint")]).to.equal(node.fingerprint);
        expect(row[column("status")]).to.equal(node.status);
        expect(row[column("ownerName")]).to.equal(
          neutraliseFormula(ORGANIZATIONS.find((o) => o.id === node.ownerOrg)!.name),
        );
        expect(row[column("metadataURI")]).to.equal(neutraliseFormula(node.metadataURI!));
        expect(row[column("registeredAt")]).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      });
      const d = rows.find((row) => row[column("fingerprint")] === fp("d"))!;
      expect(d[column("derivedFrom")]).to.equal([fp("c1"), fp("p"), fp("x")].join(" "));
      expect(d[column("derivationGrants")]).to.equal("12 13 0");
      const root2 = rows.find((row) => row[column("fingerprint")] === fp("root2"))!;
      expect(root2[column("revisionOf")]).to.equal(fp("root"));
    });

    it("neutralises every text cell a spreadsheet would run as a formula, and leaves numbers", () => {
      for (const text of [lineageToCsv(sampleLineage()), activityToCsv(sampleActivity())]) {
        const rows = readCsv(text);
        for (const row of rows)
          for (const cell of row) if (!/^-\d+$/.test(cell)) expect(cell, cell).to.not.match(FORMULA_START);
        if (text.startsWith("level")) {
          expect(text).to.include("'=HYPERLINK(");
          expect(text).to.include(",'@SUM(1+1)");
          expect(text).to.include(",'\tleading tab,");
          expect(rows.filter((row) => row[0] === "-1")).to.have.length(2); // levels stay numbers
        }
      }
      expect(neutraliseFormula("=1+1")).to.equal("'=1+1");
      expect(neutraliseFormula("\r=1")).to.equal("'\r=1");
      expect(neutraliseFormula("a=1")).to.equal("a=1");
    });

    it("an activity: one row per event, its arguments as canonical JSON", () => {
      const activity = sampleActivity();
      const rows = readCsv(activityToCsv(activity));
      expect(rows[0]).to.deep.equal([...ACTIVITY_CSV_COLUMNS]);
      expect(rows).to.have.length(activity.events.length + 1);
      activity.events.forEach((event, i) => {
        const row = Object.fromEntries(ACTIVITY_CSV_COLUMNS.map((name, j) => [name, rows[i + 1]![j]!]));
        expect(row.event).to.equal(event.name);
        expect(row.blockNumber).to.equal(event.blockNumber);
        expect(row.time).to.equal(new Date(Number(event.time) * 1000).toISOString().replace(".000Z", "Z"));
        const args = Object.fromEntries(Object.entries(event.args).filter(([name]) => name !== "stamp"));
        expect(JSON.parse(row.args!)).to.deep.equal(args);
        expect(row.args).to.equal(canonicalize(args));
        expect(row.ledgerSequence).to.equal(event.stamp?.ledgerSequence ?? "");
      });
      const grant = rows.find((row) => row[4] === "GrantIssued")!;
      expect(grant[ACTIVITY_CSV_COLUMNS.indexOf("organizations")]).to.equal("grantorOrg=2 granteeOrg=4");
    });

    it("the same input gives the same bytes; a malformed input fails naming the field", () => {
      expect(lineageToCsv(sampleLineage())).to.equal(lineageToCsv(sampleLineage()));
      expect(activityToCsv(sampleActivity())).to.equal(activityToCsv(sampleActivity()));
      const lineage = sampleLineage();
      const bad = { ...lineage, nodes: [{ ...lineage.nodes[0]!, registeredAt: "yesterday" }] };
      expect(() => lineageToCsv(bad)).to.throw(ExportInputError, /nodes\[0\]\.registeredAt/);
      expect(() => lineageToProvJson(bad)).to.throw(ExportInputError, /nodes\[0\]\.registeredAt/);
    });
  });

  describe("large inputs", () => {
    // Sizes that keep the suite fast; bench/exports.ts measures every renderer's rate at 100,000 rows.
    it("renders 20,000 rows as CSV and 2,000 as PROV-JSON, whole and valid", function () {
      this.timeout(60_000);
      const lineage = largeLineage(20_000);
      const activity = largeActivity(20_000);
      const csv = lineageToCsv(lineage);
      const activityCsv = activityToCsv(activity);
      const smallLineage = { ...lineage, nodes: lineage.nodes.slice(0, 2_000), edges: lineage.edges.slice(0, 1_999) };
      const smallActivity = { ...activity, events: activity.events.slice(0, 2_000) };
      const prov = lineageToProvJson(smallLineage);
      const activityProv = activityToProvJson(smallActivity);
      expect(csv.split("\r\n")).to.have.length(20_002); // no field of this input holds a CR or LF
      expect(activityCsv.split("\r\n")).to.have.length(20_002);
      const document = JSON.parse(prov) as Doc;
      expect(Object.keys(document.wasDerivedFrom!)).to.have.length(1_999);
      expect(validateSchema(document), ajv.errorsText(validateSchema.errors)).to.equal(true);
      expect(provRuleViolations(document)).to.deep.equal([]);
      expect(Object.keys((JSON.parse(activityProv) as Doc).activity!)).to.have.length(2_000);
    });
  });
});
