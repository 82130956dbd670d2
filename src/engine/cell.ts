// One compiled cell: the provisions that can bind an actor (jurisdiction, agency) for one request on one stretch
// of dates, and the rules of contract 3.2 applied to them for any fact vector, memoised by vector index.
import type { Instrument, Provision } from '../policy/corpus.js';
import { outcomes, type Outcome } from './decision.js';

/** Effects as numbers, for the evaluation loops and the voids bit mask. */
export const PROHIBIT = 0, REQUIRE = 1, PERMIT = 2;
/** An effect's number. */
export const effectCode = { prohibit: PROHIBIT, require: REQUIRE, permit: PERMIT } as const;

/** Roles as numbers for the evaluation arrays. */
export const GOVERNS = 0, NOT_APPLICABLE = 1, DEFEATED = 2, VOIDED = 3, OUTRANKED = 4, SUBORDINATE = 5;

/** A provision that binds the cell's actor, in the form the evaluation reads. */
export interface CandidateProvision {
  readonly provision: Provision;
  readonly instrument: Instrument;
  readonly level: number;
  readonly authority: number;
  readonly effect: number;
  /** Alternatives of the `when`: each a flat list [factIndex, valueMask, factIndex, valueMask, …]. */
  readonly alternatives: readonly Int32Array[];
  /** Candidate indices this provision is an exception to. */
  readonly defeats: readonly number[];
  /** Bit mask of effects this provision voids at lower levels. */
  readonly voids: number;
}

/** The result for a fact vector with every read fact known. */
export interface Evaluation {
  readonly outcome: Outcome;
  /** Candidate indices that govern, highest authority first. */
  readonly governing: readonly number[];
  /** Role of each candidate (GOVERNS…), and the candidate responsible for it (-1 when none). */
  readonly roles: Uint8Array;
  readonly by: Int16Array;
}

/** A cell: its candidates, the facts they read, and memoised outcomes and evaluations by fact vector index. */
export class Cell {
  /** Vocabulary fact indices read by some candidate, ascending. */
  readonly readFacts: readonly number[];
  /** Mixed-radix strides of the fact vector index: value index + 1, 0 meaning unknown. */
  readonly stride: readonly number[];
  readonly size: number;
  private readonly outcomeCodes: Int8Array;
  private readonly evaluations = new Map<number, Evaluation>();

  constructor(readonly candidates: readonly CandidateProvision[], readonly valueCounts: readonly number[]) {
    const read = new Set<number>();
    for (const c of candidates) for (const alt of c.alternatives) for (let i = 0; i < alt.length; i += 2) read.add(alt[i]!);
    this.readFacts = [...read].sort((a, b) => a - b);
    const stride: number[] = [];
    let size = 1;
    for (const f of this.readFacts) {
      stride.push(size);
      size *= valueCounts[f]! + 1;
    }
    this.stride = stride;
    this.size = size;
    this.outcomeCodes = new Int8Array(size).fill(-1);
  }

  /** The index of a fact vector (-1 = unknown) in this cell's tables. */
  index(facts: Int8Array): number {
    let idx = 0;
    const read = this.readFacts;
    for (let k = 0; k < read.length; k++) idx += this.stride[k]! * (facts[read[k]!]! + 1);
    return idx;
  }

  /** The read facts' value at `index` (-1 unknown), by position in readFacts. */
  valuesAt(index: number): number[] {
    return this.readFacts.map((f, k) => (Math.floor(index / this.stride[k]!) % (this.valueCounts[f]! + 1)) - 1);
  }

  /** Every complete index obtained by filling the unknown read facts of `index`. */
  completions(index: number): number[] {
    let out = [index];
    const values = this.valuesAt(index);
    values.forEach((v, k) => {
      if (v !== -1) return;
      const count = this.valueCounts[this.readFacts[k]!]!;
      const next: number[] = [];
      for (const base of out) for (let x = 1; x <= count; x++) next.push(base + x * this.stride[k]!);
      out = next;
    });
    return out;
  }

  /** Outcome only, memoised: the shared outcome of every completion, or depends. */
  outcome(index: number): Outcome {
    return OUTCOME_BY_CODE[this.outcomeCode(index)]!;
  }

