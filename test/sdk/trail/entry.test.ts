import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "hardhat";
import { zeroHash, type Address, type Hex } from "viem";
import {
  Action,
  ProvledgerError,
  TRAIL_ACTIONS,
  TrailEventError,
  TrailMismatchError,
  isTrailEvent,
  ledgerEntry,
  payloadHashOf,
  recordEntry,
  trailEntryFromEvent,
  trailEventsAbi,
  type TrailEntry,
} from "../../../src/sdk";
import { hashOf } from "../../helpers/fixtures";

const coder = ethers.AbiCoder.defaultAbiCoder();
const actor = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;

describe("SDK trail: entries", () => {
  it("hashes record and ledger entries as the README's formulas (ethers' abi.encode as the oracle)", () => {
    const previous = hashOf("previous") as Hex;
    const payload = hashOf("payload") as Hex;
    expect(recordEntry(previous, Action.GRANT_ISSUED, actor, 1_790_000_000n, payload)).to.equal(
      ethers.keccak256(
        coder.encode(
          ["bytes32", "uint8", "address", "uint64", "bytes32"],
          [previous, Action.GRANT_ISSUED, actor, 1_790_000_000n, payload],
        ),
      ),
    );
    const subject = hashOf("subject") as Hex;
    expect(ledgerEntry(previous, 42n, subject, payload)).to.equal(
      ethers.keccak256(coder.encode(["bytes32", "uint64", "bytes32", "bytes32"], [previous, 42n, subject, payload])),
    );
  });

  it("knows every event that carries a trail stamp, and nothing else", () => {
    const stamped = trailEventsAbi
      .filter((item) => item.inputs.some((input) => input.name === "stamp"))
      .map((item) => item.name)
      .sort();
    expect(Object.keys(TRAIL_ACTIONS).sort()).to.deep.equal(stamped);
    for (const name of stamped) expect(isTrailEvent(name), name).to.equal(true);
    for (const name of ["LedgerBound", "RightsModuleSet", "RoleGranted", "toString", "constructor", "", undefined]) {
      expect(isTrailEvent(name), String(name)).to.equal(false);
    }
  });

  it("turns a trail event into its entry, with the payload hash of its parameters", () => {
    const stamp = {
      recordHead: hashOf("h") as Hex,
      recordLength: 3n,
      ledgerSequence: 9n,
      ledgerHead: hashOf("l") as Hex,
    };
    const event = {
      eventName: "FindingAttached",
      args: { fingerprint: hashOf("fp") as Hex, inspectorOrg: 4, actor, findingHash: hashOf("finding") as Hex, stamp },
    };
    expect(trailEntryFromEvent(event, 100n)).to.deep.equal({
      subject: hashOf("fp"),
      action: Action.FINDING_ATTACHED,
      actor,
      time: 100n,
      payloadHash: ethers.keccak256(
        coder.encode(["bytes32", "uint32", "address", "bytes32"], [hashOf("fp"), 4, actor, hashOf("finding")]),
      ),
      stamp,
      standalone: undefined,
    });
    expect(payloadHashOf(event)).to.equal(trailEntryFromEvent(event, 100n).payloadHash);
  });

  it("turns a governance event into a standalone entry: subject the org id or class as a word, `by` as actor", () => {
    const stamp = {
      recordHead: hashOf("h") as Hex,
      recordLength: 1n,
      ledgerSequence: 5n,
      ledgerHead: hashOf("l") as Hex,
    };
    const added = {
      eventName: "OperatorAdded",
      args: { orgId: 7, account: hashOf("a").slice(0, 42) as Address, by: actor, stamp },
    };
    expect(trailEntryFromEvent(added, 100n)).to.deep.equal({
      subject: `0x${"0".repeat(63)}7`,
      action: Action.OPERATOR_ADDED,
      actor,
      time: 100n,
      payloadHash: ethers.keccak256(coder.encode(["uint32", "address", "address"], [7, added.args.account, actor])),
      stamp,
      standalone: true,
    });
    const rule = {
      eventName: "ClassRuleChanged",
      args: { dataClass: 3, actor, previousRule: 2, rule: 1, stamp },
    };
    expect(trailEntryFromEvent(rule, 100n)).to.deep.include({
      subject: `0x${"0".repeat(63)}3`,
      action: Action.CLASS_RULE_CHANGED,
      payloadHash: ethers.keccak256(coder.encode(["uint8", "address", "uint8", "uint8"], [3, actor, 2, 1])),
      standalone: true,
    });
  });

  it("refuses events that cannot stand for an entry, with a TrailEventError saying which", () => {
    const cases: [() => unknown, string, string][] = [
      [() => trailEntryFromEvent({ eventName: "RightsModuleSet", args: {} }, 0n), "NotATrailEvent", "RightsModuleSet"],
      [() => payloadHashOf({ eventName: "NoSuchEvent", args: {} }), "UnknownEvent", "NoSuchEvent"],
      [
        () =>
          trailEntryFromEvent({ eventName: "RecordFrozen", args: {} }, 0n, [
            { type: "event", name: "RecordFrozen", inputs: [{ name: "fingerprint", type: "bytes32", indexed: true }] },
          ]),
        "NoActor",
        "RecordFrozen",
      ],
    ];
    for (const [run, code, eventName] of cases) {
      expect(run).to.throw(TrailEventError).that.includes({ code, eventName, name: "TrailEventError" });
    }
  });

  it("roots its errors in ProvledgerError, each documented in docs/errors.md", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "..", "docs", "errors.md"), "utf8");
    const anchors = new Set([...docs.matchAll(/^#+ (\w+)/gm)].map((match) => match[1].toLowerCase()));
    const entry: TrailEntry = {
      subject: hashOf("s") as Hex,
      action: 1,
      actor,
      time: 0n,
      payloadHash: zeroHash,
      stamp: { recordHead: zeroHash, recordLength: 1n, ledgerSequence: 1n, ledgerHead: zeroHash },
    };
    const mismatch = new TrailMismatchError(entry, "recordHead", hashOf("a") as Hex, zeroHash);
    expect(mismatch).to.include({
      code: "TrailMismatch",
      field: "recordHead",
      expected: hashOf("a"),
      claimed: zeroHash,
    });
    expect(mismatch.shortMessage).to.match(/^trail entry 1 .*: recordHead recomputes to 0x[0-9a-f]{64} but the event/);
    expect(mismatch.details).to.equal("an entry before it is missing, reordered or altered");
    const samples: ProvledgerError[] = [mismatch, new TrailEventError("NotATrailEvent", "X", "X does not; fix")];
    for (const error of samples) {
      expect(error).to.be.instanceOf(ProvledgerError);
      expect(error.name).to.equal(error.constructor.name);
      expect(error.retryable).to.equal(false);
      expect(anchors.has(error.name.toLowerCase()), `docs/errors.md has a section ${error.name}`).to.equal(true);
    }
  });
});
