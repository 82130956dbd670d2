// The replay: each ICE detainer record set against the rules in force, that day, for the government running the
// facility that received it, labelled consistent, diverges or undetermined, and counted per facility and period.
import type { Engine } from '../engine/engine.js';
import { jurisdictionChain } from '../policy/corpus.js';
import type { Outcome } from '../engine/decision.js';
import type { Scenario, ScenarioJson } from '../vocabulary/scenario.js';
import { detainerRequests, isoDay, type DetainerCodes, type DetainerRequest, type LiftClass } from './codes.js';
import type { Facility, FacilityTable, UnplacedCode } from './facilities.js';

/** How a record's conduct compares with the rules (docs/replay.md, "Labels"). */
export type Label = 'consistent' | 'diverges' | 'undetermined';
/** Every label the replay gives a record, in report order. */
export const labels: readonly Label[] = ['consistent', 'diverges', 'undetermined'];

/** Why a record got its label: a typed code, worded by the catalogs. */
export type LabelReason =
  | 'declined_where_required' | 'declined_allowed' | 'custody_where_transfer_prohibited' | 'custody_not_proof_of_hold'
  | 'custody_allowed' | 'outcome_unknown' | 'form_unknown' | 'rules_unsettled';

/** The period rows are grouped by. */
export type Granularity = 'month' | 'quarter' | 'year';

/** The facts every replayed scenario shares besides date, actor and request (contract section 1). */
export const DETAINER_FACTS = Object.freeze({
  basis: 'ice_detainer', matter: 'civil_immigration', subject: 'detainee', setting: 'custody',
  purpose: 'immigration_enforcement', place: 'jail',
});

/** What the rules said about each detainer request, from one date until the next change for this facility. */
export interface RulePeriod {
  /** First day; null for "since the beginning of the corpus". */
  readonly from: string | null;
  /** Last day, or null while still in force. */
  readonly to: string | null;
  readonly outcomes: Readonly<Record<DetainerRequest, Outcome>>;
  /** The governing provisions per request, as `instrument#provision`. */
  readonly governing: Readonly<Record<DetainerRequest, readonly string[]>>;
}

/** A change of the rules for one facility: the day a new rule period starts. */
export interface RuleChange {
  readonly date: string;
  readonly before: RulePeriod;
  readonly after: RulePeriod;
}

/** The rules over time for one facility's actor. */
export interface FacilityRules {
  readonly facility: Facility;
  readonly periods: readonly RulePeriod[];
  readonly changes: readonly RuleChange[];
}

const FAR_PAST = '0000-01-01';

/** Cuts a facility's timeline into periods on which every detainer request's outcome and governing provisions agree. */
export function facilityRules(engine: Engine, facility: Facility): FacilityRules {
  const jurisdiction = facility.jurisdiction!;
  const agency = facility.agency!;
  const starts = candidateDates(engine, jurisdiction, agency);
  const periods: RulePeriod[] = [];
  let previousKey = '';
  for (let i = 0; i < starts.length; i++) {
    const date = starts[i]!;
    const outcomes = {} as Record<DetainerRequest, Outcome>;
    const governing = {} as Record<DetainerRequest, readonly string[]>;
    for (const request of detainerRequests) {
      const json: ScenarioJson = { date, actor: { jurisdiction, agency }, request, ...DETAINER_FACTS };
      const decision = engine.rulingScenario(engine.codec.fromTrusted(json));
      outcomes[request] = decision.outcome;
      governing[request] = decision.governing.map((g) => `${g.instrument}#${g.provision}`);
    }
    const key = JSON.stringify([outcomes, governing]);
    if (key === previousKey) continue;
    previousKey = key;
    if (periods.length) {
      const last = periods[periods.length - 1]!;
      periods[periods.length - 1] = { ...last, to: previousDay(date) };
    }
    periods.push({ from: date === FAR_PAST ? null : date, to: null, outcomes, governing });
  }
  const changes = periods.slice(1).map((after, i) => ({ date: after.from!, before: periods[i]!, after }));
  return { facility, periods, changes };
}

/**
 * The days on which a detainer request's answer could change for an actor of this jurisdiction: the event dates of
 * every instrument of its chain that speaks to one, and its provisions' own windows (the engine cuts its segments on
 * the same dates, so the answer is constant between two of them).
 */
