// The analysis endpoints' work apart from HTTP: parameters checked, the bounds an anonymous caller gets applied, and
// the answer produced as text chunks. It runs where analysisRunner.ts puts it: in a worker thread (analysisWorker.ts),
// so that a large table or eight coverage reports never hold up a decision, or in process under the test runner.
import { coverage } from '../analysis/coverage.js';
import { findConflicts, unreadFacts } from '../analysis/conflicts.js';
import { diffJson, diffRows } from '../analysis/diff.js';
import { gapRows } from '../analysis/gaps.js';
import { AnalysisInputError, diffRequest, gapsRequest, tableRequest, timelineRequest } from '../analysis/params.js';
import { expandedRowCount, tableCsv, tableJson, tableRows } from '../analysis/table.js';
import { timeline } from '../analysis/timeline.js';
import { dateParam, today } from '../app/dates.js';
import { ContractError } from '../app/errors.js';
import { flagValue, jurisdictionParam, knownQuery, optionalList, singleValue } from '../app/params.js';
import { engineFor, type EnginePool } from '../app/pool.js';
import type { Lang } from '../app/presentation/catalog.js';
import { analysisWordsFor } from '../app/presentation/analysisLanguage.js';
import type { Corpus } from '../policy/corpus.js';
import { analysisQuerySchemas } from './analysisSchemas.js';
import { parameterNames } from './schemas.js';

/** The analysis endpoints, by the last part of their path. */
export const analysisKinds = ['table', 'diff', 'gaps', 'timeline', 'coverage', 'check'] as const;
/** One analysis endpoint. */
export type AnalysisKind = (typeof analysisKinds)[number];

/** The query parameters each endpoint takes, in the order its refusals list them (from its zod query schema). */
const analysisParameters = Object.fromEntries(
  analysisKinds.map((kind) => [kind, parameterNames(analysisQuerySchemas[kind])]),
) as Readonly<Record<AnalysisKind, readonly string[]>>;

/** How much one request may ask for: rows of an expanded table, and wall time from arrival to the last byte. */
export interface AnalysisBounds {
  readonly maxExpandedRows: number;
  readonly budgetMs: number;
}

/**
 * Without a token: 100,000 expanded rows (one agency's every request in one jurisdiction is 62,586; the whole corpus
 * expanded is 8.7 million rows, over 2 GB) and 30 s (the compact table of every jurisdiction takes about 1 s).
 */
export const ANONYMOUS_BOUNDS: AnalysisBounds = { maxExpandedRows: 100_000, budgetMs: 30_000 };
/** With a token: any size, 10 minutes. */
export const TOKEN_BOUNDS: AnalysisBounds = { maxExpandedRows: Number.POSITIVE_INFINITY, budgetMs: 600_000 };

/** One analysis request as the worker receives it: plain data, so it crosses to a thread. */
export interface AnalysisTask {
  readonly kind: AnalysisKind;
  readonly query: Record<string, unknown>;
  readonly lang: Lang;
  /** Whether the caller sent no token (the messages then say a token would lift the bounds). */
  readonly anonymous: boolean;
  /** The caller's bounds (ANONYMOUS_BOUNDS or TOKEN_BOUNDS unless the server is configured otherwise). */
  readonly bounds: AnalysisBounds;
}

/** An answer: its content type and its text, in chunks produced as they are read. */
export interface AnalysisAnswer {
  readonly contentType: string;
  readonly chunks: Iterable<string>;
}

const JSON_TYPE = 'application/json';

/**
 * Checks the task's parameters and bounds and starts its answer. Refusals (bad parameters, over a bound) are thrown
 * here, before any chunk, so that they can still be an HTTP error; the chunks themselves are computed as read.
 */
