// Computing public reports from the contact store: the counts of the records of one checkpoint (the first `size`
// leaves), read from the report counts in the checkpoint's snapshot, protected and signed; and the auditor's recompute, which counts the same report again in
// JavaScript from the records' committed content, after checking that content against the log, to the same bytes.
import { NoteVerifier, openCheckpoint, type Checkpoint } from '../log/index.js';
import { encodeHash } from '../log/index.js';
import { BinaryCopyReader } from './binaryCopy.js';
import type { CheckpointSigner } from './contacts.js';
import { sqlLiteral, type Database, type Sql } from './database.js';
import { buildReport, signReport, reportBody, type CombinationCounts, type ContactReport, type CountRow, type IndexedCombinationCounts, type ReportCells, type ReportCheckpoint, type ReportQuery, type SignedContactReport } from './report.js';
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

/** The scope condition on columns `day` (a date) and `place` (a jurisdiction) and its parameters, from parameter number `n` on. */
function scope(q: ReportQuery, n: number, day = 'occurred_on', place = 'jurisdiction'): { where: string; params: unknown[] } {
  return {
    where: `${day} BETWEEN $${n}::date AND $${n + 1}::date AND (${place} = $${n + 2} OR ($${n + 3}::boolean AND starts_with(${place}, $${n + 4})))`,
    params: [q.from, q.to, q.jurisdiction, q.descendants, `${q.jurisdiction}/`],
  };
}

/**
 * `scope`'s condition with its values written in as literals (`sqlLiteral`; booleans as true or false), for a
 * statement that takes no parameters (`copyOut`): one condition, in two forms.
 */
function scopeAsLiterals(q: ReportQuery, day: string, place: string): string {
  const { where, params } = scope(q, 1, day, place);
  return where.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    return typeof value === 'boolean' ? String(value) : sqlLiteral(String(value));
  });
}

/** What the database counts for a report. */
export interface ReportCounts {
  /** Cells by quarter, jurisdiction and combination, one row each. */
  readonly counts: CountRow[];
  /** More cells by quarter and jurisdiction, grouped by combination (see CombinationCounts). */
  readonly combinations: CombinationCounts[];
  /** More cells by quarter, grouped by combination, quarters and jurisdictions as numbers (the report counts' form: see ReportCells). */
  readonly cells?: ReportCells;
  /** Totals by month and jurisdiction. */
  readonly monthTotals: { period: string; jurisdiction: string; count: number }[];
  /** Records in the report's range whose content retention deleted. */
  readonly deletedByRetention: number;
}

type CellRow = { jurisdiction: string; request: string | null; basis: string | null; agent: string | null; action: string | null; outcome: string | null; deviation: boolean | null; n: number };

/**
 * The counts of a report over the first `size` records, from the report counts (migration 005), which describe the
 * records of the head in the same snapshot: read as they are at the head, less the records appended after `size`
 * (counted from the records themselves) for an earlier checkpoint. When those would be more than `size`, the first
 * `size` records are counted directly instead (`scanReportCounts`): the same numbers either way. Call it inside one
 * transaction with the reading of the checkpoint (as `computeReport` does) so that both see the same head.
 */
