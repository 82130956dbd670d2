// Public contact reports (contract section 8): counts of records by period, jurisdiction, request, basis, agent,
// action, outcome and deviation, protected against small-cell disclosure, named by the log checkpoint they were
// computed at, in one canonical form (RFC 8785) whose SHA-256 the log key signs as a C2SP signed note. The JSON shape
// here is the stable interface the Reports page and anyone's tools read: see docs/reports.md.
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { decodeHash, encodeHash, openCheckpoint, openNote, type NoteVerifier } from '../log/index.js';
import type { Period, PeriodKind } from './reportPeriods.js';
import { protectTree, type SumEquation, type SumNode, type SumTree } from './suppression.js';

/** The format name every report carries; a change of shape gets a new one. */
export const REPORT_FORMAT = 'trustrules/contacts-report/v1';
/** The suppression threshold when none is configured: counts 1 to 4 are published as "<5". */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;
/** The first line of a report's signed note (never a checkpoint's: its second line is not a tree size). */
export const REPORT_NOTE_TITLE = 'trustrules contacts report v1';

/** What a report covers. */
export interface ReportQuery {
  /** The jurisdiction's own records, and with `descendants` each jurisdiction below it too (each its own rows). */
  readonly jurisdiction: string;
  readonly descendants: boolean;
  /** First and last day (inclusive), on the grid of `by`. */
  readonly from: string;
  readonly to: string;
  readonly by: PeriodKind;
}

/** The categories a cell is the count of (null: the record did not say, e.g. a scenario without a basis). */
export interface CellKey {
  readonly request: string | null;
  readonly basis: string | null;
  readonly agent: string | null;
  readonly action: string | null;
  readonly outcome: string | null;
  readonly deviation: boolean | null;
}

/** A count of records with one cell key in one jurisdiction and month, as the aggregation gives it. */
export interface CountRow extends CellKey {
  /** The month, YYYY-MM (the date the clerk wrote, in its own UTC offset). */
  readonly period: string;
  readonly jurisdiction: string;
  readonly count: number;
}

/**
 * The cells of one combination as the report counts give them: its key once, then each cell's period, jurisdiction
 * and count at the same place of three arrays. A report of 200k cells has about a thousand combinations, so this
 * form holds three values per cell where a CountRow per cell holds nine and is one object more.
 */
export interface CombinationCounts {
  readonly key: CellKey;
  readonly periods: readonly string[];
  readonly jurisdictions: readonly string[];
  readonly counts: readonly number[];
}

/** The checkpoint a report was computed at: the records are the first `size` leaves of the tree with this root. */
export interface ReportCheckpoint {
  readonly origin: string;
  readonly size: number;
  /** Base64 RFC 9162 root hash. */
  readonly root: string;
  /** The checkpoint as the log signed it (GET /v1/log/checkpoint's form). */
  readonly note: string;
}

/**
 * A published count: a number (0 included), `"<5"` below the threshold, `"suppressed"` (at or above it, hidden to
 * protect a count below it), or `"withheld"` (not shown in any form: a total whose bound alone would give away its
 * parts, e.g. a year below the threshold whose four quarters each had one record).
 */
export type ReportCount = number | string;

/**
 * One row. `total`: every record of a jurisdiction in a period (always present, a certified 0 when there were none);
 * its `detail` says whether its cells follow (`published`), were withheld because no suppression could protect them
 * (`withheld`), are in the quarterly reports (`by_quarter`: months and years show totals only), or there are none
 * (`none`). `cell`: the count of one combination of request, basis, agent, action, outcome and
 * deviation that occurred (combinations not listed did not occur).
 */
export interface ReportRow extends CellKey {
  readonly kind: 'total' | 'cell';
  readonly period: string;
  readonly jurisdiction: string;
  readonly count: ReportCount;
  readonly detail: 'published' | 'withheld' | 'by_quarter' | 'none' | null;
}

/** How much was suppressed. */
export interface SuppressionSummary {
  readonly threshold: number;
  /** Counts published as below the threshold (totals and cells). */
  readonly below_threshold: number;
  /** Counts at or above the threshold suppressed to protect those. */
  readonly complementary: number;
  /** Counts not shown in any form. */
  readonly withheld: number;
  /** Quarters whose cells were withheld (their total is shown). */
  readonly withheld_breakdowns: number;
}

