// What a decision says, as typed values: the outcome, governing provisions, each considered provision's role and
// reason, the summary, depends_on and would_change, from a cell and a fact vector. No words: see presentation.
import type { Instrument, Provision } from '../policy/corpus.js';
import { factValueJson, type Vocabulary } from '../vocabulary/model.js';
import { unconfirmedDates } from './binding.js';
import {
  Cell, DEFEATED, GOVERNS, NOT_APPLICABLE, OUTCOME_BY_CODE, OUTRANKED, SUBORDINATE, VOIDED, type CandidateProvision,
} from './cell.js';
import type { CellEntry } from './cells.js';
import { mergeCubes } from './cubes.js';
import type {
  ConsideredEntry, DependsBranch, GoverningProvision, Outcome, Reason, Role, Summary, UnmetCondition, WouldChange,
} from './decision.js';

/**
 * What a decision owes to its cell and fact vector alone, so it is built once and shared by every actor and date the
 * cell serves: all but the not-binding trace and the other agencies' outcomes. Deeply frozen.
 */
export interface CellRuling {
  readonly outcome: Outcome;
  readonly summary: Summary;
  /** Governing entries with each provision's own instruction; `governingProvisions` in the same order. */
  readonly governing: readonly GoverningProvision[];
  readonly governingProvisions: readonly Provision[];
  /** The binding candidates' part of `considered`. */
  readonly considered: readonly ConsideredEntry[];
  /** The single-fact part of `would_change`. */
  readonly factChanges: readonly WouldChange[];
  readonly dependsOn: readonly DependsBranch[] | null;
}

/** Everything of a decision that follows from the cell and the fact vector alone. */
export function cellRuling(cell: Cell, index: number, vocabulary: Vocabulary): CellRuling {
  const outcome = cell.outcome(index);
  const completions = cell.completions(index);
  const evaluations = completions.map((c) => cell.evaluate(c));
  let governingIdx: number[] = [];
  let dependsOn: DependsBranch[] | null = null;
  if (outcome === 'depends') {
    dependsOn = dependsBranches(cell, index, completions, vocabulary);
  } else {
    const seen = new Set<number>();
    for (const e of evaluations) for (const g of e.governing) seen.add(g);
    governingIdx = [...seen].sort((a, b) => cell.candidates[b]!.authority - cell.candidates[a]!.authority || a - b);
  }
  const leaders = governingIdx.map((i) => cell.candidates[i]!);
  const governing = leaders.map((c) => governingEntry(c.provision, c.instrument));
  const unconfirmed = governing.some((g) => g.confidence === 'unconfirmed' || g.instrument_confidence === 'unconfirmed');
  const summary: Summary =
    outcome === 'no_rule' ? { code: 'no_rule' }
    : outcome === 'depends' ? { code: 'depends' }
    : outcome === 'conflict' ? { code: 'conflict', sides: leaders.map((c) => c.provision.ref), unconfirmed }
    : { code: 'instruction', provision: leaders[0]!.provision.ref, unconfirmed };
  const ruling = deepFreeze({
    outcome,
    summary,
    governing,
    considered: considered(cell, index, evaluations, completions, vocabulary),
    factChanges: factChanges(cell, index, outcome, vocabulary),
    dependsOn,
  });
  // The corpus's own provision objects: referenced, not frozen here.
  return Object.freeze({ ...ruling, governingProvisions: Object.freeze(leaders.map((c) => c.provision)) });
}

/** The actor's not-binding provisions as typed `considered` items, built once per entry. */
export function notBindingConsidered(entry: CellEntry): readonly ConsideredEntry[] {
  return (entry.notBindingConsidered ??= deepFreeze(entry.notBinding.map((nb) => ({
    instrument: nb.instrument.id, provision: nb.provision.id, jurisdiction: nb.instrument.jurisdiction,
    effect: nb.provision.effect, binding: false, role: 'not_binding' as Role, reason: nb.reason,
  }))));
}

function governingEntry(p: Provision, ins: Instrument): GoverningProvision {
  return {
    instrument: ins.id,
    provision: p.id,
    jurisdiction: ins.jurisdiction,
    title: ins.title,
    kind: ins.kind,
    effect: p.effect,
    instruction: p.instruction,
    quote: p.quote,
    // The corpus marks a quote that is a paraphrase; the field appears only then.
    ...((p as Provision & { paraphrase?: boolean }).paraphrase ? { paraphrase: true as const } : {}),
    source: p.source,
    confidence: p.confidence,
    instrument_confidence: unconfirmedDates(ins) ? 'unconfirmed' : ins.confidence,
  };
}

