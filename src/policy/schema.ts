// The shapes of policy files (jurisdiction, instrument, policy test), from which their JSON Schemas derive.
import { z } from 'zod';

export const instrumentKinds = [
  'statute', 'ordinance', 'charter', 'regulation', 'executive_order', 'directive', 'policy', 'agreement', 'bill', 'guidance',
] as const;
export type InstrumentKind = (typeof instrumentKinds)[number];

export const jurisdictionKinds = ['federal', 'state', 'county', 'city'] as const;
export type JurisdictionKind = (typeof jurisdictionKinds)[number];

export const effects = ['prohibit', 'require', 'permit'] as const;
export type Effect = (typeof effects)[number];

/** The outcomes of contract 3.1, in the order the engine codes them; the one list every layer uses. */
export const outcomes = ['prohibited', 'required', 'permitted', 'no_rule', 'conflict', 'depends'] as const;
export type Outcome = (typeof outcomes)[number];

export const confidences = ['verified', 'reported', 'unconfirmed'] as const;
export type Confidence = (typeof confidences)[number];

export const reaches = ['own_government', 'territory'] as const;
export type Reach = (typeof reaches)[number];

/** Events that start an in-force interval, end one, or are history only. */
export const startEvents = ['effective', 'reinstated', 'upheld', 'injunction_lifted'] as const;
export const endEvents = ['suspended', 'enjoined', 'repealed', 'revoked', 'expired', 'superseded'] as const;
export const historyEvents = ['introduced', 'passed', 'failed', 'withdrawn', 'vetoed', 'veto_overridden', 'signed', 'amended'] as const;
export const eventTypes = [...historyEvents, ...startEvents, ...endEvents] as const;
export type EventType = (typeof eventTypes)[number];

const isoDate = z.iso.date().describe('A date, YYYY-MM-DD');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens');
const scalar = z.union([z.string(), z.boolean()]);
const valueSet = z.union([scalar, z.array(scalar).min(1)]);
export const conditionSchema = z
  .record(z.string(), z.union([valueSet, z.strictObject({ not: valueSet })]))
  .describe('Fact conditions that must all hold: a value, a list of values (one of), or {not: values}');

export const jurisdictionFileSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(jurisdictionKinds),
  fips: z.string().min(1).describe('FIPS code (state, county) or Census place GEOID (city), as a string'),
  note: z.string().optional(),
});
export type JurisdictionFile = z.infer<typeof jurisdictionFileSchema>;

const sourceSchema = z.strictObject({
  title: z.string().optional(),
  url: z.string().optional(),
  citation: z.string().optional(),
  note: z.string().optional(),
});

export const eventSchema = z.strictObject({
  date: isoDate,
  type: z.enum(eventTypes),
  note: z.string().optional(),
  source: z.string().optional(),
  confidence: z.enum(confidences).optional(),
});

export const provisionSchema = z.strictObject({
  id,
  quote: z.string().min(1).describe('The verbatim clause this provision encodes (or the reported sentence)'),
  source: z.string().min(1).describe('Where the quote was read: an address or a citation'),
  confidence: z.enum(confidences),
  instruction: z.string().min(1).describe('What staff should do, in plain words'),
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
export type ProvisionFile = z.infer<typeof provisionSchema>;

export const instrumentFileSchema = z.strictObject({
  id,
  title: z.string().min(1),
  number: z.string().optional(),
  jurisdiction: z.string().min(1),
  kind: z.enum(instrumentKinds),
  issuer: z.string().optional(),
  reach: z.enum(reaches).optional(),
  confidence: z.enum(confidences),
  summary: z.string().optional(),
  events: z.array(eventSchema),
  sources: z.array(sourceSchema).min(1),
  discrepancies: z
    .array(z.strictObject({ about: z.string(), accounts: z.array(z.string()).min(1), chosen: z.string(), why: z.string() }))
    .optional(),
  notes: z.string().optional(),
  provisions: z.array(provisionSchema),
});
export type InstrumentFile = z.infer<typeof instrumentFileSchema>;

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
export type PolicyTestFile = z.infer<typeof policyTestFileSchema>;

/** JSON Schemas for editors (written to schema/ by `trustrules schema --write`). */
export function policyJsonSchemas(): Record<string, unknown> {
  const opts = { target: 'draft-7', io: 'input' } as const;
  return {
    'jurisdiction.schema.json': z.toJSONSchema(jurisdictionFileSchema, opts),
    'instrument.schema.json': z.toJSONSchema(instrumentFileSchema, opts),
    'policy-test.schema.json': z.toJSONSchema(policyTestFileSchema, opts),
  };
}
