// `trustrules timeline`: the dates on which any outcome changed for a jurisdiction's actors, and what changed.
import type { Engine } from '../engine/engine.js';
import { jurisdictionChain } from '../policy/corpus.js';
import { diffRows, DiffSummarizer, type DiffGroup } from './diff.js';
import type { Selection, Side } from './space.js';

export interface InstrumentChange {
  readonly instrument: string;
  readonly provision?: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly change: 'in_force' | 'no_longer_in_force';
}

export interface TimelineEntry {
  readonly date: string;
  /** Instruments (and provisions with their own dates) that came into or went out of force that day. */
  readonly instruments: readonly InstrumentChange[];
  /** Concrete scenarios whose outcome changed. */
  readonly scenarios: number;
  readonly rows: number;
  readonly summary: readonly DiffGroup[];
}

export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Dates (ascending) on which an instrument binding the jurisdiction's actors, or one of its provisions, changes. */
export function candidateDates(engine: Engine, jurisdiction: string, from?: string, to?: string): string[] {
  const chain = new Set(jurisdictionChain(jurisdiction));
  const dates = new Set<string>();
  for (const ins of engine.corpus.instruments.values()) {
    if (!chain.has(ins.jurisdiction)) continue;
    for (const e of ins.events) dates.add(e.date);
    for (const p of ins.provisions) {
      if (p.from) dates.add(p.from);
      if (p.until) dates.add(p.until);
    }
  }
  const boundaries = new Set(engine.boundaries);
  return [...dates].filter((d) => boundaries.has(d) && (!from || d > from) && (!to || d <= to)).sort();
}

/** What came into or went out of force in the jurisdiction's chain between the day before `date` and `date`. */
export function changesOn(engine: Engine, jurisdiction: string, date: string): InstrumentChange[] {
  const chain = new Set(jurisdictionChain(jurisdiction));
  const before = dayBefore(date);
  const out: InstrumentChange[] = [];
  for (const ins of [...engine.corpus.instruments.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (!chain.has(ins.jurisdiction)) continue;
    const was = engine.inForce(ins.id, before), is = engine.inForce(ins.id, date);
    if (was !== is) {
      out.push({ instrument: ins.id, title: ins.title, jurisdiction: ins.jurisdiction, change: is ? 'in_force' : 'no_longer_in_force' });
      continue;
    }
    if (!is) continue;
    for (const p of ins.provisions) {
      if (p.from === date) out.push({ instrument: ins.id, provision: p.id, title: ins.title, jurisdiction: ins.jurisdiction, change: 'in_force' });
      if (p.until === date) out.push({ instrument: ins.id, provision: p.id, title: ins.title, jurisdiction: ins.jurisdiction, change: 'no_longer_in_force' });
    }
  }
  return out;
}

/**
 * For each candidate date in (from, to], the outcomes on the day before against that day; dates where nothing any
 * actor of the jurisdiction may do changed are left out.
 */
export function* timeline(engine: Engine, jurisdiction: string, opts: Selection & { from?: string | undefined; to?: string | undefined } = {}): Generator<TimelineEntry> {
  for (const date of candidateDates(engine, jurisdiction, opts.from, opts.to)) {
    const before: Side = { engine, jurisdiction, date: dayBefore(date), name: { dated: true } };
    const after: Side = { engine, jurisdiction, date, name: { dated: true } };
    const summary = new DiffSummarizer();
    for (const r of diffRows(before, after, opts)) summary.add(r);
    if (!summary.rows) continue;
    yield { date, instruments: changesOn(engine, jurisdiction, date), scenarios: summary.total, rows: summary.rows, summary: summary.groups(engine.vocabulary) };
  }
}

