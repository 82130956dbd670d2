// The compiled decision engine: the corpus cut into dated segments and lazily compiled cells, answering contract
// scenarios with rulings (typed), worded decisions in a language, encoded decisions, or outcomes only.
// docs/engine.md explains the data model; each part lives in its own module:
// binding.ts (what-if, who is bound when), segments.ts (index arithmetic), cells.ts (the cell table), cell.ts
// (contract 3.2 on one cell), trace.ts (typed reasons, summary, depends, would_change), encoding.ts (bytes per
// language), cellCode.ts (generated readers for outcomes), kept.ts (finished decisions kept for reuse).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { jailGovernment, jurisdictionAgencies, operatorsOrder, type Corpus, type Instrument, type Provision } from '../policy/corpus.js';
import { scenarioCodec, type Scenario, type ScenarioCodec, type ScenarioJson, type ScenarioSlot } from '../vocabulary/scenario.js';
import { projectVocabulary, type Vocabulary } from '../vocabulary/model.js';
import { BindingView, FAR_PAST, type WhatIf } from './binding.js';
import { OUTCOME_BY_CODE } from './cell.js';
import { jurisdictionReader, type OutcomeReader, type RequestPlan } from './cellCode.js';
import { CellTable, type CellEntry } from './cells.js';
import type { Assumptions, Decision, DecisionWords, Outcome, Ruling } from './decision.js';
import {
  concatBytes, DecisionEncoder, encodeText, wouldChange, writeJsonArray, type ByteSink,
} from './encoding.js';
import { KeptDecisions, keptEntryFor } from './kept.js';
import { SegmentIndex, segmentOf } from './segments.js';
import { AgencyChangeTable, cellRuling, joined, notBindingConsidered, type AgencyChanges, type CellRuling } from './trace.js';

export { UnknownInstrumentError, type WhatIf } from './binding.js';

/** How an engine is tuned; the answers never depend on it. */
export interface EngineOptions {
  /**
   * How many finished decisions (`decide`, `decideScenario`) the engine keeps for reuse, every language together;
   * past it, all are dropped and the table fills again (kept.ts). Default 250,000; 0 keeps none.
   */
  readonly keptDecisions?: number;
}

/** A decision object while it is filled in, before it is frozen. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The pieces of one decision: the actor's entry, its cell's ruling, and the other agencies' outcomes. */
interface DecisionParts {
  readonly entry: CellEntry;
  readonly index: number;
  readonly ruling: CellRuling;
  readonly agencyChanges: AgencyChanges;
}

/** A corpus compiled for deciding scenarios, under an optional what-if. */
export class Engine {
  readonly codec: ScenarioCodec;
  /** The exact corpus (and what-if) that decides: `sha256:…`. */
  readonly policyVersion: string;
  /** The what-if as decisions report it; undefined when there is none. */
  readonly assumptions: Assumptions | undefined;
  private readonly view: BindingView;
  private readonly segments: SegmentIndex;
  private readonly table: CellTable;
  private readonly agencyChangeTable: AgencyChangeTable;
  private readonly encoder: DecisionEncoder;
  private readonly jurisdictionIds: readonly string[];
  private readonly jurisdictionIndex: ReadonlyMap<string, number>;
  private readonly agencyIndex: ReadonlyMap<string, number>;
  private readonly requestIndex: ReadonlyMap<string, number>;
  /** Per jurisdiction (by index): its generated reader for outcomeOfTrusted, made on first need. */
  private readonly readers: (OutcomeReader | undefined)[] = [];
  private descendants: ReadonlyMap<string, readonly string[]> | undefined;
  private lastJurisdiction = '';
  private lastReader: OutcomeReader = () => -1;
  /** Finished decisions by entry, fact key and language (kept.ts), bounded. */
  private readonly kept: KeptDecisions;
  /** The slot `decide` and `ruling` validate into (codec.parseInto): never handed out, refilled by each call. */
  private readonly scratch: ScenarioSlot;