export function analysisAnswer(corpus: Corpus, pool: EnginePool, task: AnalysisTask): AnalysisAnswer {
  const q = knownQuery(task.query, analysisParameters[task.kind]);
  const text = (key: string) => singleValue(q, key);
  const listOf = (key: string) => optionalList(q[key]);
  const whatIf = { assumeInForce: listOf('assume_in_force'), assumeNotInForce: listOf('assume_not_in_force') };
  const json = (value: unknown): AnalysisAnswer => ({ contentType: JSON_TYPE, chunks: [JSON.stringify(value)] });
  switch (task.kind) {
    case 'table': {
      const format = text('format') ?? 'json';
      if (!['json', 'csv', 'md'].includes(format)) throw new AnalysisInputError({ path: 'format', given: format, allowed: ['json', 'csv', 'md'], message: 'value not allowed' });
      const t = tableRequest(corpus, pool, {
        ...whatIf, jurisdiction: text('jurisdiction'), at: text('at'), all: flagValue(q, 'all'), allDescendants: flagValue(q, 'all_descendants'),
        agency: listOf('agency'), request: listOf('request'),
      });
      const expand = flagValue(q, 'expand');
      if (expand) checkExpandedSize(expandedRowCount(t.engine, t.jurisdictions, t.sel), task, t.jurisdictions.length);
      const rows = tableRows(t.engine, t.jurisdictions, t.date, { ...t.sel, expand });
      if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', chunks: tableCsv(t.engine, rows) };
      if (format === 'md') return { contentType: 'text/markdown; charset=utf-8', chunks: analysisWordsFor(task.lang, corpus).tableMarkdown(t.engine.vocabulary, rows) };
      return { contentType: JSON_TYPE, chunks: tableJson(t.engine, rows, expand) };
    }
    case 'diff': {
      const d = diffRequest(corpus, pool, { ...whatIf, a: text('a'), b: text('b'), at: text('at'), vsDate: text('vs_date'), agency: listOf('agency'), request: listOf('request') });
      return { contentType: JSON_TYPE, chunks: diffJson(d.A, d.B, diffRows(d.A, d.B, d.sel), analysisWordsFor(task.lang, corpus)) };
    }
    case 'gaps': {
      const g = gapsRequest(corpus, pool, { ...whatIf, jurisdiction: text('jurisdiction'), against: text('against'), at: text('at'), agency: listOf('agency'), request: listOf('request') });
      return { contentType: JSON_TYPE, chunks: diffJson(g.target, g.model, gapRows(g.target, g.model, g.sel), analysisWordsFor(task.lang, corpus)) };
    }
    case 'timeline': {
      const t = timelineRequest(corpus, pool, { ...whatIf, jurisdiction: text('jurisdiction'), from: text('from'), to: text('to'), agency: listOf('agency'), request: listOf('request') });
      const words = analysisWordsFor(task.lang, corpus);
      const changes = [...timeline(t.engine, t.jurisdiction, { ...t.sel, from: t.from, to: t.to })]
        .map((e) => ({ ...e, summary: e.summary.map((g) => ({ ...g, text: words.timelineChange(g) })) }));
      return json({ jurisdiction: t.jurisdiction, from: t.from ?? null, to: t.to ?? null, changes });
    }
    case 'coverage': {
      const at = dateParam('at', text('at'), today());
      const only = listOf('jurisdiction')?.map((j) => jurisdictionParam(corpus, 'jurisdiction', j));
      return json(coverage(corpus, pool.under(whatIf), at, only));
    }
    case 'check': {
      const engine = engineFor(pool, whatIf);
      return json({ conflicts: findConflicts(engine), unread_facts: unreadFacts(engine.vocabulary, corpus.provisions.values()) });
    }
  }
}

/** Refuses an expanded table larger than the caller's bound, saying how to ask for less. */
function checkExpandedSize(rows: number, task: AnalysisTask, jurisdictions: number): void {
  if (rows <= task.bounds.maxExpandedRows) return;
  const max = task.bounds.maxExpandedRows.toLocaleString('en');
  const without = task.anonymous ? ' without a token' : '';
  throw new ContractError('over_limit', {
    path: 'expand',
    given: `${rows.toLocaleString('en')} rows`,
    allowed: [`at most ${max} rows${without}`],
    message: `expand would send ${rows.toLocaleString('en')} rows (${jurisdictions} jurisdiction${jurisdictions === 1 ? '' : 's'}); `
      + `a table may have at most ${max}${without}. Ask for less: one jurisdiction (without all or all_descendants), `
      + 'agency= and request= to narrow it, or leave out expand (the compact table gives the same answers, the facts that '
      + `do not matter listed in "any")${task.anonymous ? '; or send Authorization: Bearer <token>' : ''}.`,
  });
}
