// The replay's report as JSON and CSV: rows per facility and period with the governing provisions and labels, the
// rule changes per facility, and every name that could not be placed, with the reason.
import type { Outcome } from '../engine/decision.js';
import type { AggregateReplay } from './aggregate.js';
import type { Facility } from './facilities.js';
import type { ReplayFormat } from './inputs.js';
import type { FacilityRules, Label, Replay, ReplayRow, RuleChange } from './replay.js';

/** A facility as the report describes it. */
export interface FacilityJson {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly jurisdiction: string | null;
  readonly agency: string | null;
  readonly operator: string;
  readonly confidence: string;
  readonly sources: readonly string[];
  readonly note?: string;
}

/** A rule change as the report describes it: per request, the outcome before and after and what governs after. */
export interface ChangeJson {
  readonly date: string;
  readonly hold: { before: Outcome; after: Outcome; governing: readonly string[] };
  readonly notify: { before: Outcome; after: Outcome; governing: readonly string[] };
  readonly transfer: { before: Outcome; after: Outcome; governing: readonly string[] };
}

/** A row of the record-layout report. */
export interface RowJson {
  readonly facility: string;
  readonly jurisdiction: string;
  readonly agency: string;
  readonly period: string;
  readonly records: number;
  readonly honored: number;
  readonly declined: number;
  readonly other: number;
  readonly hold_outcome: readonly Outcome[];
  readonly governing: readonly string[];
  readonly transfer_outcome: readonly Outcome[];
  readonly consistent: number;
  readonly diverges: number;
  readonly undetermined: number;
  readonly label: Label;
}

/** The record-layout (npr, ddp) report. */
export interface RecordReport {
  readonly format: 'npr' | 'ddp';
  readonly by: string;
  readonly policy_version: string;
  readonly records: number;
  readonly labels: Readonly<Record<Label, number>>;
  readonly reasons: Readonly<Record<string, number>>;
  readonly facilities: readonly (FacilityJson & { records: number; changes: readonly ChangeJson[] })[];
  readonly rows: readonly RowJson[];
  readonly unplaced: readonly { name: string; city: string; state: string; records: number; reason: string; reason_code: string; reason_params: Readonly<Record<string, string>> }[];
  readonly out_of_scope: readonly (FacilityJson & { records: number })[];
  readonly other_states: Readonly<Record<string, number>>;
  readonly invalid: { count: number; examples: readonly unknown[] };
}

/** The aggregate-layout report. */
export interface AggregateReport {
  readonly format: 'npr-aggregate';
  readonly policy_version: string;
  readonly facilities: readonly (FacilityJson & { changes: readonly ChangeJson[] })[];
  readonly years: AggregateReplay['years'];
  readonly shares: AggregateReplay['shares'];
  readonly unplaced: AggregateReplay['unplaced'];
  readonly out_of_scope: readonly (FacilityJson & { rows: number; declined: number })[];
  readonly other_states: Readonly<Record<string, number>>;
}

/** The replay's result: rows per facility and period, and the records it could not place. */
export type ReplayReport = RecordReport | AggregateReport;

/** The facility's description, without the matching details (aliases, codes). */
export function facilityJson(f: Facility): FacilityJson {
  return {
    id: f.id, name: f.name, kind: f.kind, jurisdiction: f.jurisdiction ?? null, agency: f.agency ?? null,
    operator: f.operator, confidence: f.confidence, sources: f.sources, ...(f.note ? { note: f.note } : {}),
  };
}

/** A change as JSON. */
export function changeJson(c: RuleChange): ChangeJson {
  const part = (r: 'detain_past_release' | 'notify_release' | 'transfer_custody') => ({
    before: c.before.outcomes[r], after: c.after.outcomes[r], governing: c.after.governing[r],
  });
  return { date: c.date, hold: part('detain_past_release'), notify: part('notify_release'), transfer: part('transfer_custody') };
}

/** A row's label: diverges if any record diverges; else consistent if any record is consistent; else undetermined. */
export function rowLabel(row: Pick<ReplayRow, 'consistent' | 'diverges'>): Label {
  return row.diverges ? 'diverges' : row.consistent ? 'consistent' : 'undetermined';
}