/** A report, before its signature. */
export interface ContactReport {
  readonly report: typeof REPORT_FORMAT;
  readonly query: ReportQuery;
  readonly checkpoint: ReportCheckpoint;
  readonly periods: readonly Period[];
  readonly jurisdictions: readonly string[];
  readonly rows: readonly ReportRow[];
  readonly suppressed: SuppressionSummary;
  /** Records in the range whose content retention deleted: not counted anywhere above. */
  readonly deleted_by_retention: number;
}

/** A report with its signature: a signed note over the SHA-256 of the canonical JSON of everything else. */
export interface SignedContactReport extends ContactReport {
  readonly signature: string;
}

/** What a report is computed from. */
export interface ReportInput {
  readonly query: ReportQuery;
  readonly threshold: number;
  readonly checkpoint: ReportCheckpoint;
  readonly periods: readonly Period[];
  /** Every jurisdiction the report has rows for (those with no records get zero rows). */
  readonly jurisdictions: readonly string[];
  /** Cells by month (each also counts toward its month's total), or by quarter (`YYYY-Qn`) with `monthTotals`. */
  readonly counts: readonly CountRow[];
  /** More cells, grouped by combination (counted like `counts`, and with them when a cell is in both). */
  readonly combinations?: readonly CombinationCounts[];
  /** The months' totals, when `counts` are by quarter (the database groups both in one pass). */
  readonly monthTotals?: readonly { readonly period: string; readonly jurisdiction: string; readonly count: number }[];
  readonly deletedByRetention: number;
}

const keyFields = ['request', 'basis', 'agent', 'action', 'outcome', 'deviation'] as const;

function compareValue(a: string | boolean | null, b: string | boolean | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return String(a) < String(b) ? -1 : 1;
}

/** The order of cells in a block (and the tie-break of complementary suppression): field by field, null first. */
export function compareCellKeys(a: CellKey, b: CellKey): number {
  for (const f of keyFields) {
    const c = compareValue(a[f], b[f]);
    if (c) return c;
  }
  return 0;
}

/**
 * A cell key of exactly its six fields, a missing one (undefined, which the types do not allow but a caller's data
 * may hold) as null: the report publishes null for "the record did not say", and one combination is one cell.
 */
const keyOf = (c: CellKey): CellKey => ({
  request: c.request ?? null, basis: c.basis ?? null, agent: c.agent ?? null, action: c.action ?? null, outcome: c.outcome ?? null, deviation: c.deviation ?? null,
});

/** A cell key's field as a sort text: null before any value, a value ended by U+0000 (so a prefix sorts first). */
const sortField = (v: string | boolean | null) => (v === null ? '\u0000' : `\u0001${String(v)}\u0000`);

/**
 * A text whose string order is compareCellKeys' order (field by field, null first, as strings) and which names the
 * key alone, so a block of thousands of cells sorts by one string comparison each; null when a value holds U+0000
 * (then the key is named by its JSON and its fields are compared one by one).
 */
function sortText(c: CellKey): string | null {
  for (const f of keyFields) if (typeof c[f] === 'string' && (c[f] as string).includes('\u0000')) return null;
  return sortField(c.request) + sortField(c.basis) + sortField(c.agent) + sortField(c.action) + sortField(c.outcome) + sortField(c.deviation);
}

/** A combination that occurred somewhere in the report, its place in compareCellKeys' order of them all, and its rows' JSON. */
interface Combination {
  readonly key: CellKey;
  readonly sort: string | null;
  rank: number;
  /** The canonical JSON of a cell row of it, around what varies: before the count, the jurisdiction, the period, and after. */
  json?: readonly [string, string, string, string];
}

/** One cell of a quarter: its combination, its count, and once its year is protected its node in the year's tree. */
interface QuarterCell {
  readonly combination: Combination;
  count: number;
  node: number;
}

/** Ranks every combination in compareCellKeys' order (each block's cells are then sorted by rank). */
function rankCombinations(all: Iterable<Combination>): void {
  const list = [...all];
  if (list.every((c) => c.sort !== null)) list.sort((a, b) => (a.sort! < b.sort! ? -1 : a.sort! > b.sort! ? 1 : 0));
  else list.sort((a, b) => compareCellKeys(a.key, b.key));
  list.forEach((c, i) => {
    c.rank = i;
  });
}