export async function reportCounts(sql: Sql, q: ReportQuery, size: number): Promise<ReportCounts> {
  const [head] = await sql.query<{ size: string | number }>('SELECT size FROM log_head WHERE id = 1');
  const headSize = Number(head?.size ?? 0);
  if (size > headSize) throw new Error(`a report at size ${size}, beyond the head (${headSize})`);
  if (headSize - size > size) return scanReportCounts(sql, q, size);
  const years = wholeYears(q);
  // Room to group a report's cells by combination in memory (a hash of 200k cells is about 17 MB): with the default
  // 4 MB the database sorts them on disk instead, twice as slow. For this transaction only.
  await sql.query("SET LOCAL work_mem = '64MB'");
  // The cells as a binary COPY of one row per combination (a thousand or so: the database groups them, as the
  // builder takes them), each with two bigint arrays in the same order (one group's aggregates see its rows in one
  // order): each cell's quarter and jurisdiction packed as (days from 2000-01-01 to the quarter's first day) × 2^32 +
  // (its place in the list of jurisdictions with records in the range, which report_months keeps in the same
  // transactions), and its count. Not JSON: building a JSON array element by element was most of the database's part
  // (three json_agg per cell), and reading text or one result row per cell costs the driver (PGlite's above all) more
  // than the reader's few DataView reads per cell. COPY takes no parameters, so the scope is written into it as
  // literals (scopeAsLiterals), which also lets the planner see them, as it sees a parameter's value: through settings
  // read back in the query it estimated 8 cells, not 190k, and joined them by a nested loop 30 times slower.
  const ranged = { ...q, ...years };
  const namedRows = await sql.query<{ jurisdiction: string }>(
    `SELECT DISTINCT jurisdiction FROM report_months WHERE ${scope(ranged, 1, 'month').where} ORDER BY jurisdiction`,
    scope(ranged, 1).params,
  );
  const names = namedRows.map((r) => r.jurisdiction);
  const NO_MONTHS = 2147483647;
  const copy = new BinaryCopyReader(await sql.copyOut(
    `WITH j AS MATERIALIZED (SELECT jurisdiction, (row_number() OVER (ORDER BY jurisdiction) - 1)::integer AS i
                            FROM (SELECT DISTINCT jurisdiction FROM report_months WHERE ${scopeAsLiterals(ranged, 'month', 'jurisdiction')}) d)
     SELECT request, basis, agent, action, outcome, deviation,
            array_agg(((c.quarter - DATE '2000-01-01')::bigint << 32) | coalesce(j.i, ${NO_MONTHS})), array_agg(c.records)
     FROM report_cells c LEFT JOIN j ON j.jurisdiction = c.jurisdiction
     WHERE c.records > 0 AND ${scopeAsLiterals(ranged, 'c.quarter', 'c.jurisdiction')} GROUP BY 1, 2, 3, 4, 5, 6`,
  ), 8);
  // A quarter's first day, as days from 2000-01-01, to its number (year × 4 + quarter − 1).
  const quarters = new Map<number, number>();
  const quarterOf = (days: number) => {
    let n = quarters.get(days);
    if (n === undefined) {
      const d = new Date(Date.UTC(2000, 0, 1 + days));
      quarters.set(days, (n = d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3)));
    }
    return n;
  };
  const combinations: IndexedCombinationCounts[] = [];
  while (copy.nextRow()) {
    const key = { request: copy.field().text(), basis: copy.field().text(), agent: copy.field().text(), action: copy.field().text(), outcome: copy.field().text(), deviation: copy.field().bool() };
    const cellQuarters: number[] = [];
    const cellJurisdictions: number[] = [];
    copy.field().int8Elements((days, place) => {
      if (place === NO_MONTHS) throw new Error('the report counts have cells of a jurisdiction with no month counts: rebuild them (rebuildReportCounts)');
      cellQuarters.push(quarterOf(days));
      cellJurisdictions.push(place);
    });
    const counts: number[] = [];
    copy.field().int8Elements((high, low) => counts.push(high * 4294967296 + low));
    combinations.push({ key, quarters: cellQuarters, jurisdictions: cellJurisdictions, counts });
  }
  let cells: ReportCells | undefined = { jurisdictions: names, combinations };
  let counts: CountRow[] = [];
  const monthRows = await sql.query<{ month: string; jurisdiction: string; n: number; deleted: number }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, jurisdiction, records::integer AS n, deleted::integer AS deleted FROM report_months WHERE ${scope({ ...q, ...years }, 1, 'month').where}`,
    scope({ ...q, ...years }, 1).params,
  );
  const months = new Map(monthRows.map((r) => [`${r.month} ${r.jurisdiction}`, { period: r.month, jurisdiction: r.jurisdiction, count: Number(r.n), deleted: Number(r.deleted) }]));
  if (size < headSize) {
    // The records after the checkpoint, taken back out of the head's counts.
    const cellKey = (period: string, r: Omit<CellRow, 'n'>) => JSON.stringify([period, r.jurisdiction, r.request, r.basis, r.agent, r.action, r.outcome, r.deviation]);
    const byKey = new Map<string, CountRow & { count: number }>();
    for (const g of cells.combinations) {
      g.counts.forEach((count, i) => {
        const quarter = g.quarters[i]!;
        const cell = { period: `${Math.floor(quarter / 4)}-Q${(quarter % 4) + 1}`, jurisdiction: names[g.jurisdictions[i]!]!, ...g.key, count };
        byKey.set(cellKey(cell.period, cell), cell);
      });
    }
    const s = scope({ ...q, ...years }, 3);
    const later = await sql.query<CellRow & { month: string; gone: boolean }>(
      `SELECT to_char(occurred_on, 'YYYY-MM') AS month, jurisdiction, request, basis, agent, action, outcome, deviation, tombstoned_at IS NOT NULL AS gone, count(*)::integer AS n
       FROM contact_records WHERE idx >= $1 AND idx < $2 AND ${s.where} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
      [size, headSize, ...s.params],
    );
    for (const r of later) {
      const n = Number(r.n);
      const month = months.get(`${r.month} ${r.jurisdiction}`);
      if (!month) throw new Error(`the report counts have no month ${r.month} of ${r.jurisdiction}, which has records: rebuild them (rebuildReportCounts)`);
      if (r.gone) {
        month.deleted -= n;
        continue;
      }
      month.count -= n;
      const quarter = `${r.month.slice(0, 4)}-Q${Math.floor((Number(r.month.slice(5, 7)) - 1) / 3) + 1}`;
      const k = cellKey(quarter, r);
      const cell = byKey.get(k);
      if (!cell || cell.count < n) throw new Error(`the report counts of ${quarter} in ${r.jurisdiction} are fewer than its records: rebuild them (rebuildReportCounts)`);
      cell.count -= n;
      if (!cell.count) byKey.delete(k);
    }
    counts = [...byKey.values()];
    cells = undefined;
  }
  const from = q.from.slice(0, 7);
  const to = q.to.slice(0, 7);
  let deletedByRetention = 0;
  const monthTotals: ReportCounts['monthTotals'] = [];
  for (const m of months.values()) {
    if (m.period >= from && m.period <= to) deletedByRetention += m.deleted;
    if (m.count > 0) monthTotals.push({ period: m.period, jurisdiction: m.jurisdiction, count: m.count });
  }
  return { counts, combinations: [], ...(cells ? { cells } : {}), monthTotals, deletedByRetention };
}

