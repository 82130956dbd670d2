// The shapes of policy files (jurisdiction, instrument, policy test), from which their JSON Schemas derive.
import { z } from 'zod';

/** Every kind of instrument, most authoritative first within a level. */
export const instrumentKinds = [
  'statute', 'ordinance', 'charter', 'regulation', 'executive_order', 'directive', 'policy', 'agreement', 'bill', 'guidance',
  'court_decision',
] as const;
/** A kind of instrument (statute, ordinance, executive order, …). */
export type InstrumentKind = (typeof instrumentKinds)[number];

/** Every kind of jurisdiction. */
export const jurisdictionKinds = ['federal', 'state', 'county', 'city'] as const;
/** A kind of jurisdiction (federal, state, county, city, …). */
export type JurisdictionKind = (typeof jurisdictionKinds)[number];

/** What a provision can do about a request. */
export const effects = ['prohibit', 'require', 'permit'] as const;
/** What a provision does: prohibit, require or permit. */
export type Effect = (typeof effects)[number];

/** The outcomes of contract 3.1, in the order the engine codes them; the one list every layer uses. */
export const outcomes = ['prohibited', 'required', 'permitted', 'no_rule', 'conflict', 'depends'] as const;
/** A decision's outcome (contract section 3). */
export type Outcome = (typeof outcomes)[number];

/** How sure the corpus is of a text or a status, most sure first. */
export const confidences = ['verified', 'reported', 'unconfirmed'] as const;
/** How sure the corpus is: verified, reported or unconfirmed. */
export type Confidence = (typeof confidences)[number];

/** A court decision binds the courts and officers below it (binding) or only informs them (persuasive). */
export const precedents = ['binding', 'persuasive'] as const;
/** Whether a court decision binds here or is persuasive only. */
export type Precedent = (typeof precedents)[number];

/**
 * Languages the corpus's prose is translated into: a provision's instruction, an instrument's summary, an event's note
 * and a jurisdiction's note (a quote, a title and a source never are: they are the official English).
 */
export const translationLanguages = ['es'] as const;

/**
 * Whom an instrument binds. own_government: only the issuing government's own employees; territory: also the
 * governments below it; governments_below: only the governments below it (a State law on local jails, Corr. Serv. § 8-805).
 */
export const reaches = ['own_government', 'territory', 'governments_below'] as const;
/** Whom an instrument binds. */
export type Reach = (typeof reaches)[number];

/** Events that start an in-force interval, end one, or are history only. */
export const startEvents = ['effective', 'reinstated', 'upheld', 'injunction_lifted'] as const;
/** History events that end an instrument's force. */
export const endEvents = ['suspended', 'enjoined', 'repealed', 'revoked', 'expired', 'superseded'] as const;
/** History events that neither start nor end force (introduced, passed, …). */
export const historyEvents = ['introduced', 'passed', 'failed', 'withdrawn', 'vetoed', 'veto_overridden', 'signed', 'amended'] as const;
/** Every type of history event. */
export const eventTypes = [...historyEvents, ...startEvents, ...endEvents] as const;
/** A type of history event. */
export type EventType = (typeof eventTypes)[number];

const isoDate = z.iso.date().describe('A date, YYYY-MM-DD');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens');
const scalar = z.union([z.string(), z.boolean()]);
const valueSet = z.union([scalar, z.array(scalar).min(1)]);
/** A provision's `when`: facts and the values under which it applies (all, any, not). */
export const conditionSchema = z
  .record(z.string(), z.union([valueSet, z.strictObject({ not: valueSet })]))
  .describe('Fact conditions that must all hold: a value, a list of values (one of), or {not: values}');

const sourceSchema = z.strictObject({
  title: z.string().optional(),
  url: z.string().optional(),
  citation: z.string().optional(),
  note: z.string().optional(),
});

/** Who runs the jail a jurisdiction's people are booked into: its executive's department, its sheriff, the State, or none of its own. */
export const jailOperators = ['executive', 'sheriff', 'state', 'none'] as const;
/** Who runs a jurisdiction's jail. */
export type JailOperator = (typeof jailOperators)[number];

/** The schema of a jurisdiction.yaml file. */
export const jurisdictionFileSchema = z.strictObject({
  name: z.string().min(1),
  translations: z
    .partialRecord(z.enum(translationLanguages), z.strictObject({
      name: z.string().min(1).optional().describe('The name as written in that language where it differs, e.g. Condado de Montgomery'),
      of: z.string().min(1).optional().describe('The name after "of" where the catalog\'s form for its kind does not read right, e.g. "de la Ciudad de Baltimore"'),
      note: z.string().optional().describe('The note in that language (pages in that language show it instead of the English)'),
    }))
    .optional()
    .describe('The name (where it differs) and the note in other languages, e.g. {es: {name: Condado de Montgomery, note: …}}'),
  kind: z.enum(jurisdictionKinds),
  fips: z.string().min(1).describe('FIPS code (state, county) or Census place GEOID (city), as a string'),
  note: z.string().optional(),
  agencies: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('The agencies (vocabulary agencies) this government actually has; default: all'),
  jail: z
    .strictObject({
      run_by: z.enum(jailOperators).describe('executive: a department of the county or city government (under its executive, council or commissioners); sheriff; state (DPSCS); none'),
      name: z.string().optional().describe('The facility'),
      source: z.string().optional().describe('Where this was read'),
    })
    .optional()
    .describe('Who runs the local jail: decides whose orders bind its staff (agency corrections)'),
  offices: z
    .array(z.strictObject({
      agency: z.string().describe('The vocabulary agency its staff are, e.g. school'),
      name: z.string().min(1).describe('Its official name, e.g. Montgomery County Public Schools'),
      short: z.string().min(1).optional().describe('The short form people use, e.g. MCPS'),
      translations: z
        .partialRecord(z.enum(translationLanguages), z.strictObject({ name: z.string().min(1) }))
        .optional()
        .describe('The official name in other languages, e.g. {es: {name: Escuelas Públicas del Condado de Montgomery}}'),
      source: sourceSchema.optional().describe('Where the name was read'),
    }))
    .min(1)
    .optional()
    .describe('Named offices of this government (a school system, a library system) by agency, so a search by their name finds the place and the office'),
  sources: z.array(sourceSchema).optional().describe('Where the agencies and the jail facts were read'),
});