/** The map under `k` in `m`, made when there is none. */
function level<K, V>(m: Map<unknown, Map<K, V>>, k: unknown): Map<K, V> {
  let next = m.get(k);
  if (!next) m.set(k, (next = new Map()));
  return next;
}

/**
 * The combinations of a report, one object each, found by their six values in nested maps: a report of 200k cells has
 * about a thousand combinations, and a lookup by the values themselves builds no key text per cell.
 */
class Combinations {
  private readonly first = new Map<unknown, Map<unknown, Map<unknown, Map<unknown, Map<unknown, Map<unknown, Combination>>>>>>();
  readonly all: Combination[] = [];

  /** The combination of `c`'s six values; a missing value is the same combination as null (see keyOf). */
  of(c: CellKey): Combination {
    const last = level(level(level(level(level(this.first, c.request ?? null), c.basis ?? null), c.agent ?? null), c.action ?? null), c.outcome ?? null);
    const deviation = c.deviation ?? null;
    let combination = last.get(deviation);
    if (!combination) {
      const key = keyOf(c);
      last.set(deviation, (combination = { key, sort: sortText(key), rank: 0 }));
      this.all.push(combination);
    }
    return combination;
  }
}

/** A report period's place in a calendar year, by its name: the year, and the month (0-11) or quarter (0-3). */
function periodParser(shape: RegExp, what: string, index: (period: string) => number): (period: string) => { year: number; index: number } {
  const seen = new Map<string, { year: number; index: number }>();
  return (period) => {
    let p = seen.get(period);
    if (!p) {
      if (!shape.test(period)) throw new Error(`a count for ${period}, not a ${what}`);
      seen.set(period, (p = { year: Number(period.slice(0, 4)), index: index(period) }));
    }
    return p;
  };
}

/** A jurisdiction's calendar year, protected: its tree, and where each period's total and each quarter's cells are. */
interface ProtectedYear {
  readonly tree: SumTree;
  readonly year: number;
  /** Node of the year (0), quarters (1-4), months (5-16). */
  readonly quarterCells: readonly (readonly QuarterCell[])[];
  /** The equation of each quarter's cells, or -1 when the quarter had none. */
  readonly breakdowns: readonly number[];
}

function protectYear(year: number, months: readonly number[], cells: readonly (readonly QuarterCell[])[], threshold: number): ProtectedYear {
  const nodes: SumNode[] = [];
  const add = (value: number) => nodes.push({ value, shown: 'exact' }) - 1;
  add(months.reduce((s, v) => s + v, 0));
  for (let q = 0; q < 4; q++) add(months[q * 3]! + months[q * 3 + 1]! + months[q * 3 + 2]!);
  for (const m of months) add(m);
  const equations: SumEquation[] = [{ parent: 0, children: [1, 2, 3, 4], breakdown: false, withheld: false }];
  for (let q = 0; q < 4; q++) equations.push({ parent: 1 + q, children: [5 + q * 3, 6 + q * 3, 7 + q * 3], breakdown: false, withheld: false });
  // The cells themselves carry their node (no object more per cell: a report may have 200k).
  for (const list of cells) for (const c of list) c.node = add(c.count);
  const quarterCells = cells;
  const breakdowns = quarterCells.map((list, q) => {
    if (!list.length) return -1;
    return equations.push({ parent: 1 + q, children: list.map((c) => c.node), breakdown: true, withheld: false }) - 1;
  });
  return { tree: protectTree({ nodes, equations }, threshold), year, quarterCells, breakdowns };
}

function shown(n: SumNode, threshold: number): ReportCount {
  switch (n.shown) {
    case 'exact': return n.value;
    case 'below': return `<${threshold}`;
    case 'complementary': return 'suppressed';
    case 'withheld': return 'withheld';
  }
}

/**
 * Builds a report from month counts: each jurisdiction's calendar years are protected whole (whatever the range),
 * then the report shows its periods' totals and, by quarter, each quarter's cells. Months and years show totals only:
 * a cell of a month or a year would add a second sum over the same records (a year's cell is its quarters' cells),
 * and two crossing families of sums are what lets suppressed cells be worked out. The breakdown is by quarter.
 */
