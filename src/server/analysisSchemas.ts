// The /v1/analysis query and response shapes as zod schemas: the OpenAPI document is generated from them, the
// handlers take exactly the query parameters listed here, and the tests parse real responses with the response
// shapes (strict objects), so what is documented is what is taken and sent.
import { z } from 'zod';
import { languages } from '../app/presentation/catalog.js';
import { outcomes } from '../policy/schema.js';
import type { AnalysisKind } from './analysisWork.js';

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

const list = (description: string) => z.array(z.string()).optional().describe(description);
const date = (description: string) => z.iso.date().describe(description);
const filters = {
  agency: list('Only these agencies (repeatable or comma-separated).'),
  request: list('Only these requests (repeatable or comma-separated).'),
};
const whatIf = {
  assume_in_force: list('What-if: instruments treated as in force on every date (repeatable or comma-separated).'),
  assume_not_in_force: list('What-if: instruments treated as never in force (repeatable or comma-separated).'),
};
const lang = { lang: z.enum(languages).optional().describe('The language of the words (`text`, `label`): en or es; without it, Accept-Language; else en.') };
const flag = (description: string) => z.boolean().optional().describe(`${description} (present, unless false or 0)`);

/**
 * Each endpoint's query parameters. The handlers check the values themselves (so that every refusal is the contract's
 * error object, not a validator's), but take no parameter not listed here, and list them in this order as `allowed`.
 */
export const analysisQuerySchemas = {
  table: z.strictObject({
    jurisdiction: z.string().optional().describe('Jurisdiction id, e.g. us/md/montgomery-county (or all, or all_descendants)'),
    at: date('The date (YYYY-MM-DD)'),
    ...filters,
    all: flag('Every jurisdiction in the corpus'),
    all_descendants: flag('Also every jurisdiction below it (us/md: all of Maryland)'),
    expand: flag('Fully concrete rows (every relevant fact given)'),
    format: z.enum(['json', 'csv', 'md']).optional().describe('json (default), csv or md'),
    ...whatIf, ...lang,
  }),
  diff: z.strictObject({
    a: z.string().describe('Jurisdiction A'),
    b: z.string().optional().describe('Jurisdiction B'),
    at: date('The date'),
    vs_date: date('Compare a on `at` with a on this date').optional(),
    ...filters, ...whatIf, ...lang,
  }),
  gaps: z.strictObject({
    jurisdiction: z.string().describe('The jurisdiction whose protection is measured'),
    against: z.string().describe('A jurisdiction id or an instrument id'),
    at: date('The date'),
    ...filters, ...whatIf, ...lang,
  }),
  timeline: z.strictObject({
    jurisdiction: z.string().describe('Jurisdiction id'),
    from: date('Changes after this date').optional(),
    to: date('Changes up to and including this date').optional(),
    ...filters, ...whatIf, ...lang,
  }),
  coverage: z.strictObject({
    at: date('The date whose scenario space is measured (default today)').optional(),
    jurisdiction: list('Only these jurisdictions (repeatable or comma-separated).'),
    ...whatIf, ...lang,
  }),
  check: z.strictObject({ ...whatIf, ...lang }),
} satisfies Record<AnalysisKind, z.ZodObject>;
