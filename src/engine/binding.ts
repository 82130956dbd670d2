// Which instruments bind, on which dates and whom, under a what-if: the in-force intervals and binding flags the
// engine uses, the dates on which they change, and the typed reason a provision does not bind an actor.
import {
  inForceOn, notInForceReason, type Corpus, type Instrument, type Interval, type Provision, jailGovernment, operatorsOrder,
} from '../policy/corpus.js';
import type { Assumptions, NotBindingReason } from './decision.js';

/** A what-if: instruments assumed in force (and binding) on every date, or never in force. */
export interface WhatIf {
  /** Instruments treated as in force (and binding) on every date. */
  readonly assumeInForce?: readonly string[];
  /** Instruments treated as never in force. */
  readonly assumeNotInForce?: readonly string[];
}

/** A what-if naming an instrument the corpus does not have (or naming one both ways). */
export class UnknownInstrumentError extends Error {
  constructor(readonly id: string, readonly option: string) {
    super(`${option}: no instrument "${id}" in the corpus`);
  }
}

/** The first day of the first segment: before any date a scenario can name. */
export const FAR_PAST = '0000-01-01';

/** The corpus's instruments as the what-if sees them. */
export class BindingView {
  /** The what-if as it appears in decisions; undefined when there is none. */
  readonly assumptions: Assumptions | undefined;
  // By instrument object, not id: a corpus walked folder by folder (`check`) lets go of instruments, and the views
  // of those go with them.
  private readonly intervals = new WeakMap<Instrument, readonly Interval[]>();
  private readonly binding = new WeakMap<Instrument, boolean>();
  private readonly assumedIn: ReadonlySet<string>;
  private readonly assumedOut: ReadonlySet<string>;

  constructor(readonly corpus: Corpus, whatIf: WhatIf) {
    const inForce = [...new Set(whatIf.assumeInForce ?? [])].sort();
    const notInForce = [...new Set(whatIf.assumeNotInForce ?? [])].sort();
    for (const id of inForce) if (!corpus.instruments.has(id)) throw new UnknownInstrumentError(id, 'assume-in-force');
    for (const id of notInForce) if (!corpus.instruments.has(id)) throw new UnknownInstrumentError(id, 'assume-not-in-force');
    const both = inForce.filter((id) => notInForce.includes(id));
    if (both.length) throw new UnknownInstrumentError(both[0]!, 'assume-in-force and assume-not-in-force both name it:');
    this.assumptions = inForce.length || notInForce.length ? { in_force: inForce, not_in_force: notInForce } : undefined;
    this.assumedIn = new Set(inForce);
    this.assumedOut = new Set(notInForce);
  }

  // Each instrument's view is made when a question first reaches it, never for the whole corpus up front: a corpus
  // loaded lazily (policy/load.ts) is then read only as far as the questions asked (issue 13 item 10).
  /** The instrument's in-force intervals under the what-if. */
  private intervalsOf(ins: Instrument): readonly Interval[] {
    let intervals = this.intervals.get(ins);
    if (!intervals) {
      intervals = this.assumedIn.has(ins.id) ? [{ from: FAR_PAST, to: null }] : this.assumedOut.has(ins.id) ? [] : ins.inForce;
      this.intervals.set(ins, intervals);
    }
    return intervals;
  }

  /** Whether the instrument can bind at all under the what-if (guidance assumed in force does). */
  private bindingOf(ins: Instrument): boolean {
    let binding = this.binding.get(ins);
    if (binding === undefined) {
      binding = this.assumedIn.has(ins.id) || (ins.binding && !this.assumedOut.has(ins.id));
      this.binding.set(ins, binding);
    }
    return binding;
  }

  /** Is the instrument in force (under the what-if) on the date? */
  inForce(instrumentId: string, date: string): boolean {
    const ins = this.corpus.instruments.get(instrumentId);
    return ins !== undefined && inForceOn(this.intervalsOf(ins), date);
  }

  /**
   * The dates on which what an instrument says (about one request, or any) can change: its events unless the
   * what-if fixes its status, and its provisions' own start and end dates.
   */
  datesOf(ins: Instrument, request?: string): string[] {
    const provisions = request === undefined ? ins.provisions : ins.provisions.filter((p) => p.requests.includes(request));
    if (!provisions.length) return [];
    return [
      ...(this.assumedIn.has(ins.id) || this.assumedOut.has(ins.id) ? [] : ins.events.map((e) => e.date)),
      ...provisions.flatMap((p) => [p.from, p.until].filter((d): d is string => d !== undefined)),
    ];
  }

  /**
   * Undefined when the provision binds this actor on this date; otherwise why not. `issuer` is the jurisdiction
   * whose instrument it is, `actorJurisdiction` the actor's (the issuer or a descendant).
   */
  notBinding(ins: Instrument, p: Provision, issuer: string, actorJurisdiction: string, agency: string, date: string): NotBindingReason | undefined {
    const intervals = this.intervalsOf(ins);
    if (!this.bindingOf(ins) || !inForceOn(intervals, date)) {
      if (this.assumptions?.not_in_force.includes(ins.id)) return { code: 'assumed_not_in_force' };
      if (ins.kind === 'court_decision' && ins.precedent === 'persuasive') return { code: 'persuasive_only' };
      return notInForceReason({ ...ins, inForce: intervals }, date);
    }
    if (p.from && date < p.from) return { code: 'provision_not_yet', from: p.from };
    if (p.until && date >= p.until) return { code: 'provision_ended', until: p.until };
    // Jail staff are bound by the orders of whoever runs the jail (the State for Baltimore City): its own-government
    // orders, and its orders for the jails it runs below it (governments_below: the Governor's for Central Booking).
    const operator = agency === 'corrections' && (ins.reach === 'own_government' || ins.reach === 'governments_below') && operatorsOrder(ins.kind)
      ? jailGovernment(this.corpus.jurisdictions, actorJurisdiction)
      : undefined;
    if (operator !== undefined && issuer !== operator) {
      return { code: 'jail_run_by_other', kind: ins.kind, jurisdiction: issuer, operator };
    }
    if (issuer !== actorJurisdiction && ins.reach === 'own_government' && operator !== issuer) {
      return { code: 'own_government_only', kind: ins.kind, jurisdiction: issuer };
    }
    if (issuer === actorJurisdiction && ins.reach === 'governments_below') {
      return { code: 'governments_below_only', kind: ins.kind, jurisdiction: issuer };
    }
    if (!p.binds.includes(agency)) return { code: 'agency_not_bound', binds: [...p.binds], agency };
    return undefined;
  }
}

/** An instrument whose in-force dates rest on an unconfirmed event is no surer than that event. */
export function unconfirmedDates(ins: Instrument): boolean {
  return ins.events.some((e) => e.confidence === 'unconfirmed' && e.type !== 'introduced' && e.type !== 'passed');
}
