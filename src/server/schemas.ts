// The HTTP API's response shapes as zod schemas: the OpenAPI document is generated from them, and the tests
// parse real responses with them (strict objects), so the documented shapes cannot drift from what is sent.
import { z } from 'zod';
import type { InstrumentStatus } from '../policy/corpus.js';
import { confidences, effects, eventTypes, instrumentKinds, jailOperators, jurisdictionKinds, reaches } from '../policy/schema.js';
import { outcomes, type Role } from '../engine/decision.js';

/** Every value of the engine's Role type; the check below fails to compile if one is added there and not here. */
const roles = ['governs', 'not_applicable', 'defeated', 'voided', 'outranked', 'not_binding', 'depends'] as const satisfies readonly Role[];
const statuses = [
  'in_force', 'not_yet_in_force', 'proposed', 'passed', 'failed', 'withdrawn', 'vetoed',
  'suspended', 'enjoined', 'repealed', 'revoked', 'expired', 'superseded', 'advisory',
] as const satisfies readonly InstrumentStatus[];
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const exhaustive: [Exhaustive<Role, (typeof roles)[number]>, Exhaustive<InstrumentStatus, (typeof statuses)[number]>] = [true, true];
void exhaustive;

const isoDate = z.string().describe('A date, YYYY-MM-DD');
const factValue = z.union([z.string(), z.boolean()]);
const outcome = z.enum(outcomes);

/** A governing entry of a decision. */
export const governingSchema = z
  .strictObject({
    instrument: z.string().describe('Instrument id'),
    provision: z.string().describe('Provision id within the instrument'),
    jurisdiction: z.string().describe('Jurisdiction id of the instrument'),
    title: z.string(),
    kind: z.enum(instrumentKinds),
    effect: z.enum(effects),
    instruction: z.string().describe('What the provision tells staff to do, in plain words'),
    quote: z.string().describe('Verbatim text of the clause (or the reported sentence)'),
    paraphrase: z.literal(true).optional().describe('Present when the quote is a paraphrase, not the verbatim text'),
    source: z.string().describe('Address or citation of the quote'),
    confidence: z.enum(confidences).describe('Confidence in the quoted clause'),
    instrument_confidence: z.enum(confidences).describe('Confidence in the instrument itself: its existence, status and dates'),
  })
  .describe('A provision that decides the outcome');

const ref = z.string().describe('<instrument>#<provision>');
/** The typed reason of a trace entry (contract section 6), one object per code. */
export const reasonSchema = z
  .discriminatedUnion('code', [
    z.strictObject({ code: z.literal('governs') }),
    z.strictObject({
      code: z.literal('conditions_not_met'),
      unmet: z.array(z.strictObject({ fact: z.string(), given: factValue, applies_to: z.array(factValue) }))
        .describe('Per alternative of the conditions, the first fact whose value it does not cover'),
    }),
    z.strictObject({ code: z.literal('defeated_by'), by: ref }),
    z.strictObject({ code: z.literal('voided_by'), by: ref }),
    z.strictObject({ code: z.literal('outranked_by'), by: ref }),
    z.strictObject({ code: z.literal('subordinate_to'), by: ref }),
    z.strictObject({ code: z.literal('depends_on_unknown'), facts: z.array(z.string()) }),
    z.strictObject({ code: z.literal('advisory') }),
    z.strictObject({ code: z.literal('not_in_force'), status: z.enum(statuses), date: z.string().optional() }),
    z.strictObject({ code: z.literal('assumed_not_in_force') }),
    z.strictObject({ code: z.literal('provision_not_yet'), from: z.string() }),
    z.strictObject({ code: z.literal('provision_ended'), until: z.string() }),
    z.strictObject({ code: z.literal('own_government_only'), kind: z.enum(instrumentKinds), jurisdiction: z.string() }),
    z.strictObject({ code: z.literal('jail_run_by_other'), kind: z.enum(instrumentKinds), jurisdiction: z.string(), operator: z.string() }),
    z.strictObject({ code: z.literal('governments_below_only'), kind: z.enum(instrumentKinds), jurisdiction: z.string() }),
    z.strictObject({ code: z.literal('persuasive_only') }),
    z.strictObject({ code: z.literal('agency_not_bound'), binds: z.array(z.string()), agency: z.string() }),
  ])
  .describe('Why the provision has its role, as data (`why` is worded from it)');