  /**
   * Compiles nothing yet: cells are compiled on first use. `vocabulary` is the one the corpus was loaded with (by
   * default the project's, registered when it was read).
   */
  constructor(
    readonly corpus: Corpus,
    readonly whatIf: WhatIf = {},
    readonly vocabulary: Vocabulary = projectVocabulary(),
    options: EngineOptions = {},
  ) {
    this.kept = new KeptDecisions(options.keptDecisions);
    this.view = new BindingView(corpus, whatIf);
    this.assumptions = this.view.assumptions;
    this.policyVersion = this.assumptions
      ? `sha256:${bytesToHex(sha256(encodeText(`${corpus.version}\0${JSON.stringify(this.assumptions)}`)))}`
      : corpus.version;
    const jurisdictionIds = [...corpus.jurisdictions.keys()].sort();
    this.jurisdictionIds = jurisdictionIds;
    this.codec = scenarioCodec(vocabulary, jurisdictionIds);
    this.scratch = this.codec.slot();
    this.jurisdictionIndex = new Map(jurisdictionIds.map((j, i) => [j, i]));
    this.agencyIndex = new Map(vocabulary.agencyIds.map((a, i) => [a, i]));
    this.requestIndex = new Map(vocabulary.requestIds.map((r, i) => [r, i]));
    // Nothing here reads the whole corpus: segments and cells are made per jurisdiction on its first question.
    this.segments = new SegmentIndex(corpus, this.view, jurisdictionIds, vocabulary.requestIds, vocabulary.agencyIds.length);
    this.table = new CellTable(corpus, vocabulary, this.view, this.segments);
    const offeredMasks: (readonly boolean[] | undefined)[] = [];
    this.agencyChangeTable = new AgencyChangeTable(
      vocabulary.agencyIds,
      (entry) => vocabulary.agencyIds.map((_, a) => this.table.entryAt(entry.jurisdiction, a, entry.request, entry.segment)),
      (entry) => (offeredMasks[entry.jurisdiction * vocabulary.requestIds.length + entry.request] ??= Object.freeze(
        vocabulary.agencyIds.map((a) => this.offers(jurisdictionIds[entry.jurisdiction]!, a, vocabulary.requestIds[entry.request]!)))),
    );
    const versionText = `,"policy_version":${JSON.stringify(this.policyVersion)}${this.assumptions ? `,"assumptions":${JSON.stringify(this.assumptions)}` : ''}}`;
    this.encoder = new DecisionEncoder(versionText);
  }

  /** Every date on which some instrument's status, interval or provision window changes, ascending (whole corpus). */
  get boundaries(): readonly string[] {
    return this.segments.boundaries;
  }

  /** Validates a contract scenario and decides it, in the words given. Throws ScenarioError on bad input. */
  decide(input: unknown, words: DecisionWords): Decision {
    const s = this.codec.parseInto(input, this.scratch);
    return this.decideAt(this.slotEntry(s), s.facts, words);
  }

  /** The decision of a valid scenario, in the words given (worded parts are made once per language and shared). */
  decideScenario(s: Scenario, words: DecisionWords): Decision {
    return this.decideAt(this.entry(s.jurisdiction, s.agency, s.request, s.date), s.facts, words);
  }

  /** How many finished decisions the engine keeps now (at most `EngineOptions.keptDecisions`). */
  get keptDecisions(): number {
    return this.kept.size;
  }

  /**
   * A finished decision is kept by its entry (actor, request, segment: this engine's what-if is fixed), the facts its
   * cells read, and the language slot, and handed out again as the same frozen object: it is all a function of these.
   */
  private decideAt(entry: CellEntry, facts: Int8Array, words: DecisionWords): Decision {
    const slot = this.encoder.slot(words);
    let kept = entry.kept;
    if (kept === undefined) {
      kept = entry.kept = keptEntryFor(entry.jurisdiction, this.agencyChangeTable.readCells(entry), entry.cell.valueCounts) ?? null;
    }
    if (kept === null) return this.finish(entry, facts, words, slot);
    const key = kept.index(facts);
    const known = kept.map(slot)?.get(key);
    if (known !== undefined) return known;
    const decision = this.finish(entry, facts, words, slot);
    this.kept.keep(kept, slot, key, decision);
    return decision;
  }

