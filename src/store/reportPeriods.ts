// The calendar grid of public reports: months, quarters and years, named `2026-03`, `2026-Q1`, `2026`. A report's
// range must start and end on the grid, so that two reports never differ by a sliver of days an attacker could subtract.

/** How a report groups time. */
export const periodKinds = ['month', 'quarter', 'year'] as const;
/** How a report groups time. */
export type PeriodKind = (typeof periodKinds)[number];

/** One period of a report: its name and its first and last day (inclusive). */
export interface Period {
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

/** Most periods one report may cover (20 years of months). */
export const MAX_PERIODS = 240;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date YYYY-MM-DD. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const monthsOf: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

function periodAt(year: number, month0: number, by: PeriodKind): Period {
  const span = monthsOf[by];
  const first = Math.floor(month0 / span) * span;
  const last = new Date(Date.UTC(year, first + span, 0));
  const id = by === 'month' ? `${year}-${pad(first + 1)}` : by === 'quarter' ? `${year}-Q${first / 3 + 1}` : String(year);
  return { id, from: `${pad(year, 4)}-${pad(first + 1)}-01`, to: `${pad(year, 4)}-${pad(first + span)}-${pad(last.getUTCDate())}` };
}

/** The period of `by` that holds the day `day` (YYYY-MM-DD). */
export function periodOf(day: string, by: PeriodKind): Period {
  return periodAt(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, by);
}

/** Why a range is not on the grid: which end, what was given, and what would be. */
export interface RangeProblem {
  readonly path: 'from' | 'to';
  readonly given: string;
  readonly allowed: readonly string[];
  readonly message: string;
}

/** The periods from `from` to `to` (both inclusive days), or why the range is not on the grid of `by`. */
export function periodsBetween(from: string, to: string, by: PeriodKind): Period[] | RangeProblem {
  for (const [path, v] of [['from', from], ['to', to]] as const) {
    if (!isDay(v)) return { path, given: v, allowed: ['YYYY-MM-DD'], message: 'not a calendar date' };
  }
  const first = periodOf(from, by);
  const last = periodOf(to, by);
  if (first.from !== from) return { path: 'from', given: from, allowed: [first.from], message: `a ${by}ly report starts on the first day of a ${by}: ${first.from}` };
  if (last.to !== to) return { path: 'to', given: to, allowed: [last.to], message: `a ${by}ly report ends on the last day of a ${by}: ${last.to}` };
  if (to < from) return { path: 'to', given: to, allowed: [`a date on or after ${from}`], message: 'the range ends before it starts' };
  const out: Period[] = [];
  let p = first;
  while (p.from <= to) {
    out.push(p);
    if (out.length > MAX_PERIODS) return { path: 'to', given: to, allowed: [`at most ${MAX_PERIODS} ${by}s after ${from}`], message: 'the range has too many periods for one report' };
    const next = new Date(Date.UTC(Number(p.to.slice(0, 4)), Number(p.to.slice(5, 7)), 1));
    p = periodAt(next.getUTCFullYear(), next.getUTCMonth(), by);
  }
  return out;
}