/** A considered entry of a decision, with its typed reason. */
export const consideredSchema = z
  .strictObject({
    instrument: z.string(),
    provision: z.string(),
    jurisdiction: z.string(),
    effect: z.enum(effects),
    binding: z.boolean().describe('Whether the provision binds this actor on this date at all (in force, reach, agency)'),
    role: z.enum(roles),
    why: z.string().describe('The reason in words, in the language asked for'),
    reason: reasonSchema,
  })
  .describe('A provision the engine looked at, and what became of it');

/** A would_change entry of a decision. */
export const wouldChangeSchema = z
  .strictObject({
    fact: z.string().describe('A scenario fact id, or actor.agency'),
    values: z.array(factValue),
    outcome,
  })
  .describe('A single-fact change that would give another outcome');

/** A depends_on branch of a decision. */
export const dependsBranchSchema = z.strictObject({
  outcome,
  when: z
    .array(z.record(z.string(), z.array(factValue)))
    .describe('Alternatives: the outcome follows when any one holds; a fact not named may be anything'),
  governing: z.array(z.string()).describe('<instrument>#<provision> refs of the provisions that govern in this branch'),
});

/** A decision (contract section 3). */
export const decisionSchema = z
  .strictObject({
    outcome,
    summary: z.string(),
    governing: z.array(governingSchema),
    considered: z.array(consideredSchema),
    would_change: z.array(wouldChangeSchema),
    depends_on: z.array(dependsBranchSchema).nullable().describe('Set when the outcome is "depends": each outcome and the unknown facts that lead to it'),
    policy_version: z.string().describe('Identifies the exact corpus (and what-if assumptions) that decided'),
    assumptions: z
      .strictObject({ in_force: z.array(z.string()), not_in_force: z.array(z.string()) })
      .optional()
      .describe('Present when the decision was made under a what-if'),
  })
  .describe('A decision (contract section 3.4)');

/** The contract error object (section 5), with near misses. */
export const errorSchema = z
  .strictObject({
    error: z.strictObject({
      path: z.string().describe('The field path (e.g. "basis", "actor.jurisdiction", "3.basis" in a batch) or a part of the request in parentheses'),
      given: z.unknown().describe('What was given (null when missing)'),
      allowed: z.array(z.unknown()).optional().describe('What is allowed there'),
      message: z.string(),
      did_you_mean: z.array(z.string()).optional().describe('Allowed values close to the one given'),
      given_length: z.number().int().optional().describe('When `given` is an excerpt of a long value: the length of the whole, in characters'),
    }),
  })
  .describe('The contract error object (section 5)');

/** A jurisdiction in GET /v1/jurisdictions. */
export const jurisdictionSchema = z.strictObject({
  id: z.string().describe('The jurisdiction id: its path in the hierarchy, e.g. us/md/montgomery-county'),
  name: z.string(),
  kind: z.enum(jurisdictionKinds),
  parent: z.string().nullable(),
  fips: z.string().describe('FIPS (state, county) or Census place GEOID (city)'),
  instruments: z.array(z.string()).describe('Ids of the instruments issued by this jurisdiction'),
  agencies: z.array(z.string()).describe('The agencies (actor.agency values) this government has: a city has no sheriff, a county policed by its sheriff no police'),
  jail: z
    .strictObject({
      run_by: z.enum(jailOperators).describe('executive: a department of the county government; sheriff; state (DPSCS); none'),
      name: z.string().optional(),
      source: z.string().optional(),
    })
    .optional()
    .describe('Who runs the local jail (whose orders bind its staff, agency corrections)'),
  offices: z
    .array(z.strictObject({
      agency: z.string().describe('The actor.agency its staff are, e.g. school'),
      name: z.string().describe('Its official name, e.g. Montgomery County Public Schools'),
      short: z.string().optional().describe('The short form people use, e.g. MCPS'),
      translations: z.strictObject({ es: z.strictObject({ name: z.string() }) }).partial().optional(),
    }))
    .optional()
    .describe("The government's named offices by agency (each county's public school system)"),
  note: z.string().optional(),
  translations: z
    .strictObject({ es: z.strictObject({ name: z.string().optional(), of: z.string().optional(), note: z.string().optional() }) })
    .partial()
    .optional()
    .describe('The name (where it differs) and the note in Spanish, as the jurisdiction file gives them'),
});