function considered(
  cell: Cell, index: number, evaluations: readonly { roles: Uint8Array; by: Int16Array }[], completions: readonly number[], vocabulary: Vocabulary,
): ConsideredEntry[] {
  const known = cell.valuesAt(index);
  const unknownFacts = cell.readFacts.filter((_, k) => known[k] === -1).map((f) => vocabulary.facts[f]!.id);
  return cell.candidates.map((c, i): ConsideredEntry => {
    const base = { instrument: c.instrument.id, provision: c.provision.id, jurisdiction: c.instrument.jurisdiction, effect: c.provision.effect, binding: true };
    const roles = new Set(evaluations.map((e) => `${e.roles[i]}:${e.by[i]}`));
    if (roles.size > 1) return { ...base, role: 'depends', reason: { code: 'depends_on_unknown', facts: unknownFacts } };
    const e = evaluations[0]!;
    const by = e.by[i]! >= 0 ? cell.candidates[e.by[i]!]!.provision.ref : '';
    const [role, reason]: [Role, Reason] = (() => {
      switch (e.roles[i]) {
        case GOVERNS: return ['governs', { code: 'governs' }];
        case DEFEATED: return ['defeated', { code: 'defeated_by', by }];
        case VOIDED: return ['voided', { code: 'voided_by', by }];
        case OUTRANKED: return ['outranked', { code: 'outranked_by', by }];
        case SUBORDINATE: return ['outranked', { code: 'subordinate_to', by }];
        case NOT_APPLICABLE:
        default: return ['not_applicable', { code: 'conditions_not_met', unmet: unmetConditions(c, cell, completions[0]!, vocabulary) }];
      }
    })();
    return { ...base, role, reason };
  });
}

/** For each alternative of the provision's conditions, the first fact whose value it does not cover (distinct). */
function unmetConditions(c: CandidateProvision, cell: Cell, completeIndex: number, vocabulary: Vocabulary): UnmetCondition[] {
  const values = cell.valuesAt(completeIndex);
  const valueOf = (f: number) => values[cell.readFacts.indexOf(f)]!;
  const seen = new Map<string, UnmetCondition>();
  for (const alt of c.alternatives) {
    for (let i = 0; i < alt.length; i += 2) {
      const f = alt[i]!, mask = alt[i + 1]!;
      if (!(mask & (1 << valueOf(f)))) {
        const fact = vocabulary.facts[f]!;
        const unmet: UnmetCondition = {
          fact: fact.id,
          given: factValueJson(fact, valueOf(f)),
          applies_to: fact.values.flatMap((_, v) => (mask & (1 << v) ? [factValueJson(fact, v)] : [])),
        };
        seen.set(JSON.stringify(unmet), unmet);
        break;
      }
    }
  }
  return [...seen.values()];
}

