// Public contact reports (contract section 8): counts of records by period, jurisdiction, request, basis, agent,
// action, outcome and deviation, protected against small-cell disclosure, named by the log checkpoint they were
// computed at, in one canonical form (RFC 8785) whose SHA-256 the log key signs as a C2SP signed note. The JSON shape
// here is the stable interface the Reports page and anyone's tools read: see docs/reports.md.
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { decodeHash, encodeHash, openCheckpoint, openNote, type NoteVerifier } from '../log/index.js';
import type { Period, PeriodKind } from './reportPeriods.js';
import { BELOW, COMPLEMENTARY, protectTable, WITHHELD, type Scratch, type SumTable } from './suppression.js';

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

/**
 * The cells of one combination with their quarter and jurisdiction as numbers (the report counts' form, see
 * ReportCells): the database writes and the builder reads a few digits per cell, not a date and a name.
 */
export interface IndexedCombinationCounts {
  readonly key: CellKey;
  /** Each cell's quarter as year × 4 + quarter − 1 (2025-Q3 is 8102). */
  readonly quarters: readonly number[];
  /** Each cell's jurisdiction: its place in ReportCells.jurisdictions. */
  readonly jurisdictions: readonly number[];
  readonly counts: readonly number[];
}

/** Cells by quarter grouped by combination, naming jurisdictions by their place in one list. */
export interface ReportCells {
  readonly jurisdictions: readonly string[];
  readonly combinations: readonly IndexedCombinationCounts[];
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
  /** More cells, by quarter (with `monthTotals`), their quarters and jurisdictions as numbers; counted like `counts`. */
  readonly cells?: ReportCells;
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
  /** Its place in Combinations.all. */
  readonly index: number;
  readonly sort: string | null;
  rank: number;
  /** The canonical JSON of a cell row of it, around what varies: before the count, the jurisdiction, the period, and after. */
  json?: readonly [string, string, string, string];
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
      last.set(deviation, (combination = { key, index: this.all.length, sort: sortText(key), rank: 0 }));
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

/** Growable columns of cells: each cell's jurisdiction (its id in `names`), year, quarter (0-3), combination (its index), count. */
interface CellColumns {
  readonly jurisdiction: number[];
  readonly year: number[];
  readonly quarter: number[];
  readonly combination: number[];
  readonly count: number[];
}

/**
 * A jurisdiction's calendar year, protected: its table of sums (node 0 the year, 1-4 its quarters, 5-16 its months,
 * then its quarters' cells in order, each quarter's by rank), and the equation of each quarter's cells (-1: none).
 */
interface ProtectedYear {
  readonly table: SumTable;
  readonly breakdowns: readonly [number, number, number, number];
  /** Where the year's cells start in the report's sorted cells, and each quarter's first cell's place after that. */
  readonly first: number;
  readonly quarterStarts: readonly [number, number, number, number, number];
}

/** The table of sums of one year: its month totals and its cells' counts (`counts[from .. from + ends[3])`, quarter by quarter). */
function yearTable(months: ArrayLike<number>, counts: Float64Array, from: number, ends: readonly [number, number, number, number, number]): { table: SumTable; breakdowns: [number, number, number, number] } {
  const cells = ends[4];
  const n = 17 + cells;
  const values = new Float64Array(n);
  let year = 0;
  for (let m = 0; m < 12; m++) year += months[m]!;
  values[0] = year;
  for (let q = 0; q < 4; q++) values[1 + q] = months[q * 3]! + months[q * 3 + 1]! + months[q * 3 + 2]!;
  for (let m = 0; m < 12; m++) values[5 + m] = months[m]!;
  values.set(counts.subarray(from, from + cells), 17);
  const breakdowns: [number, number, number, number] = [-1, -1, -1, -1];
  let E = 5;
  for (let q = 0; q < 4; q++) if (ends[q + 1]! > ends[q]!) breakdowns[q] = E++;
  const parents = new Int32Array(E);
  const starts = new Int32Array(E + 1);
  const children = new Int32Array(16 + cells);
  const breakdown = new Uint8Array(E);
  // The year is its quarters (nodes 1-4), each quarter its months (three from node 5 on): children 0-15.
  for (let k = 0; k < 4; k++) children[k] = 1 + k;
  for (let m = 0; m < 12; m++) children[4 + m] = 5 + m;
  for (let q = 0; q < 4; q++) {
    parents[1 + q] = 1 + q;
    starts[1 + q] = 4 + q * 3;
  }
  starts[5] = 16;
  for (let k = 0; k < cells; k++) children[16 + k] = 17 + k;
  for (let q = 0; q < 4; q++) {
    const e = breakdowns[q]!;
    if (e < 0) continue;
    parents[e] = 1 + q;
    breakdown[e] = 1;
    starts[e] = 16 + ends[q]!;
    starts[e + 1] = 16 + ends[q + 1]!;
  }
  return { table: { values, shown: new Uint8Array(n), parents, starts, children, breakdown, withheld: new Uint8Array(E) }, breakdowns };
}

/**
 * Builds a report from month counts: each jurisdiction's calendar years are protected whole (whatever the range),
 * then the report shows its periods' totals and, by quarter, each quarter's cells. Months and years show totals only:
 * a cell of a month or a year would add a second sum over the same records (a year's cell is its quarters' cells),
 * and two crossing families of sums are what lets suppressed cells be worked out. The breakdown is by quarter.
 * A report of 200k cells makes no object per cell but its row: the cells are columns of numbers, sorted by
 * jurisdiction, year, quarter and combination in two counting passes, and each year is protected as a SumTable.
 */
export function buildReport(input: ReportInput): ContactReport {
  const { threshold, query } = input;
  if (input.cells !== undefined && input.monthTotals === undefined) throw new Error('cells by quarter come with the months\' totals (monthTotals)');
  // Only the calendar years of the report's periods are protected and shown; counts of other years are checked and
  // name their jurisdiction (it gets zero rows), as every count does, but count toward nothing.
  const years = [...new Set(input.periods.map((p) => Number(p.from.slice(0, 4))))].sort((a, b) => a - b);
  const yearSlot = new Map(years.map((y, i) => [y, i]));
  const names: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (jurisdiction: string) => {
    let id = ids.get(jurisdiction);
    if (id === undefined) {
      ids.set(jurisdiction, (id = names.length));
      names.push(jurisdiction);
    }
    return id;
  };
  for (const j of input.jurisdictions) idOf(j);
  /** Month totals by year slot, then by jurisdiction id. */
  const months = years.map(() => [] as (Float64Array | undefined)[]);
  const monthsOf = (id: number, slot: number) => (months[slot]![id] ??= new Float64Array(12));
  const byQuarter = input.monthTotals !== undefined;
  const month = periodParser(/^\d{4}-(0[1-9]|1[0-2])$/, 'month', (p) => Number(p.slice(5, 7)) - 1);
  for (const m of input.monthTotals ?? []) {
    if (!Number.isSafeInteger(m.count) || m.count < 1) throw new Error(`a month total of ${m.count} for ${m.period}`);
    const p = month(m.period);
    const id = idOf(m.jurisdiction);
    const slot = yearSlot.get(p.year);
    if (slot !== undefined) monthsOf(id, slot)[p.index]! += m.count;
  }
  const combinations = new Combinations();
  const cells: CellColumns = { jurisdiction: [], year: [], quarter: [], combination: [], count: [] };
  const addCell = (id: number, year: number, quarter: number, combination: number, count: number) => {
    const slot = yearSlot.get(year);
    if (slot === undefined) return;
    cells.jurisdiction.push(id);
    cells.year.push(slot);
    cells.quarter.push(quarter);
    cells.combination.push(combination);
    cells.count.push(count);
  };
  const period = byQuarter ? periodParser(/^\d{4}-Q[1-4]$/, 'quarter', (p) => Number(p.slice(6)) - 1) : month;
  const addNamed = (periodName: string, jurisdiction: string, combination: number, count: number) => {
    if (!Number.isSafeInteger(count) || count < 1) throw new Error(`a count of ${count} records`);
    const p = period(periodName);
    const id = idOf(jurisdiction);
    if (!byQuarter) {
      const slot = yearSlot.get(p.year);
      if (slot !== undefined) monthsOf(id, slot)[p.index]! += count;
    }
    addCell(id, p.year, byQuarter ? p.index : Math.floor(p.index / 3), combination, count);
  };
  for (const c of input.counts) addNamed(c.period, c.jurisdiction, combinations.of(c).index, c.count);
  for (const g of input.combinations ?? []) {
    const n = g.counts.length;
    if (g.periods.length !== n || g.jurisdictions.length !== n) throw new Error(`a combination with ${g.periods.length} periods, ${g.jurisdictions.length} jurisdictions and ${n} counts`);
    const combination = combinations.of(g.key).index;
    for (let i = 0; i < n; i++) addNamed(g.periods[i]!, g.jurisdictions[i]!, combination, g.counts[i]!);
  }
  if (input.cells) {
    // A name becomes one of the report's jurisdictions when a cell names it, as with counts by name.
    const named = input.cells.jurisdictions;
    const cellIds = new Int32Array(named.length).fill(-1);
    for (const g of input.cells.combinations) {
      const n = g.counts.length;
      if (g.quarters.length !== n || g.jurisdictions.length !== n) throw new Error(`a combination with ${g.quarters.length} quarters, ${g.jurisdictions.length} jurisdictions and ${n} counts`);
      const combination = combinations.of(g.key).index;
      for (let i = 0; i < n; i++) {
        const count = g.counts[i]!;
        if (!Number.isSafeInteger(count) || count < 1) throw new Error(`a count of ${count} records`);
        const quarter = g.quarters[i]!;
        if (!Number.isInteger(quarter) || quarter < 0 || quarter >= 40000) throw new Error(`a count for quarter number ${quarter}, not year × 4 + quarter − 1 of a year 0000-9999`);
        const place = g.jurisdictions[i]!;
        let id = cellIds[place];
        if (id === undefined) throw new Error(`a count for jurisdiction number ${place}, not one of the ${named.length} named`);
        if (id < 0) id = cellIds[place] = idOf(named[place]!);
        addCell(id, Math.floor(quarter / 4), quarter % 4, combination, count);
      }
    }
  }
  const jurisdictions = [...names].sort();
  rankCombinations(combinations.all);
  // The cells in the order the report shows them: by jurisdiction, year and quarter, then by combination; counting
  // sort by combination, then (stable) by the block of jurisdiction, year and quarter. Equal ones are one cell.
  const place = new Int32Array(names.length);
  jurisdictions.forEach((j, i) => {
    place[ids.get(j)!] = i;
  });
  const Y = years.length;
  const blocks = jurisdictions.length * Y * 4;
  const n = cells.count.length;
  const rank = new Int32Array(n);
  const block = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    rank[i] = combinations.all[cells.combination[i]!]!.rank;
    block[i] = (place[cells.jurisdiction[i]!]! * Y + cells.year[i]!) * 4 + cells.quarter[i]!;
  }
  const byRank = countingSort(rank, combinations.all.length, Int32Array.from({ length: n }, (_, i) => i));
  const order = countingSort(block, blocks, byRank);
  /** The sorted cells, equal ones merged: combination index and count; each block's first cell (and one past the last). */
  const cellCombination = new Int32Array(n);
  const cellCount = new Float64Array(n);
  const blockStarts = new Int32Array(blocks + 1);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (m > 0 && block[order[k - 1]!] === block[i] && rank[order[k - 1]!] === rank[i]) {
      cellCount[m - 1]! += cells.count[i]!;
      continue;
    }
    cellCombination[m] = cells.combination[i]!;
    cellCount[m] = cells.count[i]!;
    blockStarts[block[i]! + 1] = ++m;
  }
  // A block without cells starts where the one before it ended.
  for (let b = 1; b <= blocks; b++) if (blockStarts[b]! < blockStarts[b - 1]!) blockStarts[b] = blockStarts[b - 1]!;
  const zeros = new Float64Array(12);
  const protectedYears = new Array<ProtectedYear | undefined>(jurisdictions.length * Y);
  let scratch: Scratch | undefined;
  const yearOf = (j: number, slot: number): ProtectedYear => {
    const at = j * Y + slot;
    let p = protectedYears[at];
    if (!p) {
      const base = at * 4;
      const first = blockStarts[base]!;
      const quarterStarts = [0, 1, 2, 3, 4].map((q) => blockStarts[base + q]! - first) as unknown as ProtectedYear['quarterStarts'];
      const { table, breakdowns } = yearTable(months[slot]![ids.get(jurisdictions[j]!)!] ?? zeros, cellCount, first, quarterStarts);
      scratch = protectTable(table, threshold, scratch);
      protectedYears[at] = p = { table, breakdowns, first, quarterStarts };
    }
    return p;
  };
  // The rows' canonical JSON (see rowsJson) as pieces joined once: the pieces around a cell's count, jurisdiction and
  // period are kept per combination, so a row adds no new text but its count. The row objects themselves are made
  // when the report's `rows` is first read (the same walk again): computing, signing and publishing the JSON of a
  // report of 200k rows needs only its text, and 200k objects that live as long as the report are most of the
  // garbage collector's work.
  const summary = { threshold, below_threshold: 0, complementary: 0, withheld: 0, withheld_breakdowns: 0 };
  const below = `<${threshold}`;
  const shownCount = (t: SumTable, node: number): ReportCount => {
    switch (t.shown[node]) {
      case BELOW: return below;
      case COMPLEMENTARY: return 'suppressed';
      case WITHHELD: return 'withheld';
      default: return t.values[node]!;
    }
  };
  const jurisdictionJson = jurisdictions.map((j) => JSON.stringify(j));
  let rowCount = 0;
  const walk = (rows: ReportRow[] | undefined): string[] => {
    const texts: string[] = [];
    const count = (t: SumTable, node: number): ReportCount => {
      if (!rows) {
        const s = t.shown[node];
        if (s === BELOW) summary.below_threshold++;
        else if (s === COMPLEMENTARY) summary.complementary++;
        else if (s === WITHHELD) summary.withheld++;
      }
      return shownCount(t, node);
    };
    for (const period of input.periods) {
      const slot = yearSlot.get(Number(period.from.slice(0, 4)))!;
      const month0 = Number(period.from.slice(5, 7)) - 1;
      const periodJson = JSON.stringify(period.id);
      for (let j = 0; j < jurisdictions.length; j++) {
        const jurisdiction = jurisdictions[j]!;
        const p = yearOf(j, slot);
        const t = p.table;
        const node = query.by === 'year' ? 0 : query.by === 'quarter' ? 1 + month0 / 3 : 5 + month0;
        const q = month0 / 3;
        const withheld = query.by === 'quarter' && p.breakdowns[q]! >= 0 && t.withheld[p.breakdowns[q]!] === 1;
        if (withheld && !rows) summary.withheld_breakdowns++;
        const detail: ReportRow['detail'] = t.values[node] === 0 ? 'none' : query.by !== 'quarter' ? 'by_quarter' : withheld ? 'withheld' : 'published';
        const jJson = jurisdictionJson[j]!;
        const totalCount = count(t, node);
        if (!rows) rowCount++;
        // Every row of one shape, its members in one order: a report may have a hundred thousand of them.
        if (rows) rows.push({ kind: 'total', period: period.id, jurisdiction, request: null, basis: null, agent: null, action: null, outcome: null, deviation: null, count: totalCount, detail });
        else texts.push(texts.length ? ',{"action":null,"agent":null,"basis":null,"count":' : '{"action":null,"agent":null,"basis":null,"count":', countJson(totalCount), detailJson[detail], jJson, ',"kind":"total","outcome":null,"period":', periodJson, ',"request":null}');
        if (query.by === 'quarter' && !withheld) {
          for (let k = p.quarterStarts[q]!; k < p.quarterStarts[q + 1]!; k++) {
            const combination = combinations.all[cellCombination[p.first + k]!]!;
            const key = combination.key;
            const c = count(t, 17 + k);
            if (rows) {
              rows.push({ kind: 'cell', period: period.id, jurisdiction, request: key.request, basis: key.basis, agent: key.agent, action: key.action, outcome: key.outcome, deviation: key.deviation, count: c, detail: null });
              continue;
            }
            const [before, toJurisdiction, toPeriod, after] = combination.json ??= cellJson(key);
            texts.push(before, countJson(c), toJurisdiction, jJson, toPeriod, periodJson, after);
            rowCount++;
          }
        }
      }
    }
    return texts;
  };
  const text = `[${walk(undefined).join('')}]`;
  let made: readonly ReportRow[] | undefined;
  const rows = (): readonly ReportRow[] => {
    if (!made) {
      const list: ReportRow[] = [];
      walk(list);
      made = Object.freeze(list);
      writtenRows.set(made, text);
    }
    return made;
  };
  return withRows({
    report: REPORT_FORMAT, query, checkpoint: input.checkpoint, periods: input.periods, jurisdictions,
    suppressed: summary, deleted_by_retention: input.deletedByRetention,
  }, { text, count: rowCount, rows });
}