export function buildReport(input: ReportInput): ContactReport {
  const { threshold, query } = input;
  const jurisdictionSet = new Set(input.jurisdictions);
  /** Each jurisdiction's years: month totals, and each quarter's cells by combination. */
  const years = new Map<string, Map<number, { months: number[]; cells: Map<Combination, QuarterCell>[] }>>();
  const combinations = new Combinations();
  const yearFor = (jurisdiction: string, year: number) => {
    let ofJurisdiction = years.get(jurisdiction);
    if (!ofJurisdiction) {
      years.set(jurisdiction, (ofJurisdiction = new Map()));
      jurisdictionSet.add(jurisdiction);
    }
    let y = ofJurisdiction.get(year);
    if (!y) ofJurisdiction.set(year, (y = { months: new Array<number>(12).fill(0), cells: [0, 1, 2, 3].map(() => new Map()) }));
    return y;
  };
  const byQuarter = input.monthTotals !== undefined;
  const month = periodParser(/^\d{4}-(0[1-9]|1[0-2])$/, 'month', (p) => Number(p.slice(5, 7)) - 1);
  for (const m of input.monthTotals ?? []) {
    if (!Number.isSafeInteger(m.count) || m.count < 1) throw new Error(`a month total of ${m.count} for ${m.period}`);
    const p = month(m.period);
    yearFor(m.jurisdiction, p.year).months[p.index]! += m.count;
  }
  const period = byQuarter ? periodParser(/^\d{4}-Q[1-4]$/, 'quarter', (p) => Number(p.slice(6)) - 1) : month;
  const addCell = (periodName: string, jurisdiction: string, combination: Combination, count: number) => {
    if (!Number.isSafeInteger(count) || count < 1) throw new Error(`a count of ${count} records`);
    const p = period(periodName);
    const y = yearFor(jurisdiction, p.year);
    if (!byQuarter) y.months[p.index]! += count;
    const cells = y.cells[byQuarter ? p.index : Math.floor(p.index / 3)]!;
    const had = cells.get(combination);
    if (had) had.count += count;
    else cells.set(combination, { combination, count, node: -1 });
  };
  for (const c of input.counts) addCell(c.period, c.jurisdiction, combinations.of(c), c.count);
  for (const g of input.combinations ?? []) {
    const n = g.counts.length;
    if (g.periods.length !== n || g.jurisdictions.length !== n) throw new Error(`a combination with ${g.periods.length} periods, ${g.jurisdictions.length} jurisdictions and ${n} counts`);
    const combination = combinations.of(g.key);
    for (let i = 0; i < n; i++) addCell(g.periods[i]!, g.jurisdictions[i]!, combination, g.counts[i]!);
  }
  const jurisdictions = [...jurisdictionSet].sort();
  rankCombinations(combinations.all);
  const protectedYears = new Map<string, ProtectedYear>();
  const yearOf = (jurisdiction: string, year: number): ProtectedYear => {
    const k = `${jurisdiction}\u0000${year}`;
    let p = protectedYears.get(k);
    if (!p) {
      const y = years.get(jurisdiction)?.get(year);
      const cells = (y?.cells ?? [0, 1, 2, 3].map(() => new Map<Combination, QuarterCell>()))
        .map((m) => [...m.values()].sort((a, b) => a.combination.rank - b.combination.rank));
      protectedYears.set(k, (p = protectYear(year, y?.months ?? new Array<number>(12).fill(0), cells, threshold)));
    }
    return p;
  };
  const rows: ReportRow[] = [];
  // The rows' canonical JSON, written beside them (see rowsJson) as pieces joined once: the pieces around a cell's
  // count, jurisdiction and period are kept per combination, so a row adds no new text but its count.
  const texts: string[] = [];
  const summary = { threshold, below_threshold: 0, complementary: 0, withheld: 0, withheld_breakdowns: 0 };
  const count = (n: SumNode): ReportCount => {
    if (n.shown === 'below') summary.below_threshold++;
    if (n.shown === 'complementary') summary.complementary++;
    if (n.shown === 'withheld') summary.withheld++;
    return shown(n, threshold);
  };
  const jurisdictionJson = new Map(jurisdictions.map((j) => [j, JSON.stringify(j)]));
  for (const period of input.periods) {
    const year = Number(period.from.slice(0, 4));
    const month0 = Number(period.from.slice(5, 7)) - 1;
    const periodJson = JSON.stringify(period.id);
    for (const jurisdiction of jurisdictions) {
      const p = yearOf(jurisdiction, year);
      const { nodes, equations } = p.tree;
      const node = query.by === 'year' ? 0 : query.by === 'quarter' ? 1 + month0 / 3 : 5 + month0;
      const total = nodes[node]!;
      const q = month0 / 3;
      const withheld = query.by === 'quarter' && p.breakdowns[q]! >= 0 && equations[p.breakdowns[q]!]!.withheld;
      if (withheld) summary.withheld_breakdowns++;
      const detail: ReportRow['detail'] = total.value === 0 ? 'none' : query.by !== 'quarter' ? 'by_quarter' : withheld ? 'withheld' : 'published';
      const jJson = jurisdictionJson.get(jurisdiction)!;
      // Every row of one shape, its members in one order: a report may have a hundred thousand of them.
      const totalCount = count(total);
      rows.push({ kind: 'total', period: period.id, jurisdiction, request: null, basis: null, agent: null, action: null, outcome: null, deviation: null, count: totalCount, detail });
      texts.push(texts.length ? ',{"action":null,"agent":null,"basis":null,"count":' : '{"action":null,"agent":null,"basis":null,"count":', countJson(totalCount), detailJson[detail], jJson, ',"kind":"total","outcome":null,"period":', periodJson, ',"request":null}');
      if (query.by === 'quarter' && !withheld) {
        for (const { node: n, combination } of p.quarterCells[q]!) {
          const k = combination.key;
          const c = count(nodes[n]!);
          rows.push({ kind: 'cell', period: period.id, jurisdiction, request: k.request, basis: k.basis, agent: k.agent, action: k.action, outcome: k.outcome, deviation: k.deviation, count: c, detail: null });
          const [before, toJurisdiction, toPeriod, after] = combination.json ??= cellJson(k);
          texts.push(before, countJson(c), toJurisdiction, jJson, toPeriod, periodJson, after);
        }
      }
    }
  }
  Object.freeze(rows);
  writtenRows.set(rows, `[${texts.join('')}]`);
  return {
    report: REPORT_FORMAT, query, checkpoint: input.checkpoint, periods: input.periods, jurisdictions,
    rows, suppressed: summary, deleted_by_retention: input.deletedByRetention,
  };
}

