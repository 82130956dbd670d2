// The /v1/analysis response shapes as zod schemas: the OpenAPI document is generated from them, and the tests parse
// real responses with them (strict objects), so what is documented is what is sent.
import { z } from 'zod';
import { outcomes } from '../policy/schema.js';

const outcome = z.enum(outcomes);
const ids = z.array(z.string());
const factValue = z.union([z.string(), z.boolean()]);

/** A scenario of a table or diff row: facts the engine does not read for this actor are left out (see `any`). */
export const rowScenarioSchema = z
  .strictObject({ date: z.string(), actor: z.strictObject({ jurisdiction: z.string(), agency: z.string() }), request: z.string() })
  .catchall(factValue)
  .describe('A contract scenario; facts the engine does not read for this actor are left out (see `any`)');

/** One side of a diff or gaps answer. */
export const sideSchema = z.strictObject({
  jurisdiction: z.string(),
  date: z.string(),
  label: z.string().optional().describe('The side\'s name, in the language asked for'),
  adopted: z.string().optional().describe('The instrument a gaps model adopts from elsewhere'),
  assumptions: z.strictObject({ in_force: ids, not_in_force: ids }).optional(),
});

/** A summary group: the scenarios it covers in positive terms, and the two outcomes. */
export const groupSchema = z.strictObject({
  request: z.string(),
  agencies: ids,
  a: outcome,
  b: outcome,
  when: z.record(z.string(), z.array(factValue)).describe('Each fact named takes one of the values listed; a fact not named may be anything ({}: every scenario)'),
  scenarios: z.number().int().describe('Concrete scenarios per agency'),
  text: z.string().optional().describe('The group in words, in the language asked for'),
});

/** GET /v1/analysis/diff and /v1/analysis/gaps. */
export const diffResponseSchema = z.strictObject({
  a: sideSchema,
  b: sideSchema,
  differences: z.array(z.strictObject({
    scenario: rowScenarioSchema,
    a: outcome,
    b: outcome,
    a_governing: ids,
    b_governing: ids,
    any: ids.describe('Relevant facts neither side reads: any value gives the same two outcomes'),
    count: z.number().int().describe('Concrete scenarios this row stands for'),
  })),
  total: z.number().int().optional().describe('Concrete scenarios that differ'),
  summary: z.array(groupSchema),
}).describe('Every scenario whose outcome differs (a: side a, b: side b), and a readable summary');

/** GET /v1/analysis/table (JSON). */
export const tableResponseSchema = z.strictObject({
  rows: z.array(z.strictObject({ scenario: rowScenarioSchema, outcome, governing: ids, any: ids, count: z.number().int() })),
}).describe('JSON {"rows": [...]} (or CSV / Markdown text with format)');

/** GET /v1/analysis/timeline. */
export const timelineResponseSchema = z.strictObject({
  jurisdiction: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  changes: z.array(z.strictObject({
    date: z.string(),
    instruments: z.array(z.strictObject({
      instrument: z.string(), provision: z.string().optional(), title: z.string(), jurisdiction: z.string(), change: z.enum(['in_force', 'no_longer_in_force']),
    })),
    scenarios: z.number().int(),
    rows: z.number().int(),
    summary: z.array(groupSchema),
  })),
});

/** GET /v1/analysis/coverage. */
export const coverageResponseSchema = z.strictObject({
  at: z.string(),
  provisions: z.strictObject({ total: z.number().int(), exercised: z.number().int(), untested: ids }),
  space: z.array(z.strictObject({
    jurisdiction: z.string(), request: z.string(), rows: z.number().int(), exercised: z.number().int(), outcomes: ids, outcomesExercised: ids,
  })),
  rows: z.number().int(),
  rowsExercised: z.number().int(),
});

/** GET /v1/analysis/check. */
export const checkResponseSchema = z.strictObject({
  conflicts: z.array(z.strictObject({
    provisions: ids,
    where: z.array(z.strictObject({
      jurisdiction: z.string(), agency: z.string(), request: z.string(), from: z.string(), when: z.record(z.string(), z.unknown()), scenarios: z.number().int(),
    })),
  })),
  unread_facts: z.array(z.strictObject({ fact: z.string(), requests: ids })),
});
