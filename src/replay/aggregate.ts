// The replay of NPR's facility-year aggregate: each year's declines and other outcomes set against the hold rules in
// force that year, and each facility's declined share before, during and after every change of its rules.
import type { Outcome } from '../engine/decision.js';
import type { AggregateRow } from './inputs.js';
import type { Facility, FacilityTable, UnplacedCode } from './facilities.js';
import type { FacilityRules, Label, Replay, RulePeriod } from './replay.js';

/** One facility-year: NPR's published counts, unchanged, and what the rules said about a hold that year. */
export interface AggregateYear {
  readonly facility: string;
  readonly year: string;
  readonly declined: number;
  /** Null where NPR's file has no count (no other lift reason joined for that facility and year). */
  readonly other: number | null;
  /** The hold outcomes in force during the year, in date order (more than one when the rules changed that year). */
  readonly hold_outcomes: readonly Outcome[];
  readonly governing: readonly string[];
  /** The label of the year's declines: consistent unless a hold was required; undetermined if the rules changed mid-year. */
  readonly declined_label: Label;
  readonly line: number;
}

/** A facility's declined share (declined ÷ declined + other) in the years before, of, and after one rule change. */
export interface ShareAroundChange {
  readonly facility: string;
  readonly date: string;
  readonly hold_before: Outcome;
  readonly hold_after: Outcome;
  readonly governing_after: readonly string[];
  readonly before: Share | null;
  readonly change_year: Share | null;
  readonly after: Share | null;
}

/** Declined detainers against all others over some years, and the declined share. */
export interface Share {
  readonly years: readonly string[];
  readonly declined: number;
  readonly other: number;
  /** declined ÷ (declined + other), rounded to 4 places; null when there is nothing to divide. */
  readonly share: number | null;
}

/** The aggregate's replay: rows for the placed facilities, shares around each change, and what was not placed. */
export interface AggregateReplay {
  readonly years: AggregateYear[];
  readonly shares: ShareAroundChange[];
  readonly facilities: { facility: Facility; rules: FacilityRules }[];
  readonly unplaced: { name: string; city: string; state: string; reason: string; code: UnplacedCode; params: Readonly<Record<string, string>>; rows: number; declined: number }[];
  readonly outOfScope: { facility: Facility; rows: number; declined: number }[];
  readonly otherStates: Map<string, number>;
}

function periodsDuring(rules: FacilityRules, year: string): RulePeriod[] {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  return rules.periods.filter((p) => (p.from ?? '0000-01-01') <= last && (p.to ?? '9999-12-31') >= first);
}

function share(rows: readonly AggregateYear[]): Share | null {
  if (!rows.length) return null;
  const declined = rows.reduce((n, r) => n + r.declined, 0);
  const other = rows.reduce((n, r) => n + (r.other ?? 0), 0);
  return { years: rows.map((r) => r.year), declined, other, share: declined + other ? Math.round((declined / (declined + other)) * 10_000) / 10_000 : null };
}

/** Replays the aggregate rows, using the replay's engine and facility table (and its cache of facility rules). */
export function replayAggregate(rows: readonly AggregateRow[], replay: Replay, table: FacilityTable = replay.table): AggregateReplay {
  const years: AggregateYear[] = [];
  const seen = new Map<string, { facility: Facility; rules: FacilityRules }>();
  const unplaced = new Map<string, AggregateReplay['unplaced'][number]>();
  const outOfScope = new Map<string, AggregateReplay['outOfScope'][number]>();
  const otherStates = new Map<string, number>();
  for (const row of rows) {
    const placement = table.place(row.facility, row.city, row.state);
    if (placement.kind === 'other_state') {
      otherStates.set(placement.state, (otherStates.get(placement.state) ?? 0) + 1);
      continue;
    }
    if (placement.kind === 'unplaced') {
      const key = `${row.facility}|${row.city}|${row.state}`;
      const e = unplaced.get(key) ?? { name: row.facility, city: row.city, state: row.state, reason: placement.reason, code: placement.code, params: placement.params, rows: 0, declined: 0 };
      e.rows++;
      e.declined += row.declined;
      unplaced.set(key, e);
      continue;
    }
    const facility = placement.facility;
    if (!facility.inScope) {
      const e = outOfScope.get(facility.id) ?? { facility, rows: 0, declined: 0 };
      e.rows++;
      e.declined += row.declined;
      outOfScope.set(facility.id, e);
      continue;
    }
    const rules = replay.rulesOf(facility);
    seen.set(facility.id, { facility, rules });
    const during = periodsDuring(rules, row.year);
    const hold = [...new Set(during.map((p) => p.outcomes.detain_past_release))];
    const governing = [...new Set(during.flatMap((p) => p.governing.detain_past_release))];
    const declinedLabel: Label = hold.length !== 1 || hold[0] === 'conflict' || hold[0] === 'depends'
      ? 'undetermined'
      : hold[0] === 'required' ? 'diverges' : 'consistent';
    years.push({ facility: facility.id, year: row.year, declined: row.declined, other: row.other, hold_outcomes: hold, governing, declined_label: declinedLabel, line: row.line });
  }
  years.sort((a, b) => (a.facility === b.facility ? (a.year < b.year ? -1 : 1) : a.facility < b.facility ? -1 : 1));
  const shares: ShareAroundChange[] = [];
  for (const { facility, rules } of seen.values()) {
    const mine = years.filter((y) => y.facility === facility.id);
    for (const change of rules.changes) {
      if (change.before.outcomes.detain_past_release === change.after.outcomes.detain_past_release
        && change.before.governing.detain_past_release.join() === change.after.governing.detain_past_release.join()) continue;
      const year = change.date.slice(0, 4);
      // Changes outside the years the file covers have nothing to compare.
      if (!mine.some((y) => y.year <= year) || !mine.some((y) => y.year >= year)) continue;
      shares.push({
        facility: facility.id, date: change.date,
        hold_before: change.before.outcomes.detain_past_release, hold_after: change.after.outcomes.detain_past_release,
        governing_after: change.after.governing.detain_past_release,
        before: share(mine.filter((y) => y.year < year)),
        change_year: share(mine.filter((y) => y.year === year)),
        after: share(mine.filter((y) => y.year > year)),
      });
    }
  }
  return {
    years, shares, facilities: [...seen.values()], unplaced: [...unplaced.values()], outOfScope: [...outOfScope.values()], otherStates,
  };
}