/** A total row's JSON from its detail to its jurisdiction. */
const detailJson = Object.fromEntries(['published', 'withheld', 'by_quarter', 'none'].map((d) => [d, `,"detail":"${d}","deviation":null,"jurisdiction":`])) as Record<NonNullable<ReportRow['detail']>, string>;

/** A published count's JSON: a whole number as itself, a word as a JSON string. */
const countJson = (c: ReportCount): string => (typeof c === 'number' ? String(c) : JSON.stringify(c));

/** A cell row's canonical JSON (members in rowMembers' order) around its count, jurisdiction and period, after the comma before it (a cell follows its total). */
function cellJson(k: CellKey): [string, string, string, string] {
  const j = JSON.stringify;
  return [
    `,{"action":${j(k.action)},"agent":${j(k.agent)},"basis":${j(k.basis)},"count":`,
    `,"detail":null,"deviation":${j(k.deviation)},"jurisdiction":`,
    `,"kind":"cell","outcome":${j(k.outcome)},"period":`,
    `,"request":${j(k.request)}}`,
  ];
}

/** A copy with every object's keys in UTF-16 order, so JSON.stringify writes RFC 8785 (no integer-like keys here). */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
  return out;
}

/**
 * RFC 8785 canonical JSON of a report: its objects hold strings, whole numbers, booleans and null under ordinary
 * keys, for which the native JSON.stringify of a key-sorted copy is the canonical form (the test checks it against
 * the canonicalize library) at a fraction of the cost on a report of many thousands of rows.
 */
export function canonicalReportJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