/** A jurisdiction in GET /v1/jurisdictions/{id}, with its children. */
export const jurisdictionDetailSchema = jurisdictionSchema.extend({
  children: z.array(z.string()).describe('Ids of the jurisdictions directly below this one'),
});

const sourceSchema = z.strictObject({
  title: z.string().optional(),
  url: z.string().optional(),
  citation: z.string().optional(),
  note: z.string().optional(),
});

/** An instrument in GET /v1/instruments. */
export const instrumentSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  number: z.string().optional(),
  jurisdiction: z.string(),
  kind: z.enum(instrumentKinds),
  issuer: z.string().optional(),
  reach: z.enum(reaches),
  status: z.enum(statuses),
  status_as_of: isoDate,
  binding: z.boolean().describe('False for guidance: advisory, never binding'),
  in_force: z.array(z.strictObject({ from: isoDate, to: isoDate.nullable().describe('First day no longer in force; null while open') })),
  confidence: z.enum(confidences),
  summary: z.string().optional(),
  translations: z
    .strictObject({ es: z.strictObject({ summary: z.string() }) })
    .partial()
    .optional()
    .describe('The summary in Spanish, as the instrument file gives it'),
  events: z.array(
    z.strictObject({
      date: isoDate,
      type: z.enum(eventTypes),
      note: z.string().optional(),
      translations: z
        .strictObject({ es: z.strictObject({ note: z.string() }) })
        .partial()
        .optional()
        .describe('The note in Spanish, as the instrument file gives it'),
      source: z.string().optional(),
      confidence: z.enum(confidences).optional(),
    }),
  ),
  sources: z.array(sourceSchema),
  discrepancies: z.array(z.strictObject({ about: z.string(), accounts: z.array(z.string()), chosen: z.string(), why: z.string() })),
  notes: z.string().optional(),
  provisions: z.array(
    z.strictObject({
      id: z.string(),
      effect: z.enum(effects),
      requests: z.array(z.string()),
      binds: z.array(z.string()),
      when: z.array(z.record(z.string(), z.array(z.string()))).describe('Alternatives of fact conditions'),
      exception_to: z.array(z.string()).optional(),
      voids: z.array(z.enum(effects)).optional(),
      from: isoDate.optional(),
      until: isoDate.optional(),
      instruction: z.string(),
      quote: z.string(),
      paraphrase: z.boolean().optional().describe('True when quote is a paraphrase, not the verbatim text'),
      source: z.string(),
      confidence: z.enum(confidences),
    }),
  ),
});

/** GET /healthz. */
export const healthSchema = z.strictObject({
  status: z.literal('ok'),
  policy_version: z.string(),
  jurisdictions: z.number().int(),
  instruments: z.number().int(),
  assumptions: z.strictObject({ in_force: z.array(z.string()), not_in_force: z.array(z.string()) }).optional(),
});

/** The answer of GET /readyz: what was checked and, when not ready, what is missing. */
export const readinessSchema = z.strictObject({
  status: z.enum(['ready', 'unavailable']),
  checks: z.strictObject({ database: z.enum(['ok', 'missing']), migrations: z.enum(['ok', 'missing']), log_key: z.enum(['ok', 'missing']) }),
  missing: z.array(z.string()).optional().describe('What is not there, in words for an operator'),
});

/** A JSON Schema for OpenAPI 3.1 (JSON Schema 2020-12 dialect) from a zod schema, without the `$schema` key. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Record<string, unknown>;
  return rest;
}

/** The query of an endpoint that takes no parameters (documents it; the handler refuses any with knownQuery). */
export const noQuery = z.strictObject({});

/**
 * The names of a route's query parameters, in the order its zod object lists them: the handler accepts these and no
 * other (knownQuery), and lists them in this order as `allowed`, so what is documented is what is taken.
 */
export function parameterNames(schema: z.ZodObject): readonly string[] {
  return Object.keys(schema.shape);
}
