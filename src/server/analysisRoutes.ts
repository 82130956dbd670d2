// The analysis endpoints under /v1/analysis/…: table, diff, gaps, timeline, coverage and check findings, as a Fastify
// plugin. Large answers (tables, diffs) are streamed. A bad parameter gets 400 and the contract's error object.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { coverage } from '../analysis/coverage.js';
import { findConflicts, unreadFacts } from '../analysis/conflicts.js';
import { diffJson, diffRows } from '../analysis/diff.js';
import { gapRows } from '../analysis/gaps.js';
import { AnalysisInputError, diffRequest, engineFor, gapsRequest, tableRequest, timelineRequest } from '../analysis/params.js';
import { dateParam, today } from '../app/dates.js';
import { contractErrorOf } from '../app/errors.js';
import { chunkStream } from '../app/output.js';
import { flagValue, jurisdictionParam, knownQuery, optionalList, singleValue } from '../app/params.js';
import { EnginePool } from '../app/pool.js';
import {
  checkResponseSchema, coverageResponseSchema, diffResponseSchema, tableResponseSchema, timelineResponseSchema,
} from './analysisSchemas.js';
import { errorSchema, jsonSchemaOf } from './schemas.js';
import { tableCsv, tableJson, tableRows } from '../analysis/table.js';
import { timeline } from '../analysis/timeline.js';
import { requestLanguage } from '../app/config.js';
import { languages, type Lang } from '../app/presentation/catalog.js';
import { analysisWordsFor } from '../app/presentation/analysisLanguage.js';
import type { Corpus } from '../policy/corpus.js';

/** What the analysis routes need: the corpus and the engine pool. */
export interface AnalysisRoutesOptions {
  readonly corpus: Corpus;
  /** Engines per what-if; default a new pool over the corpus. */
  readonly enginePool?: EnginePool;
}

const list = { type: 'array', items: { type: 'string' } } as const;
const dateSchema = (description: string) => ({ type: 'string', format: 'date', description });
const whatIf = {
  assume_in_force: { ...list, description: 'What-if: instruments treated as in force on every date (repeatable or comma-separated).' },
  assume_not_in_force: { ...list, description: 'What-if: instruments treated as never in force (repeatable or comma-separated).' },
};
const filters = {
  agency: { ...list, description: 'Only these agencies (repeatable or comma-separated).' },
  request: { ...list, description: 'Only these requests (repeatable or comma-separated).' },
};
const errorResponse = { description: 'A bad parameter: the contract error object', ...jsonSchemaOf(errorSchema) };
const diffResponse = jsonSchemaOf(diffResponseSchema);

const langParam = { lang: { type: 'string', enum: [...languages], description: 'The language of the words (`text`, `label`): en or es; without it, Accept-Language; else en.' } };

const flag = flagValue;
const text = singleValue;
const listOf = (q: Record<string, unknown>, key: string) => optionalList(q[key]);
const whatIfOf = (q: Record<string, unknown>) => ({ assumeInForce: listOf(q, 'assume_in_force'), assumeNotInForce: listOf(q, 'assume_not_in_force') });

/** Schemas here document; the handlers validate, so every refusal has the contract's shape (not Ajv's). */
const passThrough = () => (data: unknown) => ({ value: data });