function candidateDates(engine: Engine, jurisdiction: string, agency: string): string[] {
  const chain = new Set(jurisdictionChain(jurisdiction));
  const requests: readonly string[] = detainerRequests;
  const dates = new Set<string>([FAR_PAST]);
  for (const ins of engine.corpus.instruments.values()) {
    if (!chain.has(ins.jurisdiction)) continue;
    // A provision that does not bind the agency cannot govern for this actor, so its dates cannot change the answer.
    const provisions = ins.provisions.filter((p) => p.binds.includes(agency) && p.requests.some((r) => requests.includes(r)));
    if (!provisions.length) continue;
    for (const e of ins.events) dates.add(e.date);
    for (const p of provisions) {
      if (p.from) dates.add(p.from);
      if (p.until) dates.add(p.until);
    }
  }
  return [...dates].sort();
}

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** A label and its reason. */
export interface Verdict {
  readonly label: Label;
  readonly reason: LabelReason;
  /** Its position in VERDICT_LIST, for counting without a map. */
  readonly index: number;
}

/** One frozen verdict per reason: the hot path hands these out instead of allocating one per record. */
const VERDICTS: Readonly<Record<LabelReason, Verdict>> = Object.freeze({
  declined_where_required: Object.freeze({ label: 'diverges', reason: 'declined_where_required', index: 0 }),
  declined_allowed: Object.freeze({ label: 'consistent', reason: 'declined_allowed', index: 1 }),
  custody_where_transfer_prohibited: Object.freeze({ label: 'diverges', reason: 'custody_where_transfer_prohibited', index: 2 }),
  custody_not_proof_of_hold: Object.freeze({ label: 'undetermined', reason: 'custody_not_proof_of_hold', index: 3 }),
  custody_allowed: Object.freeze({ label: 'consistent', reason: 'custody_allowed', index: 4 }),
  outcome_unknown: Object.freeze({ label: 'undetermined', reason: 'outcome_unknown', index: 5 }),
  form_unknown: Object.freeze({ label: 'undetermined', reason: 'form_unknown', index: 6 }),
  rules_unsettled: Object.freeze({ label: 'undetermined', reason: 'rules_unsettled', index: 7 }),
} satisfies Record<LabelReason, Verdict>);
const VERDICT_LIST: readonly Verdict[] = Object.values(VERDICTS).sort((a, b) => a.index - b.index);

/**
 * The label of one record (docs/replay.md, "Labels"), from what the facility did, the request its form made, and the
 * outcomes the rules gave that day: `asked` for the form's request, `transfer` for handing the person over (needed
 * only when ICE took custody).
 */
export function labelFrom(
  lift: LiftClass, request: DetainerRequest | null, asked: Outcome | null, transfer: Outcome | null,
): Verdict {
  if (lift === 'other') return VERDICTS.outcome_unknown;
  if (request === null || asked === null) return VERDICTS.form_unknown;
  if (lift === 'declined') {
    if (asked === 'required') return VERDICTS.declined_where_required;
    if (asked === 'conflict' || asked === 'depends') return VERDICTS.rules_unsettled;
    return VERDICTS.declined_allowed;
  }
  if (transfer === 'prohibited') return VERDICTS.custody_where_transfer_prohibited;
  if (transfer === 'conflict' || transfer === 'depends' || transfer === null) return VERDICTS.rules_unsettled;
  if (request === 'detain_past_release' && asked === 'prohibited') return VERDICTS.custody_not_proof_of_hold;
  if (asked === 'conflict' || asked === 'depends') return VERDICTS.rules_unsettled;
  return VERDICTS.custody_allowed;
}

/** The label of a record from a rule period's outcomes (the same rules as labelFrom). */
export function labelOf(period: RulePeriod, request: DetainerRequest | null, lift: LiftClass): Verdict {
  return labelFrom(lift, request, request === null ? null : period.outcomes[request], period.outcomes.transfer_custody);
}

