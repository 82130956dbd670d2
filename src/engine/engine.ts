// The compiled decision engine: the corpus cut into dated segments and lazily compiled cells, answering
// contract scenarios with full decisions (trace, what would change it, depends) or outcomes only.
import { createHash } from 'node:crypto';
import {
  inForceOn, jurisdictionChain, whyNotInForce, type Corpus, type Instrument, type Interval, type Provision,
} from '../policy/corpus.js';
import { scenarioCodec, UNKNOWN, type Scenario, type ScenarioCodec } from '../vocabulary/scenario.js';
import { factValueJson, vocabulary as projectVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';
import { authority, levelOf, rankOf } from './authority.js';
import {
  Cell, DEFEATED, effectCode, GOVERNS, NOT_APPLICABLE, OUTRANKED, SUBORDINATE, VOIDED, type CandidateProvision,
} from './cell.js';
import type {
  ConsideredProvision, Decision, DependsBranch, GoverningProvision, Outcome, Role, WouldChange,
} from './decision.js';
import { summarize } from './summary.js';
import { mergeCubes } from './cubes.js';

export interface WhatIf {
  /** Instruments treated as in force (and binding) on every date. */
  readonly assumeInForce?: readonly string[];
  /** Instruments treated as never in force. */
  readonly assumeNotInForce?: readonly string[];
}

export class UnknownInstrumentError extends Error {
  constructor(readonly id: string, readonly option: string) {
    super(`${option}: no instrument "${id}" in the corpus`);
  }
}

/** A provision of the actor's jurisdictions that covers the request but does not bind the actor in a cell. */
interface NotBinding {
  readonly provision: Provision;
  readonly instrument: Instrument;
  readonly jurisdiction: string;
  readonly authority: number;
  /** Words the reason; called only when a full decision's trace needs it. */
  readonly why: () => string;
}

/** One actor (jurisdiction, agency), request and dated segment: a shared Cell plus what only this actor's trace needs. */
interface CellEntry {
  /** Position in the engine's flat table; with a fact vector index it keys the decision memo. */
  readonly id: number;
  readonly cell: Cell;
  readonly notBinding: readonly NotBinding[];
  /** The not-binding part of `considered`, with reasons, built on first need. */
  notBindingConsidered?: readonly ConsideredProvision[];
  /**
   * Facts a full decision depends on: those read by this cell or by any other agency's (would_change
   * names the outcome for every agency). The memo keys on these, found on first need.
   */
  decisionFacts?: readonly number[];
}

interface Memo {
  readonly decision: Decision;
  json?: string;
}

const FAR_PAST = '0000-01-01';
/** Full decisions kept for reuse; the oldest is dropped past this, so memory stays bounded on long batches. */
const MEMO_LIMIT = 100_000;

export class Engine {
  readonly codec: ScenarioCodec;
  readonly policyVersion: string;
  readonly assumptions: { readonly in_force: readonly string[]; readonly not_in_force: readonly string[] } | undefined;
  /** Every date on which some instrument's status, interval or provision window changes, ascending. */
  readonly boundaries: readonly string[];
  private readonly intervals = new Map<string, readonly Interval[]>();
  private readonly binding = new Map<string, boolean>();
  private readonly byJurisdiction = new Map<string, Instrument[]>();
  private readonly valueCounts: readonly number[];
  private readonly entries: (CellEntry | undefined)[];
  /** Per jurisdiction (by index): the dates its chain changes on, and where its entries start in `entries`. */
  private readonly localBoundaries: readonly (readonly string[])[];
  private readonly entryOffset: readonly number[];
  /** Cells by the provisions they hold: actors and dates with the same binding provisions share one. */
  private readonly sharedCells = new Map<string, Cell>();
  private readonly jurisdictionIndex: ReadonlyMap<string, number>;
  private readonly agencyIndex: ReadonlyMap<string, number>;
  private readonly requestIndex: ReadonlyMap<string, number>;
  private readonly memo = new Map<number, Memo>();
  /** More than any fact vector's index (every fact, each with its unknown): entry id × this + index is unique. */
  private readonly vectorSpace: number;

  constructor(readonly corpus: Corpus, readonly whatIf: WhatIf = {}, readonly vocabulary: Vocabulary = projectVocabulary()) {
    const inForce = [...new Set(whatIf.assumeInForce ?? [])].sort();
    const notInForce = [...new Set(whatIf.assumeNotInForce ?? [])].sort();
    for (const id of inForce) if (!corpus.instruments.has(id)) throw new UnknownInstrumentError(id, 'assume-in-force');
    for (const id of notInForce) if (!corpus.instruments.has(id)) throw new UnknownInstrumentError(id, 'assume-not-in-force');
    const both = inForce.filter((id) => notInForce.includes(id));
    if (both.length) throw new UnknownInstrumentError(both[0]!, 'assume-in-force and assume-not-in-force both name it:');
    this.assumptions = inForce.length || notInForce.length ? { in_force: inForce, not_in_force: notInForce } : undefined;
    this.policyVersion = this.assumptions
      ? `sha256:${createHash('sha256').update(`${corpus.version}\0${JSON.stringify(this.assumptions)}`).digest('hex')}`
      : corpus.version;

    const dates = new Set<string>();
    const datesOf = new Map<string, string[]>();
    for (const ins of corpus.instruments.values()) {
      const assumedIn = inForce.includes(ins.id);
      const assumedOut = notInForce.includes(ins.id);
      this.intervals.set(ins.id, assumedIn ? [{ from: FAR_PAST, to: null }] : assumedOut ? [] : ins.inForce);
      this.binding.set(ins.id, assumedIn || (ins.binding && !assumedOut));
      const own = [
        ...(assumedIn || assumedOut ? [] : ins.events.map((e) => e.date)),
        ...ins.provisions.flatMap((p) => [p.from, p.until].filter((d): d is string => d !== undefined)),
      ];
      datesOf.set(ins.id, own);
      for (const d of own) dates.add(d);
      const list = this.byJurisdiction.get(ins.jurisdiction) ?? [];
      list.push(ins);
      this.byJurisdiction.set(ins.jurisdiction, list);
    }
    this.boundaries = [...dates].sort();
    this.valueCounts = this.vocabulary.facts.map((f) => f.values.length);
    this.vectorSpace = this.valueCounts.reduce((n, c) => n * (c + 1), 1);
    const jurisdictionIds = [...corpus.jurisdictions.keys()].sort();
    this.codec = scenarioCodec(this.vocabulary, jurisdictionIds);
    this.jurisdictionIndex = new Map(jurisdictionIds.map((j, i) => [j, i]));
    this.agencyIndex = new Map(this.vocabulary.agencyIds.map((a, i) => [a, i]));
    this.requestIndex = new Map(this.vocabulary.requestIds.map((r, i) => [r, i]));
    // Each jurisdiction is cut only on the dates its own chain of instruments changes, so actors share entries longer.
    let size = 0;
    this.localBoundaries = jurisdictionIds.map((jid) => {
      const local = new Set<string>();
      for (const c of jurisdictionChain(jid)) for (const ins of this.byJurisdiction.get(c) ?? []) for (const d of datesOf.get(ins.id)!) local.add(d);
      return [...local].sort();
    });
    this.entryOffset = this.localBoundaries.map((b) => {
      const at = size;
      size += this.agencyIndex.size * this.requestIndex.size * (b.length + 1);
      return at;
    });
    this.entries = new Array<CellEntry | undefined>(size).fill(undefined);
  }

  /** Validates a contract scenario and decides it. Throws ScenarioError on bad input. */
  decide(input: unknown): Decision {
    return this.decideScenario(this.codec.parse(input));
  }

  decideScenario(s: Scenario): Decision {
    return this.memoFor(s).decision;
  }

  /** The decision as JSON text, memoised with the decision itself (batch output). */
  decideJson(s: Scenario): string {
    const m = this.memoFor(s);
    return (m.json ??= JSON.stringify(m.decision));
  }

  private memoFor(s: Scenario): Memo {
    const entry = this.entry(s.jurisdiction, s.agency, s.request, s.date);
    const facts = (entry.decisionFacts ??= [
      ...new Set(this.vocabulary.agencyIds.flatMap((agency) => this.entry(s.jurisdiction, agency, s.request, s.date).cell.readFacts)),
    ].sort((a, b) => a - b));
    let key = 0;
    for (const f of facts) key = key * (this.valueCounts[f]! + 1) + s.facts[f]! + 1;
    key += entry.id * this.vectorSpace;
    let m = this.memo.get(key);
    if (!m) {
      m = { decision: deepFreeze(this.buildDecision(entry, entry.cell.index(s.facts), s)) };
      if (this.memo.size >= MEMO_LIMIT) this.memo.delete(this.memo.keys().next().value!);
      this.memo.set(key, m);
    }
    return m;
  }

  /** The outcome alone: the fast path for tables, diffs and bulk replay. */
  outcome(s: Scenario): Outcome {
    const { cell } = this.entry(s.jurisdiction, s.agency, s.request, s.date);
    return cell.outcome(cell.index(s.facts));
  }

  /** Is the instrument in force (under the what-if) on the date? */
  inForce(instrumentId: string, date: string): boolean {
    return inForceOn(this.intervals.get(instrumentId) ?? [], date);
  }

  /** The vocabulary facts that can change outcomes for this actor and request on this date. */
  factsRead(jurisdiction: string, agency: string, request: string, date: string): readonly number[] {
    return this.entry(jurisdiction, agency, request, date).cell.readFacts;
  }

  /** The first day of each dated segment (the first segment starts in the far past). */
  segmentStarts(): string[] {
    return [FAR_PAST, ...this.boundaries];
  }

  /**
   * Whether a provision governs some fully known scenario on some date, for some actor it binds:
   * false means it can never decide anything (it is always defeated, voided or outranked).
   */
  canGovern(ref: string): boolean {
    const p = this.corpus.provisions.get(ref);
    const ins = p && this.corpus.instruments.get(p.instrument);
    if (!p || !ins) return false;
    const starts = this.segmentStarts().filter((d) => this.inForce(ins.id, d)).reverse();
    const places = [ins.jurisdiction];
    if (ins.reach === 'territory') {
      for (const j of this.corpus.jurisdictions.keys()) if (j.startsWith(`${ins.jurisdiction}/`)) places.push(j);
    }
    for (const jurisdiction of places) {
      for (const date of starts) {
        for (const agency of p.binds) {
          for (const request of p.requests) {
            const { cell } = this.entry(jurisdiction, agency, request, date);
            const at = cell.candidates.findIndex((c) => c.provision.ref === ref);
            if (at < 0) continue;
            for (const c of cell.completions(0)) if (cell.evaluate(c).governing.includes(at)) return true;
          }
        }
      }
    }
    return false;
  }

  /** Index of the dated segment holding `date`: the number of boundaries on or before it. */
  segmentOf(date: string, b: readonly string[] = this.boundaries): number {
    let lo = 0, hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (b[mid]! <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private entry(jurisdiction: string, agency: string, request: string, date: string): CellEntry {
    const j = this.jurisdictionIndex.get(jurisdiction);
    const a = this.agencyIndex.get(agency);
    const r = this.requestIndex.get(request);
    if (j === undefined || a === undefined || r === undefined) {
      throw new Error(`not a valid scenario: jurisdiction ${jurisdiction}, agency ${agency}, request ${request}`);
    }
    const local = this.localBoundaries[j]!;
    const segment = this.segmentOf(date, local);
    const id = this.entryOffset[j]! + (a * this.requestIndex.size + r) * (local.length + 1) + segment;
    return (this.entries[id] ??= this.compileCell(id, jurisdiction, agency, request, segment === 0 ? FAR_PAST : local[segment - 1]!));
  }

  /** Sorts provisions into those that can bind the actor on this segment and those that cannot. */
  private compileCell(id: number, jurisdiction: string, agency: string, request: string, date: string): CellEntry {
    const bound: { provision: Provision; instrument: Instrument; level: number; authority: number }[] = [];
    const notBinding: NotBinding[] = [];
    for (const jid of jurisdictionChain(jurisdiction)) {
      const j = this.corpus.jurisdictions.get(jid);
      if (!j) continue;
      const level = levelOf[j.kind];
      for (const ins of this.byJurisdiction.get(jid) ?? []) {
        const auth = authority(level, rankOf[ins.kind]);
        for (const p of ins.provisions) {
          if (!p.requests.includes(request)) continue;
          const why = this.whyNotBinding(ins, p, jid, jurisdiction, agency, date);
          if (why) notBinding.push({ provision: p, instrument: ins, jurisdiction: jid, authority: auth, why });
          else bound.push({ provision: p, instrument: ins, level, authority: auth });
        }
      }
    }
    const order = (a: { authority: number; provision: Provision }, b: { authority: number; provision: Provision }) =>
      b.authority - a.authority || (a.provision.ref < b.provision.ref ? -1 : a.provision.ref > b.provision.ref ? 1 : 0);
    bound.sort(order);
    notBinding.sort(order);
    const signature = bound.map((b) => b.provision.ref).join('\n');
    const shared = this.sharedCells.get(signature);
    if (shared) return { id, cell: shared, notBinding };
    const position = new Map(bound.map((b, i) => [b.provision.ref, i]));
    const candidates: CandidateProvision[] = bound.map((b) => ({
      ...b,
      effect: effectCode[b.provision.effect],
      alternatives: b.provision.when.map((cond) => {
        const flat: number[] = [];
        for (const [factId, values] of Object.entries(cond)) {
          const fact = this.vocabulary.fact(factId)!;
          let mask = 0;
          for (const v of values) mask |= 1 << fact.values.findIndex((x) => x.id === v);
          flat.push(fact.index, mask);
        }
        return Int32Array.from(flat);
      }),
      defeats: b.provision.exceptionTo.map((r) => position.get(r)).filter((i): i is number => i !== undefined),
      voids: b.provision.voids.reduce((m, e) => m | (1 << effectCode[e]), 0),
    }));
    const cell = new Cell(candidates, this.valueCounts);
    this.sharedCells.set(signature, cell);
    return { id, cell, notBinding };
  }

  /** Undefined when the provision binds this actor on this date; otherwise the reason, worded only if asked. */
  private whyNotBinding(ins: Instrument, p: Provision, jid: string, actorJurisdiction: string, agency: string, date: string): (() => string) | undefined {
    const intervals = this.intervals.get(ins.id)!;
    if (!this.binding.get(ins.id) || !inForceOn(intervals, date)) {
      return () => (this.assumptions?.not_in_force.includes(ins.id) ? 'assumed not in force (what-if)' : whyNotInForce({ ...ins, inForce: intervals }, date));
    }
    if (p.from && date < p.from) return () => `this provision applies from ${p.from}`;
    if (p.until && date >= p.until) return () => `this provision ended ${p.until}`;
    if (jid !== actorJurisdiction && ins.reach === 'own_government') {
      return () => `a ${ins.kind.replace(/_/g, ' ')} of ${this.corpus.jurisdictions.get(jid)?.name ?? jid} binds only its own government's employees`;
    }
    if (!p.binds.includes(agency)) return () => `binds ${p.binds.join(', ')}; not ${agency}`;
    return undefined;
  }

  private buildDecision(entry: CellEntry, index: number, s: Scenario): Decision {
    const { cell } = entry;
    const outcome = cell.outcome(index);
    const completions = cell.completions(index);
    const evaluations = completions.map((c) => cell.evaluate(c));

    let governingIdx: number[] = [];
    let dependsOn: DependsBranch[] | null = null;
    if (outcome === 'depends') {
      dependsOn = this.dependsBranches(cell, index, completions);
    } else {
      const seen = new Set<number>();
      for (const e of evaluations) for (const g of e.governing) seen.add(g);
      governingIdx = [...seen].sort((a, b) => cell.candidates[b]!.authority - cell.candidates[a]!.authority || a - b);
    }
    const governing = governingIdx.map((i) => this.governingEntry(cell.candidates[i]!.provision, cell.candidates[i]!.instrument));
    const considered = this.considered(entry, index, evaluations, completions);
    const wouldChange = this.wouldChange(entry, index, s, outcome);
    const decision: Decision = {
      outcome,
      summary: summarize(outcome, governing, dependsOn),
      governing,
      considered,
      would_change: wouldChange,
      depends_on: dependsOn,
      policy_version: this.policyVersion,
      ...(this.assumptions ? { assumptions: this.assumptions } : {}),
    };
    return decision;
  }

  private governingEntry(p: Provision, ins: Instrument): GoverningProvision {
    return {
      instrument: ins.id,
      provision: p.id,
      jurisdiction: ins.jurisdiction,
      title: ins.title,
      kind: ins.kind,
      effect: p.effect,
      instruction: p.instruction,
      quote: p.quote,
      source: p.source,
      confidence: p.confidence,
      instrument_confidence: unconfirmedDates(ins) ? 'unconfirmed' : ins.confidence,
    };
  }

  private considered(entry: CellEntry, index: number, evaluations: readonly { roles: Uint8Array; by: Int16Array }[], completions: readonly number[]): ConsideredProvision[] {
    const { cell } = entry;
    const unknownNames = cell.readFacts.filter((_, k) => cell.valuesAt(index)[k] === -1).map((f) => this.vocabulary.facts[f]!.id).join(', ');
    const out: ConsideredProvision[] = cell.candidates.map((c, i) => {
      const roles = new Set(evaluations.map((e) => `${e.roles[i]}:${e.by[i]}`));
      const base = { instrument: c.instrument.id, provision: c.provision.id, jurisdiction: c.instrument.jurisdiction, effect: c.provision.effect, binding: true };
      if (roles.size > 1) return { ...base, role: 'depends' as Role, why: `depends on the unknown facts (${unknownNames})` };
      const e = evaluations[0]!;
      const role = e.roles[i]!;
      const by = e.by[i]! >= 0 ? cell.candidates[e.by[i]!]!.provision.ref : '';
      switch (role) {
        case GOVERNS: return { ...base, role: 'governs', why: 'applies and governs' };
        case DEFEATED: return { ...base, role: 'defeated', why: `defeated by its exception ${by}` };
        case VOIDED: return { ...base, role: 'voided', why: `voided by higher law ${by}` };
        case OUTRANKED: return { ...base, role: 'outranked', why: `outranked by ${by}` };
        case SUBORDINATE: return { ...base, role: 'outranked', why: `a permission; the mandatory rule ${by} governs` };
        case NOT_APPLICABLE:
        default:
          return { ...base, role: 'not_applicable', why: this.conditionsNotMet(c, cell, completions[0]!) };
      }
    });
    entry.notBindingConsidered ??= entry.notBinding.map((nb) => ({
      instrument: nb.instrument.id, provision: nb.provision.id, jurisdiction: nb.instrument.jurisdiction,
      effect: nb.provision.effect, binding: false, role: 'not_binding' as Role,
      why: nb.why(),
    }));
    out.push(...entry.notBindingConsidered);
    return out;
  }

  private conditionsNotMet(c: CandidateProvision, cell: Cell, completeIndex: number): string {
    const values = cell.valuesAt(completeIndex);
    const valueOf = (f: number) => values[cell.readFacts.indexOf(f)]!;
    const reasons = c.alternatives.map((alt) => {
      for (let i = 0; i < alt.length; i += 2) {
        const f = alt[i]!, mask = alt[i + 1]!;
        if (!(mask & (1 << valueOf(f)))) {
          const fact = this.vocabulary.facts[f]!;
          const needs = fact.values.filter((_, v) => mask & (1 << v)).map((v) => v.id);
          return `${fact.id} is ${fact.values[valueOf(f)]!.id} (applies to ${needs.join(', ')})`;
        }
      }
      return '';
    });
    return `conditions not met: ${[...new Set(reasons)].join('; or ')}`;
  }

  private dependsBranches(cell: Cell, index: number, completions: readonly number[]): DependsBranch[] {
    const unknownPositions = cell.valuesAt(index).flatMap((v, k) => (v === -1 ? [k] : []));
    const groups = new Map<Outcome, { cubes: number[][]; governing: Set<string> }>();
    for (const c of completions) {
      const e = cell.evaluate(c);
      const vals = cell.valuesAt(c);
      const g = groups.get(e.outcome) ?? { cubes: [], governing: new Set<string>() };
      g.cubes.push(unknownPositions.map((k) => vals[k]!));
      for (const i of e.governing) g.governing.add(cell.candidates[i]!.provision.ref);
      groups.set(e.outcome, g);
    }
    const branches: DependsBranch[] = [];
    for (const [outcome, g] of groups) {
      const cubes = mergeCubes(g.cubes);
      branches.push({
        outcome,
        when: cubes.map((cube) => {
          const cond: Record<string, (string | boolean)[]> = {};
          cube.forEach((vals, u) => {
            const fact = this.vocabulary.facts[cell.readFacts[unknownPositions[u]!]!]!;
            if (vals.length < fact.values.length) cond[fact.id] = [...vals].sort((a, b) => a - b).map((v) => factValueJson(fact, v));
          });
          return cond;
        }),
        governing: [...g.governing].sort(),
      });
    }
    return branches;
  }

  private wouldChange(entry: CellEntry, index: number, s: Scenario, outcome: Outcome): WouldChange[] {
    const out: WouldChange[] = [];
    const { cell } = entry;
    const current = cell.valuesAt(index);
    cell.readFacts.forEach((f, k) => {
      const fact = this.vocabulary.facts[f]!;
      const byOutcome = new Map<Outcome, (string | boolean)[]>();
      for (let v = 0; v < fact.values.length; v++) {
        if (v === current[k]) continue;
        const o = cell.outcome(index + (v - current[k]!) * cell.stride[k]!);
        if (o !== outcome) byOutcome.set(o, [...(byOutcome.get(o) ?? []), factValueJson(fact, v)]);
      }
      for (const [o, values] of byOutcome) out.push({ fact: fact.id, values, outcome: o });
    });
    const byAgency = new Map<Outcome, string[]>();
    for (const agency of this.vocabulary.agencyIds) {
      if (agency === s.agency) continue;
      const o = this.outcome({ ...s, agency });
      if (o !== outcome) byAgency.set(o, [...(byAgency.get(o) ?? []), agency]);
    }
    for (const [o, values] of byAgency) out.push({ fact: 'actor.agency', values, outcome: o });
    return out;
  }
}

/** An instrument whose in-force dates rest on an unconfirmed event is no surer than that event. */
function unconfirmedDates(ins: Instrument): boolean {
  return ins.events.some((e) => e.confidence === 'unconfirmed' && e.type !== 'introduced' && e.type !== 'passed');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Compiles a corpus (optionally under a what-if) into an engine. */
export function compile(corpus: Corpus, whatIf: WhatIf = {}): Engine {
  return new Engine(corpus, whatIf);
}

export { UNKNOWN };