  /** The outcome's code (CODE_BY_OUTCOME), memoised. */
  outcomeCode(index: number): number {
    const code = this.outcomeCodes[index]!;
    if (code >= 0) return code;
    const completions = this.completions(index);
    let shared: Outcome | undefined;
    for (const c of completions) {
      const o = this.evaluate(c).outcome;
      if (shared === undefined) shared = o;
      else if (shared !== o) {
        shared = 'depends';
        break;
      }
    }
    return (this.outcomeCodes[index] = CODE_BY_OUTCOME[shared!]);
  }

  /** The outcome code of every fact vector index, all filled in; the cell's own table, not to be written to. */
  outcomeTable(): Int8Array {
    for (let i = 0; i < this.size; i++) this.outcomeCode(i);
    return this.outcomeCodes;
  }

  /** Contract 3.2 on a complete fact vector. */
  evaluate(index: number): Evaluation {
    const cached = this.evaluations.get(index);
    if (cached) return cached;
    const values = this.valuesAt(index);
    const factValue = new Map(this.readFacts.map((f, k) => [f, values[k]!]));
    const n = this.candidates.length;
    const roles = new Uint8Array(n).fill(NOT_APPLICABLE);
    const by = new Int16Array(n).fill(-1);
    // 1. applicability
    const applies = this.candidates.map((c) => holds(c, factValue));
    applies.forEach((a, i) => a && (roles[i] = GOVERNS));
    // 2. exceptions: a provision with an applicable exception is defeated (nesting follows naturally).
    for (let i = 0; i < n; i++) {
      if (!applies[i]) continue;
      for (const t of this.candidates[i]!.defeats) {
        if (applies[t] && roles[t] === GOVERNS) {
          roles[t] = DEFEATED;
          by[t] = i;
        }
      }
    }
    // 3. voiding by a higher level
    for (let i = 0; i < n; i++) {
      const q = this.candidates[i]!;
      if (roles[i] !== GOVERNS || !q.voids) continue;
      for (let j = 0; j < n; j++) {
        const p = this.candidates[j]!;
        if (roles[j] === GOVERNS && p.level < q.level && q.voids & (1 << p.effect)) {
          roles[j] = VOIDED;
          by[j] = i;
        }
      }
    }
    // 4. rank among mandatory effects
    let top = -1;
    for (let i = 0; i < n; i++) {
      const c = this.candidates[i]!;
      if (roles[i] === GOVERNS && c.effect !== PERMIT && c.authority > top) top = c.authority;
    }
    let outcome: Outcome;
    let governing: number[];
    if (top >= 0) {
      const atTop = range(n).filter((i) => roles[i] === GOVERNS && this.candidates[i]!.effect !== PERMIT && this.candidates[i]!.authority === top);
      const effectsAtTop = new Set(atTop.map((i) => this.candidates[i]!.effect));
      if (effectsAtTop.size > 1) {
        outcome = 'conflict';
        governing = atTop;
      } else {
        const effect = this.candidates[atTop[0]!]!.effect;
        outcome = effect === PROHIBIT ? 'prohibited' : 'required';
        governing = range(n).filter((i) => roles[i] === GOVERNS && this.candidates[i]!.effect === effect);
      }
      const leader = atTop[0]!;
      for (let i = 0; i < n; i++) {
        if (roles[i] !== GOVERNS || governing.includes(i)) continue;
        roles[i] = this.candidates[i]!.effect === PERMIT ? SUBORDINATE : OUTRANKED;
        by[i] = leader;
      }
    } else {
      governing = range(n).filter((i) => roles[i] === GOVERNS);
      outcome = governing.length ? 'permitted' : 'no_rule';
    }
    governing.sort((a, b) => this.candidates[b]!.authority - this.candidates[a]!.authority || a - b);
    const evaluation: Evaluation = { outcome, governing, roles, by };
    this.evaluations.set(index, evaluation);
    this.outcomeCodes[index] = CODE_BY_OUTCOME[outcome];
    return evaluation;
  }
}

function holds(c: CandidateProvision, factValue: ReadonlyMap<number, number>): boolean {
  if (c.alternatives.length === 0) return true;
  outer: for (const alt of c.alternatives) {
    for (let i = 0; i < alt.length; i += 2) {
      const v = factValue.get(alt[i]!)!;
      if (!(alt[i + 1]! & (1 << v))) continue outer;
    }
    return true;
  }
  return false;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Outcome codes are positions in the one outcome list. */
export const OUTCOME_BY_CODE: readonly Outcome[] = outcomes;
/** An outcome's code: its position in the outcome list. */
export const CODE_BY_OUTCOME = Object.fromEntries(outcomes.map((o, i) => [o, i])) as Readonly<Record<Outcome, number>>;
