// `trustrules timeline`: the dates on which any outcome changed for a jurisdiction's actors, and what changed.
import type { Engine } from '../engine/engine.js';
import { diffRows, DiffSummarizer, type DiffGroup } from './diff.js';
import { requestsOf, type Selection, type Side } from './space.js';

/** An instrument (or one of its provisions) coming into or going out of force on a timeline date. */
export interface InstrumentChange {
  readonly instrument: string;
  readonly provision?: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly change: 'in_force' | 'no_longer_in_force';
}

/** A date on which some outcome changed: what came into or out of force, and the scenarios that changed. */
export interface TimelineEntry {
  readonly date: string;
  /** Instruments (and provisions with their own dates) that came into or went out of force that day. */
  readonly instruments: readonly InstrumentChange[];
  /** Concrete scenarios whose outcome changed. */
  readonly scenarios: number;
  readonly rows: number;
  readonly summary: readonly DiffGroup[];
}

/** The calendar day before a date (YYYY-MM-DD). */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The engine's dates (ascending, in (from, to]) on which what can bind the jurisdiction's actors about the selected
 * requests changes: the starts of its dated segments. No outcome changes on any other date.
 */
export function candidateDates(engine: Engine, jurisdiction: string, from?: string, to?: string, sel: Selection = {}): string[] {
  const dates = new Set<string>();
  for (const request of requestsOf(engine.vocabulary, sel)) for (const d of engine.segmentDates(jurisdiction, request)) dates.add(d);
  return [...dates].filter((d) => (!from || d > from) && (!to || d <= to)).sort();
}

/** The provisions binding some actor of the jurisdiction, about some request, on a date (as the engine binds them). */
function bindingOn(engine: Engine, jurisdiction: string, date: string): Set<string> {
  const refs = new Set<string>();
  for (const agency of engine.vocabulary.agencyIds) {
    for (const request of engine.vocabulary.requestIds) {
      for (const p of engine.bindingProvisions(jurisdiction, agency, request, date)) refs.add(p.ref);
    }
  }
  return refs;
}

/**
 * What started or stopped binding the jurisdiction's actors between the day before `date` and `date`: a whole
 * instrument when it came into or went out of force, else its provisions one by one (a provision with its own dates).
 */
export function changesOn(engine: Engine, jurisdiction: string, date: string): InstrumentChange[] {
  const before = bindingOn(engine, jurisdiction, dayBefore(date));
  const after = bindingOn(engine, jurisdiction, date);
  const out: InstrumentChange[] = [];
  for (const ins of [...engine.corpus.instruments.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const gained = ins.provisions.filter((p) => after.has(p.ref) && !before.has(p.ref));
    const lost = ins.provisions.filter((p) => before.has(p.ref) && !after.has(p.ref));
    if (!gained.length && !lost.length) continue;
    const base = { instrument: ins.id, title: ins.title, jurisdiction: ins.jurisdiction };
    const is = engine.inForce(ins.id, date);
    if (engine.inForce(ins.id, dayBefore(date)) !== is) {
      out.push({ ...base, change: is ? 'in_force' : 'no_longer_in_force' });
      continue;
    }
    for (const p of gained) out.push({ ...base, provision: p.id, change: 'in_force' });
    for (const p of lost) out.push({ ...base, provision: p.id, change: 'no_longer_in_force' });
  }
  return out;
}

/**
 * For each candidate date in (from, to], the outcomes on the day before against that day; dates where nothing any
 * actor of the jurisdiction may do changed are left out.
 */
export function* timeline(engine: Engine, jurisdiction: string, opts: Selection & { from?: string | undefined; to?: string | undefined } = {}): Generator<TimelineEntry> {
  for (const date of candidateDates(engine, jurisdiction, opts.from, opts.to, opts)) {
    const before: Side = { engine, jurisdiction, date: dayBefore(date), name: { dated: true } };
    const after: Side = { engine, jurisdiction, date, name: { dated: true } };
    const summary = new DiffSummarizer();
    for (const r of diffRows(before, after, opts)) summary.add(r);
    if (!summary.rows) continue;
    yield { date, instruments: changesOn(engine, jurisdiction, date), scenarios: summary.total, rows: summary.rows, summary: summary.groups(engine.vocabulary) };
  }
}