/** The /v1/analysis routes (table, diff, gaps, timeline, coverage, check) as a Fastify plugin. */
export async function analysisRoutes(app: FastifyInstance, opts: AnalysisRoutesOptions): Promise<void> {
  const { corpus } = opts;
  const pool = opts.enginePool ?? new EnginePool(corpus);

  /** Runs a handler; a bad parameter (or unknown instrument) is a 400 with {"error": …}. */
  const guarded = (run: (q: Record<string, unknown>, reply: FastifyReply, lang: Lang) => unknown, keys: readonly string[]) =>
    async (request: { query: unknown; headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) => {
      try {
        const q = knownQuery(request.query, [...keys, 'lang']);
        const lang = requestLanguage(q, request.headers['accept-language']);
        return await run(q, reply, lang);
      } catch (e) {
        const refusal = contractErrorOf(e, corpus);
        if (refusal) return reply.code(refusal.httpStatus).type('application/json').send(JSON.stringify(refusal.body()));
        throw e;
      }
    };

  const tableKeys = ['jurisdiction', 'at', 'agency', 'request', 'all', 'all_descendants', 'expand', 'format', 'assume_in_force', 'assume_not_in_force'];
  app.get('/v1/analysis/table', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Every relevant combination of facts for a jurisdiction on a date, and its outcome',
      description: 'Rows enumerate the facts the engine reads for each agency and request; a request\'s other relevant facts are listed in `any` (no value of them changes the outcome) unless `expand`. Every row is what POST /v1/decide returns for its scenario. Streamed.',
      tags: ['analysis'],
      querystring: {
        type: 'object',
        properties: {
          jurisdiction: { type: 'string', description: 'Jurisdiction id, e.g. us/md/montgomery-county' },
          at: dateSchema('The date (YYYY-MM-DD)'),
          all_descendants: { type: 'boolean', description: 'Also every jurisdiction below it (us/md: all of Maryland)' },
          all: { type: 'boolean', description: 'Every jurisdiction in the corpus' },
          expand: { type: 'boolean', description: 'Fully concrete rows (every relevant fact given)' },
          format: { type: 'string', enum: ['json', 'csv', 'md'], description: 'json (default), csv or md' },
          ...filters, ...whatIf, ...langParam,
        },
        required: ['at'],
      },
      response: { 200: jsonSchemaOf(tableResponseSchema), 400: errorResponse },
    },
  }, guarded((q, reply, lang) => {
    const format = text(q, 'format') ?? 'json';
    if (!['json', 'csv', 'md'].includes(format)) throw new AnalysisInputError({ path: 'format', given: format, allowed: ['json', 'csv', 'md'], message: 'value not allowed' });
    const t = tableRequest(corpus, pool, {
      ...whatIfOf(q), jurisdiction: text(q, 'jurisdiction'), at: text(q, 'at'), all: flag(q, 'all'), allDescendants: flag(q, 'all_descendants'),
      agency: listOf(q, 'agency'), request: listOf(q, 'request'),
    });
    const expand = flag(q, 'expand');
    const rows = tableRows(t.engine, t.jurisdictions, t.date, { ...t.sel, expand });
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(chunkStream(tableCsv(t.engine, rows)));
    if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(chunkStream(analysisWordsFor(lang, corpus).tableMarkdown(t.engine.vocabulary, rows)));
    return reply.type('application/json').send(chunkStream(tableJson(t.engine, rows, expand)));
  }, tableKeys));

  const diffKeys = ['a', 'b', 'at', 'vs_date', 'agency', 'request', 'assume_in_force', 'assume_not_in_force'];
  app.get('/v1/analysis/diff', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Every scenario whose outcome differs between two jurisdictions, two dates, or the law and a what-if',
      description: 'With `a` and `b`: the same facts, the actor moved from a to b, on `at` (both under the what-if if any). With `a` and `vs_date`: a on `at` against a on `vs_date`. With `a` alone and a what-if: a under the law (side a) against a under the what-if (side b). Streamed.',
      tags: ['analysis'],
      querystring: {
        type: 'object',
        properties: {
          a: { type: 'string', description: 'Jurisdiction A' },
          b: { type: 'string', description: 'Jurisdiction B' },
          at: dateSchema('The date'),
          vs_date: dateSchema('Compare a on `at` with a on this date'),
          ...filters, ...whatIf, ...langParam,
        },
        required: ['a', 'at'],
      },
      response: { 200: diffResponse, 400: errorResponse },
    },
  }, guarded((q, reply, lang) => {
    const d = diffRequest(corpus, pool, { ...whatIfOf(q), a: text(q, 'a'), b: text(q, 'b'), at: text(q, 'at'), vsDate: text(q, 'vs_date'), agency: listOf(q, 'agency'), request: listOf(q, 'request') });
    const words = analysisWordsFor(lang, corpus);
    return reply.type('application/json').send(chunkStream(diffJson(d.A, d.B, diffRows(d.A, d.B, d.sel), words)));
  }, diffKeys));

  const gapsKeys = ['jurisdiction', 'against', 'at', 'agency', 'request', 'assume_in_force', 'assume_not_in_force'];
  app.get('/v1/analysis/gaps', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Where a jurisdiction protects less than a model',
      description: 'The model is a jurisdiction (the actor moved there) or an instrument: one of the jurisdiction\'s own or its ancestors\' is assumed in force; one from elsewhere is treated as adopted by the jurisdiction and in force. Protection: prohibited > conflict > no_rule = permitted > required. Same shape as diff (a: the jurisdiction, b: the model).',
      tags: ['analysis'],
      querystring: {
        type: 'object',
        properties: { jurisdiction: { type: 'string' }, against: { type: 'string', description: 'A jurisdiction id or an instrument id' }, at: dateSchema('The date'), ...filters, ...whatIf, ...langParam },
        required: ['jurisdiction', 'against', 'at'],
      },
      response: { 200: diffResponse, 400: errorResponse },
    },
  }, guarded((q, reply, lang) => {
    const g = gapsRequest(corpus, pool, { ...whatIfOf(q), jurisdiction: text(q, 'jurisdiction'), against: text(q, 'against'), at: text(q, 'at'), agency: listOf(q, 'agency'), request: listOf(q, 'request') });
    const words = analysisWordsFor(lang, corpus);
    return reply.type('application/json').send(chunkStream(diffJson(g.target, g.model, gapRows(g.target, g.model, g.sel), words)));
  }, gapsKeys));

  const timelineKeys = ['jurisdiction', 'from', 'to', 'agency', 'request', 'assume_in_force', 'assume_not_in_force'];
  app.get('/v1/analysis/timeline', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'The dates on which any outcome changed for a jurisdiction, and what changed',
      tags: ['analysis'],
      querystring: {
        type: 'object',
        properties: { jurisdiction: { type: 'string' }, from: dateSchema('Changes after this date'), to: dateSchema('Changes up to and including this date'), ...filters, ...whatIf, ...langParam },
        required: ['jurisdiction'],
      },
      response: { 200: jsonSchemaOf(timelineResponseSchema), 400: errorResponse },
    },
  }, guarded((q, reply, lang) => {
    const t = timelineRequest(corpus, pool, { ...whatIfOf(q), jurisdiction: text(q, 'jurisdiction'), from: text(q, 'from'), to: text(q, 'to'), agency: listOf(q, 'agency'), request: listOf(q, 'request') });
    const words = analysisWordsFor(lang, corpus);
    const changes = [...timeline(t.engine, t.jurisdiction, { ...t.sel, from: t.from, to: t.to })]
      .map((e) => ({ ...e, summary: e.summary.map((g) => ({ ...g, text: words.timelineChange(g) })) }));
    return reply.type('application/json').send(JSON.stringify({ jurisdiction: t.jurisdiction, from: t.from ?? null, to: t.to ?? null, changes }));
  }, timelineKeys));

  app.get('/v1/analysis/coverage', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Which provisions and which parts of the scenario space the policy tests exercise',
      description: 'Needs the policy tests loaded with the corpus; without them every count of exercised is 0.',
      tags: ['analysis'],
      querystring: { type: 'object', properties: { at: dateSchema('The date whose scenario space is measured (default today)'), jurisdiction: list, ...whatIf } },
      response: { 200: jsonSchemaOf(coverageResponseSchema), 400: errorResponse },
    },
  }, guarded((q, reply) => {
    const at = dateParam('at', text(q, 'at'), today());
    const only = listOf(q, 'jurisdiction')?.map((j) => jurisdictionParam(corpus, 'jurisdiction', j));
    return reply.type('application/json').send(JSON.stringify(coverage(corpus, pool.under(whatIfOf(q)), at, only)));
  }, ['at', 'jurisdiction', 'assume_in_force', 'assume_not_in_force']));

  app.get('/v1/analysis/check', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Scenarios decided conflict (with the provisions), and facts no provision reads',
      tags: ['analysis'],
      querystring: { type: 'object', properties: { ...whatIf } },
      response: { 200: jsonSchemaOf(checkResponseSchema), 400: errorResponse },
    },
  }, guarded((q, reply) => {
    const engine = engineFor(pool, whatIfOf(q));
    return reply.type('application/json').send(JSON.stringify({ conflicts: findConflicts(engine), unread_facts: unreadFacts(engine.vocabulary, corpus.provisions.values()) }));
  }, ['assume_in_force', 'assume_not_in_force']));
}