function dependsBranches(cell: Cell, index: number, completions: readonly number[], vocabulary: Vocabulary): DependsBranch[] {
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
    branches.push({
      outcome,
      when: mergeCubes(g.cubes).map((cube) => {
        const cond: Record<string, (string | boolean)[]> = {};
        cube.forEach((vals, u) => {
          const fact = vocabulary.facts[cell.readFacts[unknownPositions[u]!]!]!;
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
function factChanges(cell: Cell, index: number, outcome: Outcome, vocabulary: Vocabulary): WouldChange[] {
  const out: WouldChange[] = [];
  const current = cell.valuesAt(index);
  cell.readFacts.forEach((f, k) => {
    const fact = vocabulary.facts[f]!;
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

/** The `actor.agency` part of `would_change`; `key` identifies it among the engine's few distinct lists. */
export interface AgencyChanges {
  readonly list: readonly WouldChange[];
  readonly key: number;
}

/**
 * The other agencies of the same jurisdiction whose outcome differs, grouped by that outcome; an agency the
 * jurisdiction does not have, or one that cannot be asked to do the request at all, is never offered. The list
 * depends only on each agency's outcome (or absence) and the actor's agency, so it is kept by that combination packed
 * into one integer (a few dozen occur).
 */
export class AgencyChangeTable {
  private readonly byOutcomes = new Map<number, AgencyChanges>();
  /** One more than the outcome codes: the code of an agency not offered. */
  private readonly base = OUTCOME_BY_CODE.length + 1;

  constructor(
    private readonly agencyIds: readonly string[],
    /** The entries of every agency for the same jurisdiction, request and segment as the given one. */
    private readonly siblings: (entry: CellEntry) => readonly CellEntry[],
    /** Per agency (by index): does the entry's jurisdiction have it, and can it be asked to do the entry's request? */
    private readonly offered: (entry: CellEntry) => readonly boolean[] = () => agencyIds.map(() => true),
  ) {
    if (this.base ** agencyIds.length * agencyIds.length > Number.MAX_SAFE_INTEGER) {
      throw new Error(`the engine supports at most 16 agencies; the vocabulary has ${agencyIds.length}`);
    }
  }

  /** The changes for an entry's actor on a fact vector (`index`: the vector's index in the entry's own cell). */
  of(entry: CellEntry, facts: Int8Array, index: number): AgencyChanges {
    const cells = this.cellsOf(entry);
    const offered = this.offered(entry);
    const absent = OUTCOME_BY_CODE.length;
    // Agencies often share a cell (with the actor or with each other): its outcome is read once.
    const own = entry.cell;
    const ownCode = own.outcomeCode(index);
    let last: Cell = own, lastCode = ownCode;
    let key = entry.agency;
    for (let a = 0; a < cells.length; a++) {
      const cell = cells[a]!;
      let code = absent;
      // The actor's own outcome always counts, offered or not: the list is the others that differ from it.
      if (offered[a] || a === entry.agency) {
        if (cell !== last) {
          last = cell;
          lastCode = cell === own ? ownCode : cell.outcomeCode(cell.index(facts));
        }
        code = lastCode;
      }
      key = key * this.base + code;
    }
    let changes = this.byOutcomes.get(key);
    if (!changes) {
      const codes = cells.map((cell, a) => (offered[a] || a === entry.agency ? cell.outcomeCode(cell.index(facts)) : absent));
      const own = codes[entry.agency]!;
      const byCode = new Map<number, string[]>();
      codes.forEach((code, a) => code !== own && code !== absent && byCode.set(code, [...(byCode.get(code) ?? []), this.agencyIds[a]!]));
      const list = [...byCode].map(([code, values]) => ({ fact: 'actor.agency', values, outcome: OUTCOME_BY_CODE[code]! }));
      changes = deepFreeze({ list, key });
      this.byOutcomes.set(key, changes);
    }
    return changes;
  }

  /**
   * The cells whose outcome the entry's `actor.agency` changes read: the actor's own and every agency offered for the
   * entry's jurisdiction and request (what `of` reads, and so what a decision's key must cover).
   */
  readCells(entry: CellEntry): readonly Cell[] {
    const cells = this.cellsOf(entry);
    const offered = this.offered(entry);
    return cells.filter((_, a) => offered[a] || a === entry.agency);
  }

  /** Every agency's cell for the entry's jurisdiction, request and segment, by agency index. */
  private cellsOf(entry: CellEntry): readonly Cell[] {
    return entry.agencyCells ?? this.agencyCells(entry);
  }

  /** Kept on each sibling entry: the agencies' cells are read together for every decision. */
  private agencyCells(entry: CellEntry): readonly Cell[] {
    const siblings = this.siblings(entry);
    const cells = Object.freeze(siblings.map((e) => e.cell));
    for (const e of siblings) e.agencyCells = cells;
    return cells;
  }
}

/**
 * Two frozen lists as one frozen list; either itself when the other is empty (both are shared parts, and frozen).
 * Copied by hand: `concat` of frozen arrays takes V8's slow generic path, which cost a full decision a tenth of its time.
 */
export function joined<T>(first: readonly T[], second: readonly T[]): readonly T[] {
  const n = first.length, m = second.length;
  if (m === 0) return first;
  if (n === 0) return second;
  const out = new Array<T>(n + m);
  for (let i = 0; i < n; i++) out[i] = first[i]!;
  for (let i = 0; i < m; i++) out[n + i] = second[i]!;
  return Object.freeze(out);
}

/** Freezes a value and everything it holds (typed arrays excepted: they cannot be frozen and are never handed out). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