/** A row's members in canonical (UTF-16) order: every row the report builder writes has exactly these. */
const rowMembers = ['action', 'agent', 'basis', 'count', 'detail', 'deviation', 'jurisdiction', 'kind', 'outcome', 'period', 'request'] as const;

/**
 * The canonical JSON of a report's rows: a row with exactly the members of `rowMembers` is copied into an object
 * literal whose members are already in that order (one shape for all, which JSON.stringify writes fastest), instead
 * of a sorted copy of each of a hundred thousand objects; any other row, as a saved file may hold, is sorted.
 */
function rowsJson(rows: unknown): string {
  if (!Array.isArray(rows)) return canonicalReportJson(rows);
  const known = writtenRows.get(rows);
  if (known !== undefined) return known;
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<(typeof rowMembers)[number], unknown>;
    const plain = r !== null && typeof r === 'object' && !Array.isArray(r) && Object.keys(r).length === rowMembers.length && rowMembers.every((m) => Object.hasOwn(r, m));
    out[i] = plain
      ? {
        action: sortedKeys(r.action), agent: sortedKeys(r.agent), basis: sortedKeys(r.basis), count: sortedKeys(r.count), detail: sortedKeys(r.detail),
        deviation: sortedKeys(r.deviation), jurisdiction: sortedKeys(r.jurisdiction), kind: sortedKeys(r.kind), outcome: sortedKeys(r.outcome),
        period: sortedKeys(r.period), request: sortedKeys(r.request),
      }
      : sortedKeys(r);
  }
  const text = JSON.stringify(out);
  // The builder's rows are frozen (and their objects never changed): the hash and the published JSON write them once.
  if (Object.isFrozen(rows)) writtenRows.set(rows, text);
  return text;
}

/** The canonical JSON of frozen rows arrays already written. */
const writtenRows = new WeakMap<readonly unknown[], string>();

/** Canonical JSON of a report object (its members sorted, its rows by rowsJson), with `signature` when given. */
function reportText(report: ContactReport, signature?: string): string {
  return reportParts(report, signature).join('');
}

/** reportText in pieces, the rows' text one of them: hashed piece by piece, the 44 MB of a large report are not copied. */
function reportParts(report: ContactReport, signature?: string): string[] {
  const members: Record<string, unknown> = { ...report };
  delete members.signature;
  if (signature !== undefined) members.signature = signature;
  const parts = ['{'];
  for (const k of Object.keys(members).sort()) parts.push(parts.length > 1 ? ',' : '', `${JSON.stringify(k)}:`, k === 'rows' ? rowsJson(members[k]) : canonicalReportJson(members[k]));
  parts.push('}');
  return parts;
}

/** The canonical bytes of a report's body (RFC 8785 JSON, without its signature): what its signature covers. */
export function reportBody(report: ContactReport): string {
  return reportText(report);
}

/** The SHA-256 of a report's canonical body, base64. */
export function reportHash(report: ContactReport): string {
  const hash = createHash('sha256');
  for (const part of reportParts(report)) hash.update(part, 'utf8');
  return hash.digest('base64');
}

/** The text the log key signs for a report: a title no checkpoint has, the log, the tree size, the body's hash. */
export function reportNoteText(report: ContactReport): string {
  return `${REPORT_NOTE_TITLE}\n${report.checkpoint.origin}\n${report.checkpoint.size}\nsha256 ${reportHash(report)}\n`;
}

/** Signs a report with the log's note signer (its `sign(text)` returns the whole signed note). */
export function signReport(report: ContactReport, signNote: (text: string) => string): SignedContactReport {
  const { signature: _, ...body } = report as SignedContactReport;
  return { ...body, signature: signNote(reportNoteText(body)) };
}

/** A signed report as published: canonical JSON (the same bytes for the same records, checkpoint and query) and a newline. */
export function reportJson(report: SignedContactReport): string {
  return `${reportText(report, report.signature)}\n`;
}

/** The columns of a report's CSV: ids, not words, so a spreadsheet in any language reads the same. */
export const reportCsvColumns = ['period', 'jurisdiction', 'kind', 'request', 'basis', 'agent', 'action', 'outcome', 'deviation', 'count', 'detail'] as const;