function rowJson(rules: FacilityRules, row: ReplayRow): RowJson {
  const periods = rules.periods.filter((_, i) => row.rulePeriods[i] === 1);
  return {
    facility: row.facility, jurisdiction: rules.facility.jurisdiction!, agency: rules.facility.agency!, period: row.period,
    records: row.records, honored: row.honored, declined: row.declined, other: row.other,
    hold_outcome: [...new Set(periods.map((p) => p.outcomes.detain_past_release))],
    governing: [...new Set(periods.flatMap((p) => p.governing.detain_past_release))],
    transfer_outcome: [...new Set(periods.map((p) => p.outcomes.transfer_custody))],
    consistent: row.consistent, diverges: row.diverges, undetermined: row.undetermined, label: rowLabel(row),
  };
}

/** The report of a record-layout replay. */
export function recordReport(replay: Replay, format: 'npr' | 'ddp'): RecordReport {
  const placed = replay.placed();
  return {
    format, by: replay.by, policy_version: replay.engine.policyVersion, records: replay.records,
    labels: { ...replay.labelTotals }, reasons: { ...replay.reasonTotals },
    facilities: placed.map(({ rules, rows }) => ({
      ...facilityJson(rules.facility), records: rows.reduce((n, r) => n + r.records, 0), changes: rules.changes.map(changeJson),
    })),
    rows: placed.flatMap(({ rules, rows }) => rows.map((r) => rowJson(rules, r))),
    unplaced: replay.unplaced().map((u) => ({ name: u.name, city: u.city, state: u.state, records: u.records, reason: u.reason, reason_code: u.code, reason_params: u.params })),
    out_of_scope: replay.outOfScope().map((o) => ({ ...facilityJson(o.facility), records: o.records })),
    other_states: Object.fromEntries([...replay.otherStates].sort((a, b) => b[1] - a[1])),
    invalid: { count: replay.invalidCount, examples: replay.invalidExamples },
  };
}

/** The report of an aggregate-layout replay. */
export function aggregateReport(result: AggregateReplay, policyVersion: string): AggregateReport {
  return {
    format: 'npr-aggregate', policy_version: policyVersion,
    facilities: result.facilities.map(({ facility, rules }) => ({ ...facilityJson(facility), changes: rules.changes.map(changeJson) })),
    years: result.years, shares: result.shares, unplaced: result.unplaced,
    out_of_scope: result.outOfScope.map((o) => ({ ...facilityJson(o.facility), rows: o.rows, declined: o.declined })),
    other_states: Object.fromEntries([...result.otherStates].sort((a, b) => b[1] - a[1])),
  };
}

/** One CSV field (RFC 4180 quoting when needed). */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (fields: readonly unknown[]) => `${fields.map(csvField).join(',')}\n`;

/** The report's rows as CSV: facility-period rows (record layouts) or facility-year rows (aggregate). */
export function reportCsv(report: ReplayReport): string {
  if (report.format === 'npr-aggregate') {
    const byId = new Map(report.facilities.map((f) => [f.id, f]));
    return csvLine(['facility', 'jurisdiction', 'agency', 'year', 'declined', 'other', 'hold_outcome', 'governing', 'declined_label'])
      + report.years.map((y) => csvLine([
        y.facility, byId.get(y.facility)?.jurisdiction, byId.get(y.facility)?.agency, y.year, y.declined, y.other ?? '',
        y.hold_outcomes.join('|'), y.governing.join(' '), y.declined_label,
      ])).join('');
  }
  return csvLine(['facility', 'jurisdiction', 'agency', 'period', 'records', 'honored', 'declined', 'other', 'hold_outcome', 'governing', 'transfer_outcome', 'consistent', 'diverges', 'undetermined', 'label'])
    + report.rows.map((r) => csvLine([
      r.facility, r.jurisdiction, r.agency, r.period, r.records, r.honored, r.declined, r.other, r.hold_outcome.join('|'),
      r.governing.join(' '), r.transfer_outcome.join('|'), r.consistent, r.diverges, r.undetermined, r.label,
    ])).join('');
}

/** What the CLI prints after a CSV report, on standard error: the names that could not be placed. */
export function unplacedSummary(report: ReplayReport): string {
  const list = report.unplaced.map((u) => `unplaced: "${u.name}", ${u.city || '-'}, ${u.state || '-'} (${'records' in u ? u.records : u.rows}): ${u.reason}`);
  return list.length ? `${list.join('\n')}\n` : '';
}

export type { ReplayFormat };
