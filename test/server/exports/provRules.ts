/**
 * The PROV-JSON rules a JSON Schema cannot state, checked on a parsed document (the schema,
 * schemas/prov-json.schema.json, checks the structure). Each broken rule is one message naming where it is:
 * - every identifier a relation names is declared, and in the right section (an entity where an entity belongs,
 *   a generation where a derivation names its generation, ...), and a derivation's generation and usage are of the
 *   same entities and activity (PROV-CONSTRAINTS, derivation inferences);
 * - an identifier is not both an entity and an activity, and names one relation only;
 * - every qualified name (identifiers, attribute names, datatypes, xsd:QName values) has a declared prefix (`prov`
 *   and `xsd` are predefined) and a local part PROV-N allows; a blank identifier `_:` appears only as a relation's
 *   own identifier;
 * - typed literals are well-formed for their datatype (xsd:dateTime with a time zone, xsd:unsignedLong in range,
 *   xsd:QName a declared qualified name), and an activity does not end before it starts.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Section = Record<string, Record<string, Json>>;

const PREDEFINED_PREFIXES = new Set(["prov", "xsd"]);
const PREFIX = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// PROV-N's PN_LOCAL, without escapes: letters, digits, '_', and PN_CHARS_OTHERS ('/', '@', '~', '&', '+', '*', '?',
// '#', '$', '!', '%xx'), plus '.', '-' and ':' inside.
const LOCAL = /^[A-Za-z0-9_/@~&+*?#$!:%-]([A-Za-z0-9_/@~&+*?#$!:%.-]*[A-Za-z0-9_/@~&+*?#$!:%-])?$/;
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ELEMENTS = ["entity", "activity", "agent"] as const;

/** The section each formal argument of a relation must name. */
const ARGUMENTS: Record<string, Record<string, string | string[]>> = {
  wasGeneratedBy: { "prov:entity": "entity", "prov:activity": "activity" },
  used: { "prov:activity": "activity", "prov:entity": "entity" },
  wasInformedBy: { "prov:informed": "activity", "prov:informant": "activity" },
  wasStartedBy: { "prov:activity": "activity", "prov:trigger": "entity", "prov:starter": "activity" },
  wasEndedBy: { "prov:activity": "activity", "prov:trigger": "entity", "prov:ender": "activity" },
  wasInvalidatedBy: { "prov:entity": "entity", "prov:activity": "activity" },
  wasDerivedFrom: {
    "prov:generatedEntity": "entity",
    "prov:usedEntity": "entity",
    "prov:activity": "activity",
    "prov:generation": "wasGeneratedBy",
    "prov:usage": "used",
  },
  wasAttributedTo: { "prov:entity": "entity", "prov:agent": "agent" },
  wasAssociatedWith: { "prov:activity": "activity", "prov:agent": "agent", "prov:plan": "entity" },
  actedOnBehalfOf: { "prov:delegate": "agent", "prov:responsible": "agent", "prov:activity": "activity" },
  wasInfluencedBy: {
    "prov:influencee": ["entity", "activity", "agent"],
    "prov:influencer": ["entity", "activity", "agent"],
  },
  specializationOf: { "prov:specificEntity": "entity", "prov:generalEntity": "entity" },
  alternateOf: { "prov:alternate1": "entity", "prov:alternate2": "entity" },
  hadMember: { "prov:collection": "entity", "prov:entity": "entity" },
};

