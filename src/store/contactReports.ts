// Computing public reports from the contact store: the counts aggregated in SQL over the records of one checkpoint
// (the first `size` leaves), protected and signed; and the auditor's recompute, which counts the same report again in
// JavaScript from the records' committed content, after checking that content against the log, to the same bytes.
import { NoteVerifier, openCheckpoint, type Checkpoint } from '../log/index.js';
import { encodeHash } from '../log/index.js';
import type { CheckpointSigner } from './contacts.js';
import type { Sql } from './database.js';
import { buildReport, signReport, reportBody, type ContactReport, type CountRow, type ReportCheckpoint, type ReportQuery, type SignedContactReport } from './report.js';
import { periodsBetween, type Period, type RangeProblem } from './reportPeriods.js';
import { verifyStoredLog } from './verify.js';

/** A report asked of the store: what it covers, the threshold, and (for an auditor) a past tree size. */
export interface ReportRequest extends ReportQuery {
  readonly threshold: number;
  /** The tree size to compute at: a size the log signed a checkpoint for (default: the current head). */
  readonly size?: number;
}

/** A report that cannot be computed as asked: which parameter, what was given, what is allowed. */
export class ReportRequestError extends Error {
  constructor(readonly path: string, readonly given: unknown, readonly allowed: readonly string[], message: string) {
    super(message);
    this.name = 'ReportRequestError';
  }
}

/** The periods of a request, or a ReportRequestError naming the end that is off the grid. */
export function reportPeriods(q: Pick<ReportQuery, 'from' | 'to' | 'by'>): Period[] {
  const periods = periodsBetween(q.from, q.to, q.by);
  if (!Array.isArray(periods)) {
    const p = periods as RangeProblem;
    throw new ReportRequestError(p.path, p.given, p.allowed, p.message);
  }
  return periods;
}

/** The jurisdictions a report has rows for: the one asked for and, with descendants, every one below it. */
export function reportJurisdictions(q: Pick<ReportQuery, 'jurisdiction' | 'descendants'>, known: Iterable<string>): string[] {
  const below = `${q.jurisdiction}/`;
  return [...new Set([q.jurisdiction, ...(q.descendants ? [...known].filter((j) => j.startsWith(below)) : [])])].sort();
}

/** The calendar years a report's range touches: suppression protects whole years, so every report shows one pattern. */
function wholeYears(q: Pick<ReportQuery, 'from' | 'to'>): { from: string; to: string } {
  return { from: `${q.from.slice(0, 4)}-01-01`, to: `${q.to.slice(0, 4)}-12-31` };
}

/** The signed checkpoint of tree size `size` (the head's when undefined), opened with the log's key. */
async function checkpointAt(sql: Sql, verifier: NoteVerifier, size: number | undefined): Promise<ReportCheckpoint> {
  let note: string | undefined;
  if (size === undefined) {
    note = (await sql.query<{ checkpoint: string }>('SELECT checkpoint FROM log_head WHERE id = 1'))[0]?.checkpoint;
    if (note === undefined) throw new Error('the contact log has no head: run trustrules db migrate');
  } else {
    note = (await sql.query<{ note: string }>('SELECT note FROM log_checkpoints WHERE size = $1', [size]))[0]?.note;
    if (note === undefined) {
      const [head] = await sql.query<{ size: string | number }>('SELECT size FROM log_head WHERE id = 1');
      throw new ReportRequestError('size', size, [`a size the log signed a checkpoint for, up to ${Number(head?.size ?? 0)}`], `the log signed no checkpoint of size ${size}`);
    }
  }
  const c: Checkpoint = openCheckpoint(note, verifier, verifier.name);
  return { origin: c.origin, size: c.size, root: encodeHash(c.root), note };
}

/** The scope condition and its parameters, from parameter number `n` on. */
function scope(q: ReportQuery, n: number): { where: string; params: unknown[] } {
  return {
    where: `occurred_on BETWEEN $${n}::date AND $${n + 1}::date AND (jurisdiction = $${n + 2} OR ($${n + 3}::boolean AND starts_with(jurisdiction, $${n + 4})))`,
    params: [q.from, q.to, q.jurisdiction, q.descendants, `${q.jurisdiction}/`],
  };
}

/** What the database counts for a report. */
export interface ReportCounts {
  /** Cells by quarter, jurisdiction and combination. */
  readonly counts: CountRow[];
  /** Totals by month and jurisdiction. */
  readonly monthTotals: { period: string; jurisdiction: string; count: number }[];
  /** Records in the report's range whose content retention deleted. */
  readonly deletedByRetention: number;
}

/**
 * The counts of a report, aggregated in the database over the first `size` records of the calendar years its range
 * touches, in one pass: cells by quarter and totals by month (GROUPING SETS); and how many in its range retention
 * deleted.
 */