  /** A new decision, frozen. */
  private finish(entry: CellEntry, facts: Int8Array, words: DecisionWords, slot: number): Decision {
    const parts = this.partsAt(entry, facts);
    const cell = this.encoder.cell(parts.entry.compiled, parts.index, parts.ruling, words, slot);
    const notBinding = this.encoder.notBinding(parts.entry, words, slot);
    const decision: Mutable<Decision> = {
      outcome: parts.ruling.outcome,
      summary: cell.summary,
      governing: cell.governing,
      considered: joined(cell.considered, notBinding.considered),
      would_change: wouldChange(parts.ruling, parts.agencyChanges),
      depends_on: parts.ruling.dependsOn,
      policy_version: this.policyVersion,
    };
    // Set after, not spread into the literal: a spread costs a call per decision even when it adds nothing.
    if (this.assumptions) decision.assumptions = this.assumptions;
    return Object.freeze(decision);
  }

  /** Validates a contract scenario and gives its ruling (the decision as data). Throws ScenarioError on bad input. */
  ruling(input: unknown): Ruling {
    const s = this.codec.parseInto(input, this.scratch);
    return this.rulingAt(this.slotEntry(s), s.facts);
  }

  /** The decision of a valid scenario as data, before wording: what a program reasons over (reasons, summary, branches). */
  rulingScenario(s: Scenario): Ruling {
    return this.rulingAt(this.entry(s.jurisdiction, s.agency, s.request, s.date), s.facts);
  }

  private rulingAt(entry: CellEntry, facts: Int8Array): Ruling {
    const { ruling: r, agencyChanges } = this.partsAt(entry, facts);
    const ruling: Mutable<Ruling> = {
      outcome: r.outcome,
      summary: r.summary,
      governing: r.governing,
      considered: joined(r.considered, notBindingConsidered(entry)),
      would_change: wouldChange(r, agencyChanges),
      depends_on: r.dependsOn,
      policy_version: this.policyVersion,
    };
    if (this.assumptions) ruling.assumptions = this.assumptions;
    return Object.freeze(ruling);
  }

  /** The decision as UTF-8 JSON: exactly the bytes of `JSON.stringify(decideScenario(s, words))`. */
  decideBytes(s: Scenario, words: DecisionWords): Uint8Array {
    const pieces: Uint8Array[] = [];
    this.encode(s, words, pieces);
    return concatBytes(pieces);
  }

  /** The decision as JSON text: exactly `JSON.stringify(decideScenario(s, words))`. */
  decideJson(s: Scenario, words: DecisionWords): string {
    return new TextDecoder().decode(this.decideBytes(s, words));
  }

  /**
   * The decision's UTF-8 JSON pushed to `out` as a few byte ranges whose concatenation is `decideBytes(s, words)`:
   * shared, already encoded fragments, so a batch copies bytes instead of building and encoding each decision.
   * The ranges are the engine's own: copy them, never write to them.
   */
  encode(s: Scenario, words: DecisionWords, out: ByteSink): void {
    const parts = this.parts(s);
    const slot = this.encoder.slot(words);
    const cell = this.encoder.cell(parts.entry.compiled, parts.index, parts.ruling, words, slot);
    this.encoder.write(cell, this.encoder.notBinding(parts.entry, words, slot), parts.agencyChanges, out);
  }

  /**
   * A batch's decisions as one JSON array pushed to `out`: exactly the bytes of
   * `JSON.stringify(scenarios.map((s) => decideScenario(s, words)))`, each decision the byte ranges `encode` pushes.
   * The batch writer of the surfaces (the batch API): they write what comes, and splice nothing.
   */
  encodeBatch(scenarios: readonly Scenario[], words: DecisionWords, out: ByteSink): void {
    writeJsonArray(scenarios, (s, sink) => this.encode(s, words, sink), out);
  }

