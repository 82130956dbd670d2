// The compiled decision engine: the corpus cut into dated segments and lazily compiled cells, answering
// contract scenarios with full decisions (trace, what would change it, depends) or outcomes only.
import { createHash } from 'node:crypto';
import {
  inForceOn, jurisdictionChain, whyNotInForce, type Corpus, type Instrument, type Interval, type Provision,
} from '../policy/corpus.js';
import { scenarioCodec, UNKNOWN, type Scenario, type ScenarioCodec, type ScenarioJson } from '../vocabulary/scenario.js';
import { factValueJson, vocabulary as projectVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';
import { authority, levelOf, rankOf } from './authority.js';
import {
  Cell, DEFEATED, effectCode, OUTCOME_BY_CODE, GOVERNS, NOT_APPLICABLE, OUTRANKED, SUBORDINATE, VOIDED, type CandidateProvision,
} from './cell.js';
import type {
  ConsideredProvision, Decision, DependsBranch, GoverningProvision, Outcome, Role, WouldChange,
} from './decision.js';
import { summarize } from './summary.js';
import { mergeCubes } from './cubes.js';
import { jurisdictionReader, type OutcomeReader, type RequestPlan } from './cellCode.js';

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

/**
 * What a decision owes to its cell and fact vector alone, so it is built once and shared by every actor and date the
 * cell serves: all but the not-binding trace and the other agencies' outcomes. Deeply frozen.
 */
interface CellDecision extends Pick<Decision, 'outcome' | 'summary' | 'governing'> {
  /** The binding candidates' part of `considered`. */
  readonly considered: readonly ConsideredProvision[];
  /** The single-fact part of `would_change`. */
  readonly factChanges: readonly WouldChange[];
  readonly dependsOn: readonly DependsBranch[] | null;
  /** The decision's UTF-8 JSON in three pieces, around the actor's not-binding trace and agency changes (`decideBytes`). */
  readonly bytes: readonly [head: Buffer, middle: Buffer, tail: Buffer];
}

/** A compiled cell and the decisions built on it, by fact vector index; shared by every entry with the same provisions. */
interface CompiledCell {
  readonly cell: Cell;
  readonly decisions: (CellDecision | undefined)[];
}

/** One actor (jurisdiction, agency), request and dated segment: a shared Cell plus what only this actor's trace needs. */
interface CellEntry {
  readonly jurisdiction: number;
  readonly agency: number;
  readonly request: number;
  readonly segment: number;
  readonly cell: Cell;
  readonly decisions: (CellDecision | undefined)[];
  readonly notBinding: readonly NotBinding[];
  // The lazily built fields below are present (undefined) from the start: one object shape keeps lookups fast.
  /** The not-binding part of `considered`, with reasons, built on first need. */
  notBindingConsidered: readonly ConsideredProvision[] | undefined;
  /** That part as UTF-8 JSON array items (no brackets); interned, since many entries share it. */
  notBindingBytes: Buffer | undefined;
  /** Every agency's cell for the same jurisdiction, request and segment, by agency index; shared by those entries. */
  agencyCells: readonly Cell[] | undefined;
}

/** The `actor.agency` part of `would_change`, and its JSON array items (no brackets). */
interface AgencyChanges {
  readonly list: readonly WouldChange[];
  readonly bytes: Buffer;
}

/** The pieces of one decision: its cell's part, the actor's entry, and the other agencies' outcomes. */
interface DecisionParts {
  readonly entry: CellEntry;
  readonly cellDecision: CellDecision;
  readonly agencyChanges: AgencyChanges;
}

const FAR_PAST = '0000-01-01';
/** Distinct JSON fragments kept for sharing; past this, new fragments are used once and not kept. */
const INTERN_LIMIT = 50_000;
const COMMA = Buffer.from(',');

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
  /**
   * Per jurisdiction and request (index j × requests + r): the dates on which an instrument of the jurisdiction's chain
   * that speaks to the request changes, and where that pair's entries start in `entries`.
   */
  private readonly localBoundaries: readonly (readonly string[])[];
  private readonly entryOffset: readonly number[];
  /** Cells by the provisions they hold: actors and dates with the same binding provisions share one. */
  private readonly sharedCells = new Map<string, CompiledCell>();
  private readonly jurisdictionIds: readonly string[];
  private readonly jurisdictionIndex: ReadonlyMap<string, number>;
  private readonly agencyIndex: ReadonlyMap<string, number>;
  private readonly requestIndex: ReadonlyMap<string, number>;
  /** Per jurisdiction (by index): its generated reader for outcomeOfTrusted, made on first need. */
  private readonly readers: (OutcomeReader | undefined)[] = [];
  private lastJurisdiction = '';
  private lastReader: OutcomeReader = () => -1;
  /** The `actor.agency` changes by the combination of every agency's outcome code and the actor's agency. */
  private readonly agencyChangesByOutcomes = new Map<number, AgencyChanges>();
  /** JSON fragments by their text, so entries and decisions that say the same thing share one copy. */
  private readonly interned = new Map<string, Buffer>();
  /** The decision JSON's last piece after depends_on: the policy version and what-if assumptions. */
  private readonly versionText: string;

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
    /** The dates on which what an instrument says about a request can change. */
    const datesOf = (ins: Instrument, request?: string): string[] => {
      const provisions = request === undefined ? ins.provisions : ins.provisions.filter((p) => p.requests.includes(request));
      if (!provisions.length) return [];
      const assumed = inForce.includes(ins.id) || notInForce.includes(ins.id);
      return [
        ...(assumed ? [] : ins.events.map((e) => e.date)),
        ...provisions.flatMap((p) => [p.from, p.until].filter((d): d is string => d !== undefined)),
      ];
    };
    for (const ins of corpus.instruments.values()) {
      const assumedIn = inForce.includes(ins.id);
      const assumedOut = notInForce.includes(ins.id);
      this.intervals.set(ins.id, assumedIn ? [{ from: FAR_PAST, to: null }] : assumedOut ? [] : ins.inForce);
      this.binding.set(ins.id, assumedIn || (ins.binding && !assumedOut));
      for (const d of datesOf(ins)) dates.add(d);
      const list = this.byJurisdiction.get(ins.jurisdiction) ?? [];
      list.push(ins);
      this.byJurisdiction.set(ins.jurisdiction, list);
    }
    this.boundaries = [...dates].sort();
    this.valueCounts = this.vocabulary.facts.map((f) => f.values.length);
    // agencyChanges packs every agency's outcome into one integer key.
    if (OUTCOME_BY_CODE.length ** this.vocabulary.agencyIds.length * this.vocabulary.agencyIds.length > Number.MAX_SAFE_INTEGER) {
      throw new Error(`the engine supports at most 18 agencies; the vocabulary has ${this.vocabulary.agencyIds.length}`);
    }
    this.versionText = `,"policy_version":${JSON.stringify(this.policyVersion)}${this.assumptions ? `,"assumptions":${JSON.stringify(this.assumptions)}` : ''}}`;
    const jurisdictionIds = [...corpus.jurisdictions.keys()].sort();
    this.jurisdictionIds = jurisdictionIds;
    this.codec = scenarioCodec(this.vocabulary, jurisdictionIds);
    this.jurisdictionIndex = new Map(jurisdictionIds.map((j, i) => [j, i]));
    this.agencyIndex = new Map(this.vocabulary.agencyIds.map((a, i) => [a, i]));
    this.requestIndex = new Map(this.vocabulary.requestIds.map((r, i) => [r, i]));
    // Each jurisdiction and request is cut only on the dates its chain's instruments on that request change, so
    // actors share entries for as long as nothing that could decide their question changes.
    let size = 0;
    this.localBoundaries = jurisdictionIds.flatMap((jid) => {
      const chain = jurisdictionChain(jid).flatMap((c) => this.byJurisdiction.get(c) ?? []);
      return this.vocabulary.requestIds.map((request) => [...new Set(chain.flatMap((ins) => datesOf(ins, request)))].sort());
    });
    this.entryOffset = this.localBoundaries.map((b) => {
      const at = size;
      size += this.agencyIndex.size * (b.length + 1);
      return at;
    });
    this.entries = new Array<CellEntry | undefined>(size).fill(undefined);
  }

  /** Validates a contract scenario and decides it. Throws ScenarioError on bad input. */
  decide(input: unknown): Decision {
    return this.decideScenario(this.codec.parse(input));
  }

  decideScenario(s: Scenario): Decision {
    const { entry, cellDecision: d, agencyChanges } = this.parts(s);
    return Object.freeze<Decision>({
      outcome: d.outcome,
      summary: d.summary,
      governing: d.governing,
      considered: Object.freeze(d.considered.concat(this.notBindingConsidered(entry))),
      would_change: Object.freeze(d.factChanges.concat(agencyChanges.list)),
      depends_on: d.dependsOn,
      policy_version: this.policyVersion,
      ...(this.assumptions ? { assumptions: this.assumptions } : {}),
    });
  }

  /** The decision as JSON text: exactly `JSON.stringify(decideScenario(s))`. */
  decideJson(s: Scenario): string {
    return Buffer.concat(this.decideBytes(s)).toString('utf8');
  }

  /**
   * The decision as UTF-8 JSON in pieces whose concatenation is `JSON.stringify(decideScenario(s))`: most are
   * shared, already encoded fragments, so a batch copies bytes instead of building and encoding each decision.
   */
  decideBytes(s: Scenario): Buffer[] {
    const { entry, cellDecision: d, agencyChanges } = this.parts(s);
    const [head, middle, tail] = d.bytes;
    const out = [head];
    const notBinding = this.notBindingBytes(entry);
    if (notBinding.length) {
      if (d.considered.length) out.push(COMMA);
      out.push(notBinding);
    }
    out.push(middle);
    if (agencyChanges.list.length) {
      if (d.factChanges.length) out.push(COMMA);
      out.push(agencyChanges.bytes);
    }
    out.push(tail);
    return out;
  }

  private parts(s: Scenario): DecisionParts {
    const entry = this.entry(s.jurisdiction, s.agency, s.request, s.date);
    const index = entry.cell.index(s.facts);
    const cellDecision = (entry.decisions[index] ??= this.cellDecision(entry.cell, index));
    return { entry, cellDecision, agencyChanges: this.agencyChanges(entry, s.facts) };
  }

  /** The outcome alone: the fast path for tables, diffs and bulk replay. */
  outcome(s: Scenario): Outcome {
    const { cell } = this.entry(s.jurisdiction, s.agency, s.request, s.date);
    return cell.outcome(cell.index(s.facts));
  }

  /**
   * The outcome of a contract scenario known to be valid (not validated), read straight from its JSON form with
   * no conversion or allocation: for bulk replay and tables, where the input was checked once upstream.
   */
  outcomeOfTrusted(s: ScenarioJson): Outcome {
    const { jurisdiction } = s.actor;
    // Bulk input usually runs one jurisdiction's records together: keep the last reader at hand.
    if (jurisdiction !== this.lastJurisdiction) {
      const j = this.jurisdictionIndex.get(jurisdiction);
      if (j === undefined) throw new Error(`not a valid scenario: jurisdiction ${jurisdiction}`);
      this.lastReader = this.readers[j] ??= this.jurisdictionReader(j);
      this.lastJurisdiction = jurisdiction;
    }
    const code = this.lastReader(s);
    if (code < 0) throw new Error(`not a valid scenario: request ${s.request}, agency ${s.actor.agency}`);
    return OUTCOME_BY_CODE[code]!;
  }

  /** Compiles every cell of a jurisdiction and generates its reader (cellCode.ts). */
  private jurisdictionReader(j: number): OutcomeReader {
    const agencies = this.vocabulary.agencyIds;
    const plans = this.vocabulary.requestIds.map((request, r): RequestPlan => {
      const boundaries = this.localBoundaries[j * this.requestIndex.size + r]!;
      const cells = Array.from({ length: boundaries.length + 1 }, (_, segment) => agencies.map((_, a) => this.entryAt(j, a, r, segment).cell));
      return { request, boundaries, cells };
    });
    return jurisdictionReader(plans, agencies, this.vocabulary);
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
    return this.entryAt(j, a, r, this.segmentOf(date, this.localBoundaries[j * this.requestIndex.size + r]!));
  }

  private entryAt(j: number, a: number, r: number, segment: number): CellEntry {
    const at = j * this.requestIndex.size + r;
    const id = this.entryOffset[at]! + a * (this.localBoundaries[at]!.length + 1) + segment;
    return (this.entries[id] ??= this.compileCell(j, a, r, segment));
  }

  /** Sorts provisions into those that can bind the actor on this segment and those that cannot. */
  private compileCell(j: number, a: number, r: number, segment: number): CellEntry {
    const jurisdiction = this.jurisdictionIds[j]!;
    const agency = this.vocabulary.agencyIds[a]!;
    const request = this.vocabulary.requestIds[r]!;
    const local = this.localBoundaries[j * this.requestIndex.size + r]!;
    const date = segment === 0 ? FAR_PAST : local[segment - 1]!;
    const bound: { provision: Provision; instrument: Instrument; level: number; authority: number }[] = [];
    const notBinding: NotBinding[] = [];
    const entryOf = ({ cell, decisions }: CompiledCell): CellEntry => ({
      jurisdiction: j, agency: a, request: r, segment, cell, decisions, notBinding,
      notBindingConsidered: undefined, notBindingBytes: undefined, agencyCells: undefined,
    });
    for (const jid of jurisdictionChain(jurisdiction)) {
      const issuer = this.corpus.jurisdictions.get(jid);
      if (!issuer) continue;
      const level = levelOf[issuer.kind];
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
    if (shared) return entryOf(shared);
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
    const compiled: CompiledCell = { cell, decisions: new Array<CellDecision | undefined>(cell.size) };
    this.sharedCells.set(signature, compiled);
    return entryOf(compiled);
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

  /** Everything of a decision that follows from the cell and the fact vector alone. */
  private cellDecision(cell: Cell, index: number): CellDecision {
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
    const considered = this.considered(cell, index, evaluations, completions);
    const factChanges = this.factChanges(cell, index, outcome);
    const summary = summarize(outcome, governing, dependsOn);
    const text = [
      `{"outcome":${JSON.stringify(outcome)},"summary":${JSON.stringify(summary)},"governing":${JSON.stringify(governing)},"considered":[${jsonItems(considered)}`,
      `],"would_change":[${jsonItems(factChanges)}`,
      `],"depends_on":${JSON.stringify(dependsOn)}${this.versionText}`,
    ] as const;
    return deepFreeze({
      outcome, summary, governing, considered, factChanges, dependsOn,
      bytes: [Buffer.from(text[0]), Buffer.from(text[1]), Buffer.from(text[2])] as const,
    });
  }

  /** The actor's not-binding provisions as `considered` items, with their reasons. */
  private notBindingConsidered(entry: CellEntry): readonly ConsideredProvision[] {
    return (entry.notBindingConsidered ??= deepFreeze(entry.notBinding.map((nb) => ({
      instrument: nb.instrument.id, provision: nb.provision.id, jurisdiction: nb.instrument.jurisdiction,
      effect: nb.provision.effect, binding: false, role: 'not_binding' as Role,
      why: nb.why(),
    }))));
  }

  private notBindingBytes(entry: CellEntry): Buffer {
    return (entry.notBindingBytes ??= this.intern(jsonItems(this.notBindingConsidered(entry))));
  }

  /** One shared UTF-8 copy of a fragment that recurs. */
  private intern(text: string): Buffer {
    let bytes = this.interned.get(text);
    if (!bytes) {
      bytes = Buffer.from(text);
      if (this.interned.size < INTERN_LIMIT) this.interned.set(text, bytes);
    }
    return bytes;
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

  private considered(cell: Cell, index: number, evaluations: readonly { roles: Uint8Array; by: Int16Array }[], completions: readonly number[]): ConsideredProvision[] {
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

  /** Every single change of one read fact that flips the outcome, grouped by the outcome it gives. */
  private factChanges(cell: Cell, index: number, outcome: Outcome): WouldChange[] {
    const out: WouldChange[] = [];
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
    return out;
  }

  /** Kept on each sibling entry: the agencies' cells are read together for every decision (agencyChanges). */
  private agencyCells(entry: CellEntry): readonly Cell[] {
    const siblings = this.vocabulary.agencyIds.map((_, a) => this.entryAt(entry.jurisdiction, a, entry.request, entry.segment));
    const cells = Object.freeze(siblings.map((e) => e.cell));
    for (const e of siblings) e.agencyCells = cells;
    return cells;
  }

  /**
   * The other agencies of the same jurisdiction whose outcome differs, grouped by that outcome. The list depends only
   * on each agency's outcome, so it is kept by that combination (a few dozen occur) with its JSON.
   */
  private agencyChanges(entry: CellEntry, facts: Int8Array): AgencyChanges {
    const agencies = this.vocabulary.agencyIds;
    const cells = entry.agencyCells ?? this.agencyCells(entry);
    let key = entry.agency;
    for (let a = 0; a < cells.length; a++) {
      const cell = cells[a]!;
      key = key * OUTCOME_BY_CODE.length + cell.outcomeCode(cell.index(facts));
    }
    let changes = this.agencyChangesByOutcomes.get(key);
    if (!changes) {
      const codes = cells.map((cell) => cell.outcomeCode(cell.index(facts)));
      const own = codes[entry.agency]!;
      const byAgency = new Map<number, string[]>();
      codes.forEach((code, a) => code !== own && byAgency.set(code, [...(byAgency.get(code) ?? []), agencies[a]!]));
      const list = [...byAgency].map(([code, values]) => ({ fact: 'actor.agency', values, outcome: OUTCOME_BY_CODE[code]! }));
      changes = deepFreeze({ list, bytes: Buffer.from(jsonItems(list)) });
      this.agencyChangesByOutcomes.set(key, changes);
    }
    return changes;
  }
}

/** JSON array items without the brackets: the pieces decisions are spliced from. */
function jsonItems(list: readonly unknown[]): string {
  return list.map((x) => JSON.stringify(x)).join(',');
}

/** An instrument whose in-force dates rest on an unconfirmed event is no surer than that event. */
function unconfirmedDates(ins: Instrument): boolean {
  return ins.events.some((e) => e.confidence === 'unconfirmed' && e.type !== 'introduced' && e.type !== 'passed');
}

function deepFreeze<T>(value: T): T {
  // Byte arrays cannot be frozen; they are never handed out for writing.
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
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
