// The loaded policy corpus: jurisdictions, instruments and provisions, with in-force intervals derived from events.
import type { Confidence, Effect, EventType, InstrumentKind, JailOperator, JurisdictionKind, Precedent, Reach } from './schema.js';
import { endEvents, startEvents } from './schema.js';
import type { Position } from './diagnostics.js';

/** A government whose rules bind its staff: id (a path under us/), name, kind, parent and FIPS/GEOID. */
export interface Jurisdiction {
  readonly id: string;
  readonly name: string;
  /**
   * The name in other languages where it differs (`translations.es.name`; otherwise `name` is used in every language),
   * and the note in them (`translations.es.note`; without one a page in that language shows the English note).
   */
  readonly translations?: Readonly<Partial<Record<'es', { readonly name?: string; readonly of?: string; readonly note?: string }>>>;
  readonly kind: JurisdictionKind;
  readonly parent: string | null;
  readonly fips: string;
  readonly note?: string;
  /** The agencies this government has (vocabulary ids); every agency when the file does not say. */
  readonly agencies?: readonly string[];
  /** Who runs its jail: decides whose own-government orders bind the jail's staff. */
  readonly jail?: { readonly runBy: JailOperator; readonly name?: string; readonly source?: string };
  /** Its named offices (a school system) by agency: a search by their name finds the place and the office. */
  readonly offices?: readonly Office[];
  readonly sources?: readonly Source[];
  readonly file: string;
}

/** A named office of a government: "Montgomery County Public Schools" is Montgomery County's `school` agency. */
export interface Office {
  readonly agency: string;
  readonly name: string;
  /** The short form people use (MCPS). */
  readonly short?: string;
  readonly translations?: Readonly<Partial<Record<'es', { readonly name: string }>>>;
  readonly source?: Source;
}

/** A stretch of dates, `from` inclusive, `to` exclusive (null when open). */
export interface Interval {
  readonly from: string;
  /** The first day no longer in force; null while open. */
  readonly to: string | null;
}

/** A dated event in an instrument's history (introduced, signed, effective, repealed, …) with its source. */
export interface PolicyEvent {
  readonly date: string;
  readonly type: EventType;
  readonly note?: string;
  /** The note in other languages (`translations.es.note`); without one a page in that language shows the English. */
  readonly translations?: Readonly<Partial<Record<'es', { readonly note: string }>>>;
  readonly source?: string;
  readonly confidence?: Confidence;
}

/** Fact conditions, one alternative: fact id to the allowed value ids. */
export type Condition = Readonly<Record<string, readonly string[]>>;

/** One clause of an instrument: what it does (effect) about which requests, for which agencies, under which conditions. */
export interface Provision {
  readonly id: string;
  /** `<instrument id>#<provision id>`, unique in the corpus. */
  readonly ref: string;
  readonly instrument: string;
  readonly quote: string;
  /** True when `quote` is a paraphrase (no verbatim text found): never shown between quotation marks. */
  readonly paraphrase?: boolean;
  readonly source: string;
  readonly confidence: Confidence;
  readonly instruction: string;
  /** The instruction in other languages (`translations.es.instruction`); the quote is never translated. */
  readonly translations?: Readonly<Partial<Record<'es', { readonly instruction: string }>>>;
  readonly binds: readonly string[];
  readonly requests: readonly string[];
  /** Alternatives: the provision's conditions hold if any one holds (all of its facts match). */
  readonly when: readonly Condition[];
  readonly effect: Effect;
  /** Refs of the provisions this one is an exception to. */
  readonly exceptionTo: readonly string[];
  readonly voids: readonly Effect[];
  readonly from?: string;
  readonly until?: string;
  readonly note?: string;
  /** Check findings known and intended, with the reason. */
  readonly acknowledge?: Readonly<Partial<Record<'unreachable' | 'untested', string>>>;
  readonly position: Position;
}

/** Where the text of an instrument was read: a title and an address or citation. */
export interface Source {
  readonly title?: string;
  readonly url?: string;
  readonly citation?: string;
  readonly note?: string;
}

/** A law, order, directive, agreement, bill or guidance, with its history, in-force intervals and provisions. */
export interface Instrument {
  readonly id: string;
  readonly title: string;
  readonly number?: string;
  readonly jurisdiction: string;
  readonly kind: InstrumentKind;
  readonly issuer?: string;
  readonly reach: Reach;
  /** For a court decision: binding here, or persuasive only (then `binding` is false). */
  readonly precedent?: Precedent;
  readonly court?: string;
  readonly citation?: string;
  readonly confidence: Confidence;
  readonly summary?: string;
  /** The summary in other languages (`translations.es.summary`); the title is never translated. */
  readonly translations?: Readonly<Partial<Record<'es', { readonly summary: string }>>>;
  readonly events: readonly PolicyEvent[];
  readonly sources: readonly Source[];
  readonly discrepancies: readonly { about: string; accounts: readonly string[]; chosen: string; why: string }[];
  readonly notes?: string;
  readonly provisions: readonly Provision[];
  readonly inForce: readonly Interval[];
  /** False for guidance and persuasive court decisions: advisory, never binding. */
  readonly binding: boolean;
  readonly file: string;
}

