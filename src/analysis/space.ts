// The finite scenario space the analyses walk: per actor (jurisdiction, agency) and request, every combination of the
// facts the engine reads, with the request's other relevant facts left as "any" (they cannot change the outcome).
import type { Engine } from '../engine/engine.js';
import { mergeCubes, type Cube } from '../engine/cubes.js';
import type { Outcome } from '../engine/decision.js';
import { UNKNOWN, type Scenario } from '../vocabulary/scenario.js';
import { factValueJson, type Fact, type Vocabulary } from '../vocabulary/model.js';

/** One side of a comparison: an engine (corpus + what-if), an actor's jurisdiction and a date. */
export interface Side {
  readonly engine: Engine;
  readonly jurisdiction: string;
  readonly date: string;
  /** What naming this side must say to tell it from the other (the presentation layer words it). */
  readonly name: SideName;
}

/**
 * What a side's name says besides its jurisdiction and its engine's what-if (always said when there is one):
 * "Frederick County on 2025-06-01", "Howard County with howard-cb9-2017 in force".
 */
export interface SideName {
  /** Say the date: the sides differ by date. */
  readonly dated?: boolean;
  /** An instrument of another jurisdiction treated as adopted by this side's (a model for `gaps`); assumed in force. */
  readonly adopted?: string;
}

/** Which agencies and requests to walk (default: every one in the vocabulary). */
export interface Selection {
  readonly agencies?: readonly string[] | undefined;
  readonly requests?: readonly string[] | undefined;
}

/** The agencies a selection covers (every agency when it names none). */
export function agenciesOf(vocab: Vocabulary, sel: Selection = {}): readonly string[] {
  return sel.agencies?.length ? vocab.agencyIds.filter((a) => sel.agencies!.includes(a)) : vocab.agencyIds;
}

/** The requests a selection covers (every request when it names none). */
export function requestsOf(vocab: Vocabulary, sel: Selection = {}): readonly string[] {
  return sel.requests?.length ? vocab.requestIds.filter((r) => sel.requests!.includes(r)) : vocab.requestIds;
}

/** Sorted union of fact index lists. */
export function unionFacts(...lists: readonly (readonly number[])[]): number[] {
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}

/**
 * Every vector over `facts` (each fact through all its values; other positions as in `base`), first fact slowest.
 * Yields the same array each time, mutated: copy it to keep it.
 */
export function* points(vocab: Vocabulary, facts: readonly number[], base: Int8Array): Generator<Int8Array> {
  const v = Int8Array.from(base);
  const counts = facts.map((f) => vocab.facts[f]!.values.length);
  for (const f of facts) v[f] = 0;
  if (counts.some((c) => c === 0)) return;
  for (;;) {
    yield v;
    let k = facts.length - 1;
    while (k >= 0) {
      const f = facts[k]!;
      if (v[f]! + 1 < counts[k]!) {
        v[f] = v[f]! + 1;
        break;
      }
      v[f] = 0;
      k--;
    }
    if (k < 0) return;
  }
}

/** Number of concrete scenarios a vector stands for: the product of the value counts of `anyFacts`. */
export function multiplicity(vocab: Vocabulary, anyFacts: readonly number[]): number {
  return anyFacts.reduce((n, f) => n * vocab.facts[f]!.values.length, 1);
}

/** A fact vector with every fact unknown. */
export function emptyFacts(vocab: Vocabulary): Int8Array {
  return new Int8Array(vocab.facts.length).fill(UNKNOWN);
}

/** A validated scenario from its parts. */
export function scenarioOf(jurisdiction: string, agency: string, request: string, date: string, facts: Int8Array): Scenario {
  return { date, jurisdiction, agency, request, facts };
}

/** Outcome and governing provisions (`<instrument>#<provision>`) exactly as `decide` returns them. */
export function decided(engine: Engine, s: Scenario): { outcome: Outcome; governing: string[] } {
  const d = engine.rulingScenario(s);
  return { outcome: d.outcome, governing: d.governing.map((g) => `${g.instrument}#${g.provision}`) };
}

// ---- merging vectors into conditions ----

/** Every point of a cube (value indices per position), last position fastest. */
export function* cubePoints(cube: Cube): Generator<number[]> {
  const at = cube.map(() => 0);
  for (;;) {
    yield cube.map((vals, k) => vals[at[k]!]!);
    let k = cube.length - 1;
    while (k >= 0 && ++at[k]! >= cube[k]!.length) at[k--] = 0;
    if (k < 0) return;
  }
}

/**
 * A short cover of the points by cubes: the disjoint cover of mergeCubes, each cube then grown as far as it stays
 * inside the points (so cubes may overlap), redundant cubes dropped. `count` is the number of points a cube adds to
 * those before it, so the counts sum to the number of points.
 */
export function coverCubes(pointsIn: readonly (readonly number[])[], valueCounts: readonly number[]): { cube: Cube; count: number }[] {
  if (!pointsIn.length) return [];
  const key = (p: readonly number[]) => p.join(',');
  const inside = new Set(pointsIn.map(key));
  const grown = mergeCubes(pointsIn).map((cube) => {
    for (let changed = true; changed; ) {
      changed = false;
      for (let u = 0; u < cube.length; u++) {
        for (let v = 0; v < valueCounts[u]!; v++) {
          if (cube[u]!.includes(v)) continue;
          const probe = cube.map((vals, w) => (w === u ? [v] : vals));
          let all = true;
          for (const p of cubePoints(probe)) if (!inside.has(key(p))) { all = false; break; }
          if (all) {
            cube[u] = [...cube[u]!, v].sort((a, b) => a - b);
            changed = true;
          }
        }
      }
    }
    return cube;
  });
  const size = (c: Cube) => c.reduce((n, vals) => n * vals.length, 1);
  const unique = [...new Map(grown.map((c) => [JSON.stringify(c), c])).values()].sort((a, b) => size(b) - size(a));
  const covered = new Set<string>();
  const out: { cube: Cube; count: number }[] = [];
  for (const cube of unique) {
    let count = 0;
    for (const p of cubePoints(cube)) {
      const k = key(p);
      if (!covered.has(k)) {
        covered.add(k);
        count++;
      }
    }
    if (count) out.push({ cube, count });
  }
  return out;
}

/**
 * A set of scenarios in positive terms: each fact named takes one of the values listed (as written in a scenario); a
 * fact not named may take any value. `{}` is every scenario. The same shape as a `depends_on` branch's alternatives.
 */
export type Condition = Readonly<Record<string, readonly (string | boolean)[]>>;

/** A cube over `facts` (value indices per position) as a Condition; facts through all their values are left out. */
export function cubeCondition(vocab: Vocabulary, facts: readonly number[], cube: Cube): Condition {
  const out: Record<string, (string | boolean)[]> = {};
  cube.forEach((vals, k) => {
    const fact = vocab.facts[facts[k]!]!;
    if (vals.length >= fact.values.length) return;
    out[fact.id] = [...vals].sort((a, b) => a - b).map((v) => factValueJson(fact, v));
  });
  return out;
}


/** Jurisdiction ids: the one given and, with `descendants`, every one below it, in id order. */
export function jurisdictionsUnder(engine: Engine, id: string, descendants: boolean): string[] {
  const all = [...engine.corpus.jurisdictions.keys()].sort();
  return all.filter((j) => j === id || (descendants && j.startsWith(`${id}/`)));
}