/**
 * The counts of a report counted from the records themselves, over the first `size` records of the calendar years
 * its range touches, in one pass: cells by quarter and totals by month (GROUPING SETS); and how many in its range
 * retention deleted. What `reportCounts` gives, at the cost of reading every record.
 */
export async function scanReportCounts(sql: Sql, q: ReportQuery, size: number): Promise<ReportCounts> {
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
  return { counts, combinations: [], monthTotals, deletedByRetention: Number(gone?.n ?? 0) };
}

/**
 * Computes and signs a report: the checkpoint (the head, or the asked size) and the counts of exactly the records
 * that checkpoint covers, read in one snapshot, so appends meanwhile change nothing. `known` lists the jurisdictions of the corpus
 * (for the zero rows of those with no records).
 */
export async function computeReport(db: Database, signer: CheckpointSigner, req: ReportRequest, known: Iterable<string>): Promise<SignedContactReport> {
  const query: ReportQuery = { jurisdiction: req.jurisdiction, descendants: req.descendants, from: req.from, to: req.to, by: req.by };
  const periods = reportPeriods(query);
  const verifier = NoteVerifier.parse(signer.verifierKey);
  // One read-only snapshot for the checkpoint and the counts: an append committing meanwhile is in neither.
  const { checkpoint, counted } = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const at = await checkpointAt(tx, verifier, req.size);
    return { checkpoint: at, counted: await reportCounts(tx, query, at.size) };
  });
  const { counts, combinations, cells, monthTotals, deletedByRetention } = counted;
  const report = buildReport({
    query, threshold: req.threshold, checkpoint, periods, jurisdictions: reportJurisdictions(query, known), counts, combinations, ...(cells ? { cells } : {}), monthTotals, deletedByRetention,
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