/** Every broken rule of `document`, in words; empty when it keeps them all. */
export function provRuleViolations(input: object): string[] {
  const document = input as Record<string, Json>;
  const problems: string[] = [];
  const prefixes = (document.prefix ?? {}) as Record<string, string>;
  const declared = (prefix: string) => PREDEFINED_PREFIXES.has(prefix) || prefix in prefixes;

  const checkName = (name: string, where: string, blankAllowed = false): void => {
    const colon = name.indexOf(":");
    if (colon < 0) {
      if (!("default" in prefixes))
        problems.push(`${where}: "${name}" has no prefix and no default namespace is declared`);
      else if (!LOCAL.test(name)) problems.push(`${where}: "${name}" is not a PROV-N local name`);
      return;
    }
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    if (prefix === "_") {
      if (!blankAllowed) problems.push(`${where}: blank identifier "${name}" where a declared one is required`);
    } else if (!PREFIX.test(prefix)) problems.push(`${where}: "${prefix}" is not a prefix name`);
    else if (!declared(prefix)) problems.push(`${where}: prefix "${prefix}" of "${name}" is not declared`);
    if (local !== "" && !LOCAL.test(local))
      problems.push(`${where}: "${local}" (in "${name}") is not a PROV-N local name`);
  };

  const checkLiteral = (value: Json, where: string): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => checkLiteral(item, `${where}[${i}]`));
    if (value === null || typeof value !== "object") return;
    const text = value.$;
    const type = value.type;
    if (typeof type !== "string") return; // a language-tagged string
    checkName(type, `${where}.type`);
    if (typeof text !== "string") {
      problems.push(`${where}: a typed literal's "$" must be its lexical form (a string)`);
      return;
    }
    switch (type) {
      case "xsd:dateTime":
        if (!DATE_TIME.test(text) || Number.isNaN(Date.parse(text)))
          problems.push(`${where}: "${text}" is not an xsd:dateTime with a time zone`);
        break;
      case "xsd:unsignedLong":
        if (!/^(0|[1-9]\d*)$/.test(text) || BigInt(text) >= 2n ** 64n)
          problems.push(`${where}: "${text}" is not an xsd:unsignedLong`);
        break;
      case "xsd:nonNegativeInteger":
        if (!/^(0|[1-9]\d*)$/.test(text)) problems.push(`${where}: "${text}" is not an xsd:nonNegativeInteger`);
        break;
      case "xsd:QName":
      case "prov:QUALIFIED_NAME":
        checkName(text, `${where}.$`);
        break;
    }
  };

  const checkAttributes = (attributes: Record<string, Json>, where: string): void => {
    for (const [name, value] of Object.entries(attributes)) {
      checkName(name, `${where} attribute`);
      checkLiteral(value, `${where}.${name}`);
    }
  };

  // Elements: declared once, entity and activity disjoint.
  const sections: Record<string, Section> = {};
  for (const [key, value] of Object.entries(document)) if (key !== "prefix") sections[key] = value as Section;
  for (const kind of ELEMENTS) {
    for (const [id, attributes] of Object.entries(sections[kind] ?? {})) {
      checkName(id, `${kind} ${id}`);
      checkAttributes(attributes, `${kind} ${id}`);
    }
  }
  for (const id of Object.keys(sections.entity ?? {})) {
    if (id in (sections.activity ?? {}))
      problems.push(`${id} is both an entity and an activity (PROV-CONSTRAINTS: disjoint)`);
  }
  for (const [id, activity] of Object.entries(sections.activity ?? {})) {
    const start = activity["prov:startTime"];
    const end = activity["prov:endTime"];
    for (const [name, time] of [
      ["prov:startTime", start],
      ["prov:endTime", end],
    ] as const) {
      if (time !== undefined && (typeof time !== "string" || !DATE_TIME.test(time)))
        problems.push(`activity ${id}: ${name} "${String(time)}" is not an xsd:dateTime`);
    }
    if (typeof start === "string" && typeof end === "string" && Date.parse(end) < Date.parse(start))
      problems.push(`activity ${id} ends before it starts`);
  }

  // Relations: identifiers unique, arguments declared in the right section.
  const relationIds = new Map<string, string>();
  for (const [relation, roles] of Object.entries(ARGUMENTS)) {
    for (const [id, record] of Object.entries(sections[relation] ?? {})) {
      const where = `${relation} ${id}`;
      checkName(id, where, true);
      const other = relationIds.get(id);
      if (other !== undefined) problems.push(`${where}: identifier also names a ${other}`);
      relationIds.set(id, relation);
      for (const [name, value] of Object.entries(record)) {
        const kinds = roles[name];
        if (kinds === undefined) {
          checkName(name, `${where} attribute`);
          checkLiteral(value, `${where}.${name}`);
          if (name === "prov:time" && (typeof value !== "string" || !DATE_TIME.test(value)))
            problems.push(`${where}: prov:time "${String(value)}" is not an xsd:dateTime`);
          continue;
        }
        const targets = Array.isArray(value) ? value : [value];
        for (const target of targets) {
          if (typeof target !== "string") {
            problems.push(`${where}: ${name} must be an identifier`);
            continue;
          }
          checkName(target, `${where}.${name}`);
          const allowed = Array.isArray(kinds) ? kinds : [kinds];
          if (!allowed.some((kind) => target in (sections[kind] ?? {}))) {
            problems.push(`${where}: ${name} "${target}" is not a declared ${allowed.join(" or ")}`);
          }
        }
      }
      if (relation === "wasDerivedFrom") checkDerivation(record, where);
    }
  }
  for (const [relation, records] of Object.entries(sections)) {
    if (relation === "prefix" || (ELEMENTS as readonly string[]).includes(relation)) continue;
    for (const [id, record] of Object.entries(records)) {
      const type = record["prov:type"] as { $?: string } | undefined;
      if (type?.$ === "prov:Revision" && relation !== "wasDerivedFrom")
        problems.push(`${relation} ${id}: prov:Revision is a kind of derivation only`);
    }
  }
  return problems;

  function checkDerivation(record: Record<string, Json>, where: string): void {
    const generation = sections.wasGeneratedBy?.[record["prov:generation"] as string];
    const usage = sections.used?.[record["prov:usage"] as string];
    if (generation !== undefined) {
      if (generation["prov:entity"] !== record["prov:generatedEntity"])
        problems.push(`${where}: its generation is of another entity`);
      if (generation["prov:activity"] !== record["prov:activity"])
        problems.push(`${where}: its generation is by another activity`);
    }
    if (usage !== undefined) {
      if (usage["prov:entity"] !== record["prov:usedEntity"]) problems.push(`${where}: its usage is of another entity`);
      if (usage["prov:activity"] !== record["prov:activity"])
        problems.push(`${where}: its usage is by another activity`);
    }
  }
}
