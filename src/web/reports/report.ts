// The public report as GET /v1/reports/contacts publishes it (contract section 8; docs/reports.md, "The JSON"): the
// Reports page reads the API as any other client would, and checks the shape it gets, so a change of format is an
// error on the page rather than a wrong table.
import { z } from 'zod';

const count = z.union([z.number().int().nonnegative(), z.string().regex(/^(<\d+|suppressed|withheld)$/)]);

const row = z.object({
  kind: z.enum(['total', 'cell']),
  period: z.string(),
  jurisdiction: z.string(),
  request: z.string().nullable(),
  basis: z.string().nullable(),
  agent: z.string().nullable(),
  action: z.string().nullable(),
  outcome: z.string().nullable(),
  deviation: z.boolean().nullable(),
  count,
  detail: z.enum(['published', 'withheld', 'by_quarter', 'none']).nullable(),
});

/** The report's JSON, as far as the page reads it (other members are kept, not read). */
export const publicReportSchema = z.object({
  report: z.literal('trustrules/contacts-report/v1'),
  query: z.object({ jurisdiction: z.string(), descendants: z.boolean(), from: z.string(), to: z.string(), by: z.enum(['month', 'quarter', 'year']) }),
  checkpoint: z.object({ origin: z.string(), size: z.number().int().nonnegative(), root: z.string(), note: z.string() }),
  periods: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })),
  jurisdictions: z.array(z.string()),
  rows: z.array(row),
  suppressed: z.object({ threshold: z.number().int(), below_threshold: z.number().int(), complementary: z.number().int(), withheld: z.number().int(), withheld_breakdowns: z.number().int() }),
  deleted_by_retention: z.number().int(),
  signature: z.string(),
});

/** A public report. */
export type PublicReport = z.infer<typeof publicReportSchema>;
/** One row of it: a total of a jurisdiction and period, or one combination's count. */
export type ReportRow = PublicReport['rows'][number];