export async function reportCounts(sql: Sql, q: ReportQuery, size: number): Promise<ReportCounts> {
  const s = scope({ ...q, ...wholeYears(q) }, 2);
  const rows = await sql.query<{ month: string | null; quarter: string | null; jurisdiction: string; request: string | null; basis: string | null; agent: string | null; action: string | null; outcome: string | null; deviation: boolean | null; n: number; cells: number }>(
    `SELECT month, quarter, jurisdiction, request, basis, agent, action, outcome, deviation, count(*)::integer AS n, GROUPING(month)::integer AS cells
     FROM (SELECT to_char(occurred_on, 'YYYY-MM') AS month, to_char(occurred_on, 'YYYY-"Q"Q') AS quarter, jurisdiction, request, basis, agent, action, outcome, deviation
           FROM contact_records WHERE idx < $1 AND tombstoned_at IS NULL AND ${s.where}) r
     GROUP BY GROUPING SETS ((quarter, jurisdiction, request, basis, agent, action, outcome, deviation), (month, jurisdiction))`,
    [size, ...s.params],
  );
  const range = scope(q, 2);
  const [gone] = await sql.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM contact_records WHERE idx < $1 AND tombstoned_at IS NOT NULL AND ${range.where}`,
    [size, ...range.params],
  );
  const counts: CountRow[] = [];
  const monthTotals: ReportCounts['monthTotals'] = [];
  for (const r of rows) {
    if (Number(r.cells) === 1) {
      counts.push({ period: r.quarter!, jurisdiction: r.jurisdiction, request: r.request, basis: r.basis, agent: r.agent, action: r.action, outcome: r.outcome, deviation: r.deviation, count: Number(r.n) });
    } else monthTotals.push({ period: r.month!, jurisdiction: r.jurisdiction, count: Number(r.n) });
  }
  return { counts, monthTotals, deletedByRetention: Number(gone?.n ?? 0) };
}

/**
 * Computes and signs a report: the checkpoint first (the head, or the asked size), then the counts of exactly the
 * records that checkpoint covers, so appends meanwhile change nothing. `known` lists the jurisdictions of the corpus
 * (for the zero rows of those with no records).
 */
export async function computeReport(sql: Sql, signer: CheckpointSigner, req: ReportRequest, known: Iterable<string>): Promise<SignedContactReport> {
  const query: ReportQuery = { jurisdiction: req.jurisdiction, descendants: req.descendants, from: req.from, to: req.to, by: req.by };
  const periods = reportPeriods(query);
  const checkpoint = await checkpointAt(sql, NoteVerifier.parse(signer.verifierKey), req.size);
  const { counts, monthTotals, deletedByRetention } = await reportCounts(sql, query, checkpoint.size);
  const report = buildReport({
    query, threshold: req.threshold, checkpoint, periods, jurisdictions: reportJurisdictions(query, known), counts, monthTotals, deletedByRetention,
  });
  return signReport(report, (text) => signer.signNote(text));
}

interface ContentRow {
  idx: string | number;
  content: string;
  tombstoned_at: unknown;
  jurisdiction: string;
  occurred_on: string;
}

/** What the auditor's recompute found. */
export type AuditResult =
  | { readonly ok: true; readonly records: number; readonly counted: number }
  | { readonly ok: false; readonly problem: string };

/**
 * The auditor's recompute of a saved report: checks the stored log against every signed checkpoint and the report's
 * own (so the records are the ones the checkpoint committed to), counts the report again from each record's content
 * (not the query columns the SQL used), and compares the canonical bytes with the saved report's body.
 */
export async function auditReport(sql: Sql, verifier: NoteVerifier, saved: ContactReport, known: Iterable<string>): Promise<AuditResult> {
  const log = await verifyStoredLog(sql, verifier, [saved.checkpoint.note]);
  if (!log.ok) return { ok: false, problem: `the stored log does not verify: record ${log.index}: ${log.problem}` };
  const q = saved.query;
  const periods = reportPeriods(q);
  const years = wholeYears(q);
  const inRange = (j: string) => j === q.jurisdiction || (q.descendants && j.startsWith(`${q.jurisdiction}/`));
  const counts = new Map<string, CountRow>();
  let deleted = 0;
  let counted = 0;
  const size = saved.checkpoint.size;
  for (let next = 0; next < size;) {
    const rows = await sql.query<ContentRow>(
      'SELECT idx, content, tombstoned_at, jurisdiction, occurred_on::text AS occurred_on FROM contact_records WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT 5000',
      [next, size],
    );
    if (!rows.length) break;
    for (const row of rows) {
      next = Number(row.idx) + 1;
      if (row.tombstoned_at != null) {
        // Retention kept only the row's jurisdiction and day: the one number of the report not from committed content.
        if (inRange(row.jurisdiction) && row.occurred_on >= q.from && row.occurred_on <= q.to) deleted++;
        continue;
      }
      const r = (JSON.parse(row.content) as { record: Record<string, unknown> }).record;
      const scenario = r.scenario as { actor?: { jurisdiction?: unknown }; request?: unknown; basis?: unknown };
      const day = String(r.occurred_at).slice(0, 10);
      const jurisdiction = String(scenario.actor?.jurisdiction);
      if (!inRange(jurisdiction) || day < years.from || day > years.to) continue;
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const cell = {
        period: day.slice(0, 7), jurisdiction, request: text(scenario.request), basis: text(scenario.basis), agent: text(r.agent),
        action: text(r.action), outcome: text((r.decision as { outcome?: unknown }).outcome), deviation: typeof r.deviation === 'boolean' ? r.deviation : null,
      };
      const k = JSON.stringify(cell);
      const c = counts.get(k);
      counts.set(k, { ...cell, count: (c?.count ?? 0) + 1 });
      counted++;
    }
  }
  const again = buildReport({
    query: q, threshold: saved.suppressed.threshold, checkpoint: saved.checkpoint, periods, jurisdictions: reportJurisdictions(q, known), counts: [...counts.values()], deletedByRetention: deleted,
  });
  const mine = reportBody(again);
  const theirs = reportBody(saved);
  if (mine !== theirs) {
    const diff = again.rows.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(saved.rows[i]));
    const where = diff >= 0 ? `row ${diff} (${JSON.stringify(saved.rows[diff] ?? null)}, recomputed ${JSON.stringify(again.rows[diff])})` : 'its header (periods, jurisdictions, summary or retention count)';
    return { ok: false, problem: `the recomputed report differs from the saved one at ${where}` };
  }
  return { ok: true, records: size, counted };
}