/** A report's rows not yet made: their canonical JSON, and the function that makes them (once). */
interface PendingRows {
  readonly text: string;
  readonly count: number;
  readonly rows: () => readonly ReportRow[];
}

/** The pending rows of reports whose `rows` is made when first read. */
const pendingRows = new WeakMap<object, PendingRows>();

/**
 * `members` with `rows` after `jurisdictions` (the builder's member order), made by `pending` when first read: the
 * hash, the signature and the JSON read `pending.text` instead (see reportParts and signReport).
 */
function withRows<T extends Omit<ContactReport, 'rows'>>(members: T, pending: PendingRows): T & { readonly rows: readonly ReportRow[] } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(members)) {
    out[k] = v;
    if (k === 'jurisdictions') out.rows = undefined;
  }
  Object.defineProperty(out, 'rows', { get: pending.rows, enumerable: true, configurable: true });
  pendingRows.set(out, pending);
  return out as T & { readonly rows: readonly ReportRow[] };
}

/** How many rows a report has (without making the row objects of a report just built). */
export function reportRowCount(report: ContactReport): number {
  const pending = pendingRows.get(report);
  if (!pending) return report.rows.length;
  return pending.count;
}

/**
 * The order of `from` (indexes of `keys`) sorted stably by key, each key a whole number below `size`: one counting
 * pass, no comparison.
 */