/** The schema of one history event. */
export const eventSchema = z.strictObject({
  date: isoDate,
  type: z.enum(eventTypes),
  note: z.string().optional(),
  translations: z
    .partialRecord(z.enum(translationLanguages), z.strictObject({
      note: z.string().describe('The note in this language (pages in that language show it instead of the English)'),
    }))
    .optional()
    .describe('The note in other languages, e.g. {es: {note: …}}'),
  source: z.string().optional(),
  confidence: z.enum(confidences).optional(),
});

const translationSchema = z.strictObject({
  instruction: z.string().describe('The instruction in this language, in plain words for staff'),
});

/** The schema of one provision. */
export const provisionSchema = z.strictObject({
  id,
  quote: z.string().min(1).describe('The verbatim clause this provision encodes, or (with paraphrase: true) a paraphrase'),
  paraphrase: z
    .boolean()
    .optional()
    .describe('True when `quote` is not verbatim (no verbatim text was found): shown as a paraphrase, never between quotation marks'),
  source: z.string().min(1).describe('Where the quote was read: an address or a citation (for a paraphrase, the best source)'),
  confidence: z.enum(confidences),
  instruction: z.string().min(1).describe('What staff should do, in plain words'),
  translations: z
    .partialRecord(z.enum(translationLanguages), translationSchema)
    .optional()
    .describe('The instruction in other languages, e.g. {es: {instruction: …}}'),
  binds: z.array(z.string()).min(1).optional().describe('Agencies bound; default all'),
  requests: z.array(z.string()).min(1),
  when: z.union([conditionSchema, z.array(conditionSchema).min(1)]).optional(),
  effect: z.enum(effects),
  exception_to: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  voids: z.array(z.enum(effects)).min(1).optional(),
  from: isoDate.optional(),
  until: isoDate.optional(),
  note: z.string().optional(),
  acknowledge: z
    .strictObject({ unreachable: z.string().min(1).optional(), untested: z.string().min(1).optional() })
    .optional()
    .describe('Check findings known and intended, each with the reason (e.g. a reported practice the order always outranks)'),
});
/** A provision as written in an instrument file. */
export type ProvisionFile = z.infer<typeof provisionSchema>;

/** The schema of an instrument file. */
export const instrumentFileSchema = z.strictObject({
  id,
  title: z.string().min(1),
  number: z.string().optional(),
  jurisdiction: z.string().min(1),
  kind: z.enum(instrumentKinds),
  issuer: z.string().optional(),
  reach: z.enum(reaches).optional(),
  precedent: z
    .enum(precedents)
    .optional()
    .describe('For a court_decision: binding (a court whose holdings bind this jurisdiction) or persuasive (another court; never binding)'),
  court: z.string().optional().describe('For a court_decision: the court that decided it'),
  citation: z.string().optional().describe('For a court_decision: the reporter citation, e.g. 725 F.3d 451 (4th Cir. 2013)'),
  confidence: z.enum(confidences),
  summary: z.string().optional(),
  translations: z
    .partialRecord(z.enum(translationLanguages), z.strictObject({
      summary: z.string().describe('The summary in this language, in plain words (names of instruments and bodies as they are)'),
    }))
    .optional()
    .describe('The summary in other languages, e.g. {es: {summary: …}}'),
  events: z.array(eventSchema),
  sources: z.array(sourceSchema).min(1),
  discrepancies: z
    .array(z.strictObject({ about: z.string(), accounts: z.array(z.string()).min(1), chosen: z.string(), why: z.string() }))
    .optional(),
  notes: z.string().optional(),
  provisions: z.array(provisionSchema),
});
/** An instrument file as parsed. */
export type InstrumentFile = z.infer<typeof instrumentFileSchema>;

/** The schema of a policy test file (<id>.test.yaml). */
export const policyTestFileSchema = z.strictObject({
  instrument: z.string(),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        scenario: z.record(z.string(), z.unknown()),
        assume_in_force: z.array(z.string()).optional(),
        assume_not_in_force: z.array(z.string()).optional(),
        expect: z.strictObject({
          outcome: z.enum(outcomes),
          governing: z.array(z.string()).optional().describe('Provisions that must govern (all of them; others may too)'),
          not_governing: z
            .array(z.string())
            .optional()
            .describe('Provisions that must not govern, nor govern any branch of a depends: a rule that would give the right outcome for the wrong reason'),
        }),
      }),
    )
    .min(1),
});

/** JSON Schemas for editors (written to schema/ by `trustrules schema --write`). */
export function policyJsonSchemas(): Record<string, unknown> {
  const opts = { target: 'draft-7', io: 'input' } as const;
  return {
    'jurisdiction.schema.json': z.toJSONSchema(jurisdictionFileSchema, opts),
    'instrument.schema.json': z.toJSONSchema(instrumentFileSchema, opts),
    'policy-test.schema.json': z.toJSONSchema(policyTestFileSchema, opts),
  };
}