/** A report's rows as CSV (the JSON's rows, same order; the JSON is what is signed). */
export function reportCsv(report: ContactReport): string {
  // Each distinct value is quoted once by the CSV library (a report has a few hundred distinct values in 200k rows),
  // and the lines are joined here: the same bytes as stringify of every row, at a fraction of the cost.
  const fields = new Map<string, string>();
  const field = (v: string): string => {
    let f = fields.get(v);
    if (f === undefined) fields.set(v, (f = stringify([[v]]).slice(0, -1)));
    return f;
  };
  const parts = [reportCsvColumns.map(field).join(','), '\n'];
  for (const r of report.rows) {
    parts.push(field(r.period), ',', field(r.jurisdiction), ',', field(r.kind));
    for (const v of [r.request, r.basis, r.agent, r.action, r.outcome, r.deviation, r.count, r.detail]) parts.push(',', field(v === null ? '' : String(v)));
    parts.push('\n');
  }
  return parts.join('');
}

/** What checking a saved report found. */
export type ReportVerification =
  | { readonly ok: true; readonly origin: string; readonly size: number; readonly root: string; readonly sha256: string; readonly canonical: boolean }
  | { readonly ok: false; readonly problem: string };

/** How deep a report's JSON nests: the report, its rows, a row, a value. */
const REPORT_DEPTH = 4;
/** The deepest nesting a saved report may have before it is refused unread: far more than a report has. */
export const MAX_REPORT_DEPTH = 64;

/**
 * Whether `value` nests arrays and objects deeper than `limit` (a scalar is depth 0), found without recursion: the
 * canonical form is written recursively, and a file of thousands of brackets would overflow the stack there.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Checks a saved report against the log's verifier key: its signature is a valid note by the key over the SHA-256
 * of its canonical body, and the checkpoint it names is a valid checkpoint of the same log with the same size and
 * root. `canonical` says whether the file is byte for byte the form the log published (a reformatted file still
 * verifies: the hash is over its canonical form).
 */
export function verifyReport(text: string, verifier: NoteVerifier): ReportVerification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `not JSON: ${(e as Error).message}` };
  }
  if (nestedDeeperThan(parsed, MAX_REPORT_DEPTH)) return { ok: false, problem: `not a ${REPORT_FORMAT} report: it is nested deeper than ${MAX_REPORT_DEPTH} levels (a report has ${REPORT_DEPTH})` };
  const r = parsed as Partial<SignedContactReport> | null;
  if (r === null || typeof r !== 'object' || Array.isArray(r) || r.report !== REPORT_FORMAT) return { ok: false, problem: `not a ${REPORT_FORMAT} report` };
  if (typeof r.signature !== 'string') return { ok: false, problem: 'it carries no signature' };
  const cp = r.checkpoint;
  if (!cp || typeof cp.note !== 'string' || typeof cp.origin !== 'string' || !Number.isSafeInteger(cp.size) || typeof cp.root !== 'string') {
    return { ok: false, problem: 'it names no checkpoint (origin, size, root, note)' };
  }
  let opened;
  try {
    opened = openNote(r.signature, [verifier]);
  } catch (e) {
    return { ok: false, problem: `its signature does not verify with ${verifier.toString()}: ${(e as Error).message}` };
  }
  const report = r as SignedContactReport;
  const sha256 = reportHash(report);
  if (opened.text !== reportNoteText(report)) {
    const signedHash = /\nsha256 (\S+)\n$/.exec(opened.text)?.[1];
    return { ok: false, problem: signedHash && signedHash !== sha256 ? `the report was changed after it was signed: its SHA-256 is ${sha256}, the signature is for ${signedHash}` : 'the signature is for another report' };
  }
  try {
    const c = openCheckpoint(cp.note, verifier, verifier.name);
    if (c.size !== cp.size || encodeHash(c.root) !== encodeHash(decodeHash(cp.root, 'checkpoint.root'))) return { ok: false, problem: 'the checkpoint note does not say the size and root the report names' };
  } catch (e) {
    return { ok: false, problem: `its checkpoint does not verify: ${(e as Error).message}` };
  }
  return { ok: true, origin: cp.origin, size: cp.size, root: cp.root, sha256, canonical: text === reportJson(report) };
}
