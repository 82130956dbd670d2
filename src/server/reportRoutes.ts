// The public reports of contract section 8 as a Fastify plugin: GET /v1/reports/contacts, signed canonical JSON or
// CSV, computed at the log's current checkpoint. Public: no token. Reports are kept per checkpoint, so a busy page
// costs one computation per append, not one per visitor.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ContractError } from '../app/errors.js';
import { knownQuery } from '../app/params.js';
import type { Corpus } from '../policy/corpus.js';
import { computeReport } from '../store/contactReports.js';
import type { OpenContactStore } from '../store/open.js';
import { reportCsv, reportHash, reportJson, type SignedContactReport } from '../store/report.js';
import { asContractError, reportRequestFrom } from '../store/reportParams.js';
import { reportResponseSchema } from './contactSchemas.js';
import { jsonSchemaOf, parameterNames } from './schemas.js';

/** What the plugin needs: the corpus (its jurisdictions), the open store, and the suppression threshold. */
export interface ReportRoutesOptions {
  readonly corpus: Corpus;
  readonly contacts?: OpenContactStore;
  readonly threshold: number;
}

/** A report kept for its query and checkpoint: its JSON, and its CSV once asked for. */
interface KeptReport {
  readonly json: string;
  csv?: { readonly text: string; readonly size: number; readonly sha256: string };
}

/** Reports kept (per query and checkpoint). */
const CACHE_SIZE = 64;

/** The report's query parameters (the OpenAPI document is made from these; reportRequestFrom checks the values). */
const reportQuery = z.strictObject({
  jurisdiction: z.string().describe('A jurisdiction id, e.g. us/md/montgomery-county'),
  from: z.iso.date().describe('First day (YYYY-MM-DD), the first day of a period'),
  to: z.iso.date().describe('Last day (YYYY-MM-DD), the last day of a period'),
  by: z.enum(['month', 'quarter', 'year']).optional().describe('Periods (default quarter)'),
  descendants: z.enum(['true', 'false']).optional().describe('Also every jurisdiction below it, each its own rows (default false)'),
  format: z.enum(['json', 'csv']).optional().describe('Instead of the Accept header'),
});
const reportParameters = parameterNames(reportQuery);

const errorRef = (description: string) => ({ description, $ref: 'Error#' });

function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = String(request.headers.accept ?? '');
  return /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept);
}

/** The plugin: registered by the server builder. */
export async function reportRoutes(api: FastifyInstance, options: ReportRoutesOptions): Promise<void> {
  const known = [...options.corpus.jurisdictions.keys()];
  const cache = new Map<string, KeptReport>();

  api.get('/v1/reports/contacts', {
    schema: {
      tags: ['reports'],
      summary: 'Public report of contact records: counts by period, jurisdiction and what was asked, done and ruled',
      description: 'Counts below the suppression threshold are "<5", others "suppressed" so that none can be worked out; '
        + 'a period with no records is 0. Signed with the log key over the SHA-256 of its canonical JSON, at the checkpoint it names. '
        + 'Cells (request, basis, agent, action, outcome, deviation) are given by quarter; months and years give totals. See docs/reports.md.',
      querystring: jsonSchemaOf(reportQuery, 'input'),
      response: {
        200: { ...jsonSchemaOf(reportResponseSchema), description: 'The signed report (or its rows as CSV); sent as signed, its canonical bytes' },
        400: errorRef('A bad parameter'),
        503: errorRef('No contact store'),
      },
    },
  }, async (request, reply) => {
    const q = knownQuery(request.query, reportParameters);
    const format = q.format === undefined ? undefined : String(q.format);
    if (format !== undefined && format !== 'json' && format !== 'csv') throw new ContractError('bad_input', { path: 'format', given: format, allowed: ['json', 'csv'], message: 'a report is JSON or CSV' });
    const req = reportRequestFrom(q, options.corpus, options.threshold);
    const store = options.contacts;
    if (!store) throw new ContractError('unavailable', { path: '(server)', given: null, message: 'this server runs without a contact store' });
    const { size } = await store.store.head();
    const key = JSON.stringify([size, req]);
    let entry = cache.get(key);
    let fresh: SignedContactReport | undefined;
    if (entry === undefined) {
      fresh = await computeReport(store.db, store.store.signer, { ...req, size }, known).catch((e: unknown) => {
        throw asContractError(e);
      });
      entry = { json: reportJson(fresh) };
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, entry);
    }
    reply.header('cache-control', 'no-cache');
    if (wantsCsv(request, format)) {
      // The CSV of a kept report is made once, from the report just computed or else from its JSON.
      if (entry.csv === undefined) {
        const report = fresh ?? (JSON.parse(entry.json) as SignedContactReport);
        entry.csv = { text: reportCsv(report), size: report.checkpoint.size, sha256: reportHash(report) };
      }
      const name = `contacts-${req.jurisdiction.replace(/\//g, '_')}-${req.from}-${req.to}-${req.by}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
        .header('x-report-checkpoint-size', String(entry.csv.size)).header('x-report-sha256', entry.csv.sha256).send(entry.csv.text);
    }
    return reply.type('application/json; charset=utf-8').send(entry.json);
  });
}