/** One policy test case: a scenario and what must (and must not) govern it. */
export interface PolicyCase {
  readonly name: string;
  readonly scenario: Record<string, unknown>;
  readonly assumeInForce: readonly string[];
  readonly assumeNotInForce: readonly string[];
  /** `governing`: refs that must all govern; `notGoverning`: refs that must not govern (nor in any depends branch). */
  readonly expect: { readonly outcome: string; readonly governing: readonly string[]; readonly notGoverning: readonly string[] };
  readonly position: Position;
}

/** The policy test cases beside one instrument (<id>.test.yaml). */
export interface PolicyTestSuite {
  readonly instrument: string;
  readonly file: string;
  readonly cases: readonly PolicyCase[];
}

/** Every jurisdiction, instrument, provision and policy test loaded from a policy folder, with its version hash. */
export interface Corpus {
  readonly root: string;
  readonly jurisdictions: ReadonlyMap<string, Jurisdiction>;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly provisions: ReadonlyMap<string, Provision>;
  readonly tests: readonly PolicyTestSuite[];
  /** sha256 of the vocabulary and every policy file that decides (tests excluded). */
  readonly version: string;
  /**
   * The instruments a jurisdiction issued (those in its folder). A corpus loaded lazily (policy/load.ts) reads only
   * that folder; without this method `instrumentsOf` indexes `instruments` once. Lets the engine and the analyses
   * touch only an actor's chain, so their cost follows the question and not the size of the corpus.
   */
  instrumentsOf?(jurisdiction: string): readonly Instrument[];
  /**
   * Every folder holding policy files, in the tree's order (a corpus loaded lazily: what a walk over the whole tree
   * loads folder by folder). Without it the folders are the jurisdictions.
   */
  folders?(): Iterable<string>;
  /**
   * Lets go of the compiled folders `keep` does not name (a corpus loaded lazily; they are compiled again if asked
   * for), so that a walk over the whole corpus holds one jurisdiction's chain at a time, not the corpus.
   */
  release?(keep: (folder: string) => boolean): void;
}

const instrumentIndex = new WeakMap<Corpus, ReadonlyMap<string, readonly Instrument[]>>();

/** The instruments a jurisdiction issued, in id order: read on demand from a lazy corpus, else from an index built once. */
export function instrumentsOf(corpus: Corpus, jurisdiction: string): readonly Instrument[] {
  if (corpus.instrumentsOf) return corpus.instrumentsOf(jurisdiction);
  let index = instrumentIndex.get(corpus);
  if (!index) {
    const built = new Map<string, Instrument[]>();
    for (const ins of corpus.instruments.values()) {
      const list = built.get(ins.jurisdiction) ?? [];
      list.push(ins);
      built.set(ins.jurisdiction, list);
    }
    instrumentIndex.set(corpus, (index = built));
  }
  return index.get(jurisdiction) ?? [];
}

/** Default reach by kind: laws bind the territory; orders, directives, policies and agreements their own government. */
export function defaultReach(kind: InstrumentKind): Reach {
  return kind === 'statute' || kind === 'ordinance' || kind === 'charter' || kind === 'regulation' || kind === 'bill' ||
    kind === 'court_decision'
    ? 'territory'
    : 'own_government';
}

const starts: ReadonlySet<string> = new Set(startEvents);
const ends: ReadonlySet<string> = new Set(endEvents);

/** In-force intervals from an event history (events in date order; same-day events in file order). */
export function inForceIntervals(events: readonly PolicyEvent[]): Interval[] {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => (a.e.date < b.e.date ? -1 : a.e.date > b.e.date ? 1 : a.i - b.i));
  const out: Interval[] = [];
  let openFrom: string | null = null;
  for (const { e } of sorted) {
    if (starts.has(e.type) && openFrom === null) openFrom = e.date;
    else if (ends.has(e.type) && openFrom !== null) {
      if (e.date > openFrom) out.push({ from: openFrom, to: e.date });
      openFrom = null;
    }
  }
  if (openFrom !== null) out.push({ from: openFrom, to: null });
  return out;
}

/** Whether a date falls in one of the intervals. */
export function inForceOn(intervals: readonly Interval[], date: string): boolean {
  for (const iv of intervals) if (iv.from <= date && (iv.to === null || date < iv.to)) return true;
  return false;
}

/** An instrument's status on a date, as listings report it. */
export type InstrumentStatus =
  | 'in_force' | 'not_yet_in_force' | 'proposed' | 'passed' | 'failed' | 'withdrawn' | 'vetoed'
  | 'suspended' | 'enjoined' | 'repealed' | 'revoked' | 'expired' | 'superseded' | 'advisory';