  private parts(s: Scenario): DecisionParts {
    return this.partsAt(this.entry(s.jurisdiction, s.agency, s.request, s.date), s.facts);
  }

  private partsAt(entry: CellEntry, facts: Int8Array): DecisionParts {
    const index = entry.cell.index(facts);
    const ruling = (entry.compiled.rulings[index] ??= cellRuling(entry.cell, index, this.vocabulary));
    return { entry, index, ruling, agencyChanges: this.agencyChangeTable.of(entry, facts, index) };
  }

  /** The entry of a scenario validated into a slot by this engine's codec: its positions are the engine's own. */
  private slotEntry(s: ScenarioSlot): CellEntry {
    const j = s.jurisdictionIndex, r = s.requestIndex;
    return this.table.entryAt(j, s.agencyIndex, r, this.segments.segmentOfDay(j, r, s.day));
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
      const boundaries = this.segments.localBoundaries(j, r);
      const cells = Array.from({ length: boundaries.length + 1 }, (_, segment) => agencies.map((_, a) => this.table.entryAt(j, a, r, segment).cell));
      return { request, boundaries, cells };
    });
    return jurisdictionReader(plans, agencies, this.vocabulary);
  }

  /** Is the instrument in force (under the what-if) on the date? */
  inForce(instrumentId: string, date: string): boolean {
    return this.view.inForce(instrumentId, date);
  }

  /**
   * Does the jurisdiction have this agency, and can its staff be asked to do this at all? Analyses and `would_change`
   * offer only such actors; `decide` still answers any valid scenario.
   */
  offers(jurisdiction: string, agency: string, request: string): boolean {
    const j = this.corpus.jurisdictions.get(jurisdiction);
    return jurisdictionAgencies(j, this.vocabulary.agencyIds).includes(agency) && this.vocabulary.performs(agency, request);
  }

  /** The agencies a jurisdiction has (vocabulary order): those its file lists, or every one. */
  agenciesOf(jurisdiction: string): readonly string[] {
    return jurisdictionAgencies(this.corpus.jurisdictions.get(jurisdiction), this.vocabulary.agencyIds);
  }

  /** The vocabulary facts that can change outcomes for this actor and request on this date. */
  factsRead(jurisdiction: string, agency: string, request: string, date: string): readonly number[] {
    return this.entry(jurisdiction, agency, request, date).cell.readFacts;
  }

  /**
   * The provisions that bind this actor about this request on this date (their instrument in force, within reach,
   * binding the agency): the cell's candidates, highest authority first. For analyses, so they need not re-apply
   * reach, binding or authority themselves.
   */
  bindingProvisions(jurisdiction: string, agency: string, request: string, date: string): readonly Provision[] {
    return this.entry(jurisdiction, agency, request, date).cell.candidates.map((c) => c.provision);
  }

  /**
   * The dates on which what can bind a jurisdiction's actors about a request changes (an instrument of its chain on
   * that request, or one of its provisions, starts or stops), ascending: where that jurisdiction's and request's dated
   * segments begin, after the first (which starts in the far past). No outcome of theirs changes on any other date.
   */
  segmentDates(jurisdiction: string, request: string): readonly string[] {
    const j = this.jurisdictionIndex.get(jurisdiction);
    const r = this.requestIndex.get(request);
    if (j === undefined || r === undefined) throw new Error(`not a valid jurisdiction and request: ${jurisdiction}, ${request}`);
    return this.segments.localBoundaries(j, r);
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
    for (const jurisdiction of [ins.jurisdiction, ...this.descendantsOf(ins.jurisdiction)]) {
      if (this.reaches(ins, jurisdiction) && this.governsIn(p, ins, jurisdiction)) return true;
    }
    return false;
  }

  /**
   * Whether an instrument's provisions can bind actors of this jurisdiction at all: its own (unless it binds only the
   * governments below) or one below it (unless it binds only its own government).
   */
  reaches(ins: Instrument, jurisdiction: string): boolean {
    if (jurisdiction === ins.jurisdiction) return ins.reach !== 'governments_below';
    if (!jurisdiction.startsWith(`${ins.jurisdiction}/`) || !this.jurisdictionIndex.has(jurisdiction)) return false;
    // An own-government order still reaches a jail below that its issuer runs (Baltimore City's, run by the State).
    return ins.reach !== 'own_government' || (operatorsOrder(ins.kind) && jailGovernment(this.corpus.jurisdictions, jurisdiction) === ins.jurisdiction);
  }

  /**
   * Whether a provision governs some fully known scenario of an actor of this jurisdiction (one it reaches) on some
   * date: `canGovern` asks it of each place; `check` asks it jurisdiction by jurisdiction, holding one chain at a time.
   */
  governsIn(p: Provision, ins: Instrument, jurisdiction: string): boolean {
    const ref = p.ref;
    const j = this.jurisdictionIndex.get(jurisdiction)!;
    for (const request of p.requests) {
      // The dates on which something in this actor's chain changes for the request, not every date of the corpus:
      // `check` asks this of every provision, and the whole corpus's dates made it quadratic.
      const starts = [FAR_PAST, ...this.segments.localBoundaries(j, this.requestIndex.get(request)!)].filter((d) => this.inForce(ins.id, d)).reverse();
      for (const date of starts) {
        for (const agency of p.binds) {
          const { cell } = this.entry(jurisdiction, agency, request, date);
          const at = cell.candidates.findIndex((c) => c.provision.ref === ref);
          if (at < 0) continue;
          for (const c of cell.completions(0)) if (cell.evaluate(c).governing.includes(at)) return true;
        }
      }
    }
    return false;
  }

  /**
   * Forgets everything compiled for one jurisdiction (its segments, cells and reader); asked again, it is compiled
   * again, with the same answers. A walk over the whole corpus (`check`) calls it as it leaves each jurisdiction.
   */
  releaseJurisdiction(jurisdiction: string): void {
    const j = this.jurisdictionIndex.get(jurisdiction);
    if (j === undefined) return;
    this.kept.release(j);
    this.table.release(j);
    this.segments.release(j);
    this.readers[j] = undefined;
    if (this.lastJurisdiction === jurisdiction) {
      this.lastJurisdiction = '';
      this.lastReader = () => -1;
    }
  }

  /**
   * The jurisdictions below one, from an index built once: scanning every id for each provision made `check`
   * quadratic in the corpus.
   */
  private descendantsOf(jurisdiction: string): readonly string[] {
    if (!this.descendants) {
      const index = new Map<string, string[]>();
      for (const j of this.jurisdictionIds) {
        for (let at = j.lastIndexOf('/'); at > 0; at = j.lastIndexOf('/', at - 1)) {
          const ancestor = j.slice(0, at);
          const list = index.get(ancestor) ?? [];
          list.push(j);
          index.set(ancestor, list);
        }
      }
      this.descendants = index;
    }
    return this.descendants.get(jurisdiction) ?? [];
  }

  /** Index of the dated segment holding `date` among the engine's global boundaries (or the ones given). */
  segmentOf(date: string, b: readonly string[] = this.boundaries): number {
    return segmentOf(date, b);
  }

  private entry(jurisdiction: string, agency: string, request: string, date: string): CellEntry {
    const j = this.jurisdictionIndex.get(jurisdiction);
    const a = this.agencyIndex.get(agency);
    const r = this.requestIndex.get(request);
    if (j === undefined || a === undefined || r === undefined) {
      throw new Error(`not a valid scenario: jurisdiction ${jurisdiction}, agency ${agency}, request ${request}`);
    }
    return this.table.entryAt(j, a, r, this.segments.segment(j, r, date));
  }
}