function countingSort(keys: Int32Array, size: number, from: Int32Array): Int32Array {
  const starts = new Int32Array(size + 1);
  for (let k = 0; k < from.length; k++) starts[keys[from[k]!]! + 1]!++;
  for (let b = 0; b < size; b++) starts[b + 1]! += starts[b]!;
  const out = new Int32Array(from.length);
  for (let k = 0; k < from.length; k++) out[starts[keys[from[k]!]!]!++] = from[k]!;
  return out;
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
  // The members are read one by one, so that rows not yet made (see withRows) are not made: their text is known.
  const pending = pendingRows.get(report);
  const keys = Object.keys(report).filter((k) => k !== 'signature');
  if (signature !== undefined) keys.push('signature');
  const value = (k: string): unknown => (k === 'signature' ? signature : (report as unknown as Record<string, unknown>)[k]);
  const parts = ['{'];
  for (const k of keys.sort()) parts.push(parts.length > 1 ? ',' : '', `${JSON.stringify(k)}:`, k === 'rows' ? (pending ? pending.text : rowsJson(value(k))) : canonicalReportJson(value(k)));
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
  const pending = pendingRows.get(report);
  if (pending) {
    // Rows not yet made stay so: the signed report's are the same rows, made once for both when first read.
    const members: Record<string, unknown> = {};
    for (const k of Object.keys(report)) if (k !== 'rows' && k !== 'signature') members[k] = (report as unknown as Record<string, unknown>)[k];
    const body = withRows(members as unknown as Omit<ContactReport, 'rows'>, pending);
    return withRows({ ...(members as unknown as Omit<ContactReport, 'rows'>), signature: signNote(reportNoteText(body)) }, pending);
  }
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