const statusOfEvent: Partial<Record<EventType, InstrumentStatus>> = {
  failed: 'failed', withdrawn: 'withdrawn', vetoed: 'vetoed', suspended: 'suspended', enjoined: 'enjoined',
  repealed: 'repealed', revoked: 'revoked', expired: 'expired', superseded: 'superseded',
  introduced: 'proposed', passed: 'passed', veto_overridden: 'passed', signed: 'passed',
};

/** The instrument's status on a date, and the event that explains it. */
export function statusOn(instrument: Pick<Instrument, 'events' | 'inForce' | 'binding'> & { readonly kind?: InstrumentKind }, date: string): { status: InstrumentStatus; since?: string } {
  if (!instrument.binding) return { status: 'advisory' };
  const current = instrument.inForce.find((iv) => iv.from <= date && (iv.to === null || date < iv.to));
  if (current) return { status: 'in_force', since: current.from };
  let last: { status: InstrumentStatus; since?: string } | undefined;
  for (const e of [...instrument.events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    if (e.date > date) break;
    const s = statusOfEvent[e.type];
    if (s) last = { status: s, since: e.date };
  }
  if (instrument.inForce.some((iv) => iv.from > date)) return { status: 'not_yet_in_force', since: instrument.inForce.find((iv) => iv.from > date)!.from };
  return last ?? { status: 'proposed' };
}

/**
 * Why an instrument does not bind on a date, as data: advisory guidance, or its status that day and the date of the
 * event that explains it (for `not_yet_in_force`, the day it comes into force). Words come from the presentation layer.
 */
export type NotInForceReason =
  | { readonly code: 'advisory' }
  | { readonly code: 'not_in_force'; readonly status: Exclude<InstrumentStatus, 'in_force' | 'advisory'>; readonly date?: string };

/** Why an instrument that is not in force on a date does not bind ("vetoed on 2017-02-09", as data). */
export function notInForceReason(instrument: Pick<Instrument, 'events' | 'inForce' | 'binding'>, date: string): NotInForceReason {
  const { status, since } = statusOn(instrument, date);
  if (status === 'advisory') return { code: 'advisory' };
  if (status === 'in_force') throw new Error(`notInForceReason: the instrument is in force on ${date}`);
  return since === undefined ? { code: 'not_in_force', status } : { code: 'not_in_force', status, date: since };
}

/** Ancestors of a jurisdiction id, nearest first, including itself: us/md/x → [us/md/x, us/md, us]. */
export function jurisdictionChain(id: string): string[] {
  const parts = id.split('/');
  const out: string[] = [];
  for (let n = parts.length; n >= 1; n--) out.push(parts.slice(0, n).join('/'));
  return out;
}

/**
 * The government whose own-government instruments (orders, policies, agreements) bind the staff of this
 * jurisdiction's jail (agency corrections): itself, or the State where the State runs the jail (Baltimore
 * City's Central Booking); undefined when it has no jail of its own or the file does not say.
 */
export function jailGovernment(jurisdictions: ReadonlyMap<string, Jurisdiction>, id: string): string | undefined {
  const j = jurisdictions.get(id);
  if (!j) return undefined;
  switch (j.jail?.runBy) {
    case 'state': return jurisdictionChain(id).find((a) => jurisdictions.get(a)?.kind === 'state');
    case 'executive': case 'sheriff': return id;
    default: return undefined;
  }
}

/**
 * The agencies a jurisdiction has (vocabulary ids, in `all`'s order): those its file lists, or every one when it
 * lists none. A city has no sheriff; a county policed by its sheriff has no police department.
 */
export function jurisdictionAgencies(j: Pick<Jurisdiction, 'agencies'> | undefined, all: readonly string[]): readonly string[] {
  return j?.agencies ? all.filter((a) => j.agencies!.includes(a)) : all;
}

/** Orders, policies and agreements bind a jail's staff through whoever runs the jail; laws bind by their reach. */
export function operatorsOrder(kind: InstrumentKind): boolean {
  return kind === 'executive_order' || kind === 'directive' || kind === 'policy' || kind === 'agreement';
}

/**
 * Whether a provision is (indirectly) an exception to itself: an exception cycle leaves no base case. `exceptionsOf`
 * gives the resolved `exceptionTo` of a ref.
 */
export function inExceptionCycle(p: Pick<Provision, 'ref' | 'exceptionTo'>, exceptionsOf: (ref: string) => readonly string[] | undefined): boolean {
  const seen = new Set<string>();
  const walk = (ref: string): boolean => {
    if (ref === p.ref && seen.size) return true;
    if (seen.has(ref)) return false;
    seen.add(ref);
    return (exceptionsOf(ref) ?? []).some(walk);
  };
  return p.exceptionTo.some(walk);
}

/** The loader's words for a provision in an exception cycle. */
export function exceptionCycleMessage(ref: string): string {
  return `provision ${ref} is (indirectly) an exception to itself`;
}