/** The period a day falls in. */
export function periodOf(day: string, by: Granularity): string {
  if (by === 'month') return day.slice(0, 7);
  if (by === 'year') return day.slice(0, 4);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** One facility and period of the report. */
export interface ReplayRow {
  readonly facility: string;
  readonly period: string;
  records: number;
  /** ICE took custody ("Booked into Detention"). */
  honored: number;
  declined: number;
  other: number;
  consistent: number;
  diverges: number;
  undetermined: number;
  /** Per rule period of the facility (by index), 1 if a record of this row fell in it. */
  readonly rulePeriods: Uint8Array;
}

/** A facility name the table could not place, with how many records named it. */
export interface UnplacedName {
  readonly name: string;
  readonly city: string;
  readonly state: string;
  readonly reason: string;
  readonly code: UnplacedCode;
  readonly params: Readonly<Record<string, string>>;
  records: number;
}

/** A scenario whose date is set per record: the engine's internal form, decided by `engine.outcome` (the fast path). */
type MutableScenario = { -readonly [K in keyof Scenario]: Scenario[K] };

interface FacilityState {
  readonly rules: FacilityRules;
  readonly froms: readonly string[];
  /** Rows by a numeric period key (year × 100 + month, year × 10 + quarter, or year): no string per record. */
  readonly rows: Map<number, ReplayRow>;
  /** The facility's scenario per detainer request, reused for every record with the record's date. */
  readonly scenarios: Readonly<Record<DetainerRequest, MutableScenario>>;
}

type CachedPlacement =
  | { readonly kind: 'placed'; readonly state: FacilityState }
  | { readonly kind: 'out_of_scope'; readonly facility: Facility; records: number }
  | { readonly kind: 'unplaced'; readonly entry: UnplacedName }
  | { readonly kind: 'other_state'; readonly state: string };

/** A record that could not be read (bad date), kept as an example. */
export interface InvalidRecord {
  readonly line: number;
  readonly error: { readonly path: string; readonly given: string; readonly message: string };
}

/**
 * Accumulates records. Memory grows with facilities × periods and with distinct facility names, not with records:
 * each record updates one row's counters.
 */
export class Replay {
  records = 0;
  /** Records per verdict, by Verdict.index. */
  private readonly verdictCounts = new Float64Array(VERDICT_LIST.length);
  readonly otherStates = new Map<string, number>();
  invalidCount = 0;
  readonly invalidExamples: InvalidRecord[] = [];
  private readonly placements = new Map<string, Map<string, Map<string, Map<string, CachedPlacement>>>>();
  private readonly placementList: CachedPlacement[] = [];
  private readonly facilities = new Map<string, FacilityState>();
  /** Rule periods by actor: facilities run by the same government and agency (the State's prisons) share them. */
  private readonly rulesByActor = new Map<string, FacilityRules>();
  private readonly days = new Map<string, string | null>();
  private readonly dayText = new Map<number, string>();
  private dayString = '';
  /** Called with each record's outcome, when set (per-record output and tests); the facility id is null when unplaced. */
  observer: ((line: number, facility: string | null, label: Label | 'not_labelled', reason: LabelReason | 'unplaced' | 'out_of_scope' | 'other_state' | 'invalid_date') => void) | undefined;

  constructor(
    readonly engine: Engine, readonly table: FacilityTable, readonly codes: DetainerCodes, readonly by: Granularity = 'month',
  ) {}

  /** The rules over time for a facility of the table (computed once). */
  rulesOf(facility: Facility): FacilityRules {
    return this.stateOf(facility).rules;
  }

  private stateOf(facility: Facility): FacilityState {
    let state = this.facilities.get(facility.id);
    if (!state) {
      const actor = `${facility.jurisdiction}|${facility.agency}`;
      let shared = this.rulesByActor.get(actor);
      if (!shared) {
        shared = facilityRules(this.engine, facility);
        this.rulesByActor.set(actor, shared);
      }
      const rules: FacilityRules = shared.facility === facility ? shared : { ...shared, facility };
      const scenario = (request: DetainerRequest): MutableScenario => ({
        ...this.engine.codec.fromTrusted({ date: FAR_PAST, actor: { jurisdiction: facility.jurisdiction!, agency: facility.agency! }, request, ...DETAINER_FACTS }),
      });
      const scenarios = { detain_past_release: scenario('detain_past_release'), notify_release: scenario('notify_release'), transfer_custody: scenario('transfer_custody') };
      state = { rules, froms: rules.periods.map((p) => p.from ?? FAR_PAST), rows: new Map(), scenarios };
      this.facilities.set(facility.id, state);
    }
    return state;
  }

  private placement(name: string, city: string, state: string, code: string): CachedPlacement {
    // Nested maps, one level per field: no key string is built per record (uDSV gives fresh strings each row).
    let byCity = this.placements.get(name);
    if (!byCity) this.placements.set(name, (byCity = new Map()));
    let byState = byCity.get(city);
    if (!byState) byCity.set(city, (byState = new Map()));
    let byCode = byState.get(state);
    if (!byCode) byState.set(state, (byCode = new Map()));
    let cached = byCode.get(code);
    if (!cached) {
      const p = this.table.place(name, city, state, code);
      if (p.kind === 'placed') {
        cached = p.facility.inScope ? { kind: 'placed', state: this.stateOf(p.facility) } : { kind: 'out_of_scope', facility: p.facility, records: 0 };
      } else if (p.kind === 'unplaced') {
        cached = { kind: 'unplaced', entry: { name, city, state, reason: p.reason, code: p.code, params: p.params, records: 0 } };
      } else {
        cached = { kind: 'other_state', state: p.state };
      }
      byCode.set(code, cached);
      this.placementList.push(cached);
    }
    return cached;
  }

  /** The record's day as a number, YYYYMMDD, or -1; its text is left in `dayString` (one string per distinct day). */
  private dayKey(raw: string): number {
    // ISO dates and date-times are by far the most common: read the digits without building a string.
    if (raw.length >= 10 && raw.charCodeAt(4) === 45 && raw.charCodeAt(7) === 45 && (raw.length === 10 || raw.charCodeAt(10) === 32 || raw.charCodeAt(10) === 84)
      && digit(raw, 0) && digit(raw, 1) && digit(raw, 2) && digit(raw, 3) && digit(raw, 5) && digit(raw, 6) && digit(raw, 8) && digit(raw, 9)) {
      const m = raw.charCodeAt(5) * 10 + raw.charCodeAt(6) - 528;
      const d = raw.charCodeAt(8) * 10 + raw.charCodeAt(9) - 528;
      // Days 29-31 need the calendar (2019-02-30 is not a date): those take the slow path.
      if (m >= 1 && m <= 12 && d >= 1 && d <= 28) {
        const k = ((((raw.charCodeAt(0) * 10 + raw.charCodeAt(1)) * 10 + raw.charCodeAt(2)) * 10 + raw.charCodeAt(3) - 53_328) * 100 + m) * 100 + d;
        let text = this.dayText.get(k);
        if (text === undefined) this.dayText.set(k, (text = raw.slice(0, 10)));
        this.dayString = text;
        return k;
      }
    }
    let day = this.days.get(raw);
    if (day === undefined) {
      day = isoDay(raw);
      if (this.days.size < 100_000) this.days.set(raw, day);
    }
    if (day === null) return -1;
    this.dayString = day;
    return Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));
  }

  /** Adds one detainer record (fields as read from the file; `line` for error reports). */
  add(rawDate: string, lift: string, name: string, city: string, state: string, type: string, code: string, line: number): void {
    this.records++;
    const placement = this.placement(name, city, state, code);
    if (placement.kind !== 'placed') {
      if (placement.kind === 'unplaced') placement.entry.records++;
      else if (placement.kind === 'out_of_scope') placement.records++;
      else this.otherStates.set(placement.state, (this.otherStates.get(placement.state) ?? 0) + 1);
      this.observer?.(line, placement.kind === 'out_of_scope' ? placement.facility.id : null, 'not_labelled', placement.kind);
      return;
    }
    const dayKey = this.dayKey(rawDate);
    if (dayKey < 0) {
      this.invalidCount++;
      if (this.invalidExamples.length < 20) {
        this.invalidExamples.push({ line, error: { path: 'prepare_date', given: rawDate, message: 'not a date (YYYY-MM-DD, M/D/YY, M/D/YYYY or an Excel day number)' } });
      }
      this.observer?.(line, placement.state.rules.facility.id, 'not_labelled', 'invalid_date');
      return;
    }
    const day = this.dayString;
    const fs = placement.state;
    const froms = fs.froms;
    let p = froms.length - 1;
    if (p > 0 && day < froms[p]!) {
      let lo = 0;
      let hi = p;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (froms[mid]! <= day) lo = mid;
        else hi = mid - 1;
      }
      p = lo;
    }
    const year = Math.floor(dayKey / 10_000);
    const month = Math.floor(dayKey / 100) % 100;
    const periodKey = this.by === 'month' ? year * 100 + month : this.by === 'quarter' ? year * 10 + Math.floor((month - 1) / 3) + 1 : year;
    let row = fs.rows.get(periodKey);
    if (!row) {
      row = {
        facility: fs.rules.facility.id, period: periodOf(day, this.by), records: 0, honored: 0, declined: 0, other: 0,
        consistent: 0, diverges: 0, undetermined: 0, rulePeriods: new Uint8Array(froms.length),
      };
      fs.rows.set(periodKey, row);
    }
    const liftClass = this.codes.liftClass(lift);
    const request = this.codes.formRequest(type);
    // The record's scenario, decided by the engine's fast path: the form's request, and handing over when ICE took
    // custody. (The rule periods give the same outcomes; they carry the governing provisions for the rows.)
    let asked: Outcome | null = null;
    let transfer: Outcome | null = null;
    if (liftClass !== 'other' && request !== null) {
      const scenario = fs.scenarios[request];
      scenario.date = day;
      asked = this.engine.outcome(scenario);
      if (liftClass === 'custody') {
        if (request === 'transfer_custody') {
          transfer = asked;
        } else {
          const handover = fs.scenarios.transfer_custody;
          handover.date = day;
          transfer = this.engine.outcome(handover);
        }
      }
    }
    const verdict = labelFrom(liftClass, request, asked, transfer);
    row.records++;
    if (liftClass === 'declined') row.declined++;
    else if (liftClass === 'custody') row.honored++;
    else row.other++;
    if (verdict.label === 'consistent') row.consistent++;
    else if (verdict.label === 'diverges') row.diverges++;
    else row.undetermined++;
    row.rulePeriods[p] = 1;
    this.verdictCounts[verdict.index]!++;
    this.observer?.(line, fs.rules.facility.id, verdict.label, verdict.reason);
  }

  /** Records per label. */
  get labelTotals(): Record<Label, number> {
    const totals: Record<Label, number> = { consistent: 0, diverges: 0, undetermined: 0 };
    VERDICT_LIST.forEach((v, i) => {
      totals[v.label] += this.verdictCounts[i]!;
    });
    return totals;
  }

  /** Records per reason. */
  get reasonTotals(): Partial<Record<LabelReason, number>> {
    return Object.fromEntries(VERDICT_LIST.flatMap((v, i) => (this.verdictCounts[i] ? [[v.reason, this.verdictCounts[i]!]] : [])));
  }

  /** Every placed facility seen, in table order, with its rules and rows (sorted by period). */
  placed(): { rules: FacilityRules; rows: ReplayRow[] }[] {
    return this.table.facilities
      .map((f) => this.facilities.get(f.id))
      .filter((s): s is FacilityState => s !== undefined && s.rows.size > 0)
      .map((s) => ({ rules: s.rules, rows: [...s.rows.values()].sort((a, b) => (a.period < b.period ? -1 : 1)) }));
  }

  /** Names the table could not place, most records first. */
  unplaced(): UnplacedName[] {
    return this.placementList
      .flatMap((p) => (p.kind === 'unplaced' ? [p.entry] : []))
      .sort((a, b) => b.records - a.records || a.name.localeCompare(b.name));
  }

  /** Out-of-scope (federal, private) facilities seen, with record counts. */
  outOfScope(): { facility: Facility; records: number }[] {
    const byId = new Map<string, { facility: Facility; records: number }>();
    for (const p of this.placementList) {
      if (p.kind !== 'out_of_scope') continue;
      const e = byId.get(p.facility.id) ?? { facility: p.facility, records: 0 };
      e.records += p.records;
      byId.set(p.facility.id, e);
    }
    return [...byId.values()];
  }
}
