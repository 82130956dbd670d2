// The finite scenario space the analyses walk: per actor (jurisdiction, agency) and request, every combination of the
// facts the engine reads, with the request's other relevant facts left as "any" (they cannot change the outcome).
import type { Engine } from '../engine/engine.js';
import { mergeCubes, type Cube } from '../engine/cubes.js';
import type { Outcome } from '../engine/decision.js';
import { UNKNOWN, type Scenario, type ScenarioJson } from '../vocabulary/scenario.js';
import { factValueJson, type Fact, type Vocabulary } from '../vocabulary/vocabulary.js';

/** One side of a comparison: an engine (corpus + what-if), an actor's jurisdiction and a date. */
export interface Side {
  readonly engine: Engine;
  readonly jurisdiction: string;
  readonly date: string;
  /** How a person names this side ("Montgomery County", "Howard County with howard-cb9-2017 assumed in force"). */
  readonly label: string;
}

/** Which agencies and requests to walk (default: every one in the vocabulary). */
export interface Selection {
  readonly agencies?: readonly string[] | undefined;
  readonly requests?: readonly string[] | undefined;
}

export function agenciesOf(vocab: Vocabulary, sel: Selection = {}): readonly string[] {
  return sel.agencies?.length ? vocab.agencyIds.filter((a) => sel.agencies!.includes(a)) : vocab.agencyIds;
}

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

export function emptyFacts(vocab: Vocabulary): Int8Array {
  return new Int8Array(vocab.facts.length).fill(UNKNOWN);
}

export function scenarioOf(jurisdiction: string, agency: string, request: string, date: string, facts: Int8Array): Scenario {
  return { date, jurisdiction, agency, request, facts };
}

/** The scenario in contract form; facts at UNKNOWN (-1) are left out (the engine reads none of them for this cell). */
export function scenarioJson(engine: Engine, s: Scenario): ScenarioJson {
  return engine.codec.toJson(s);
}

/** Outcome and governing provisions (`<instrument>#<provision>`) exactly as `decide` returns them. */
export function decided(engine: Engine, s: Scenario): { outcome: Outcome; governing: string[] } {
  const d = engine.decideScenario(s);
  return { outcome: d.outcome, governing: d.governing.map((g) => `${g.instrument}#${g.provision}`) };
}

// ---- merging vectors into readable conditions ----



function* cubePoints(cube: Cube): Generator<number[]> {
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

/** A value as a person reads it: the vocabulary label, lower-cased unless it starts with an acronym. */
export function valueLabel(fact: Fact, v: number): string {
  const label = fact.values[v]!.label;
  return /^[A-Z][A-Z0-9]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/**
 * A cube as words: "basis is a judicial warrant or a court order, unless matter is gang crime". Facts through all their
 * values are left out; a fact through more than half its values is said as "unless … is <the rest>".
 */
export function cubeText(vocab: Vocabulary, facts: readonly number[], cube: Cube): string {
  const pos: string[] = [];
  const neg: string[] = [];
  cube.forEach((vals, k) => {
    const fact = vocab.facts[facts[k]!]!;
    const n = fact.values.length;
    if (vals.length >= n) return;
    if (fact.boolean) {
      pos.push(`${fact.id.replace(/_/g, ' ')} is ${factValueJson(fact, vals[0]!)}`);
      return;
    }
    if (vals.length > n / 2) {
      const rest = fact.values.map((_, v) => v).filter((v) => !vals.includes(v));
      neg.push(`${fact.id.replace(/_/g, ' ')} is ${rest.map((v) => valueLabel(fact, v)).join(' or ')}`);
    } else {
      pos.push(`${fact.id.replace(/_/g, ' ')} is ${vals.map((v) => valueLabel(fact, v)).join(' or ')}`);
    }
  });
  const parts: string[] = [];
  if (pos.length) parts.push(`when ${pos.join(' and ')}`);
  if (neg.length) parts.push(`unless ${neg.join(', or ')}`);
  return parts.length ? parts.join(', ') : 'in every case';
}

/** The action of a request in words, from the vocabulary ("ask a person about citizenship, …"). */
export function actionText(vocab: Vocabulary, request: string): string {
  const term = vocab.requests.find((r) => r.id === request);
  const text = (term?.description ?? request).replace(/\.$/, '').replace(/\s*\(.*\)$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function agencyLabel(vocab: Vocabulary, agencies: readonly string[]): string {
  const names = agencies.map((a) => {
    const label = vocab.agencies.find((t) => t.id === a)?.label ?? a;
    return a === 'executive' ? 'other executive departments' : a === 'sheriff' ? 'sheriff' : a === 'corrections' ? 'corrections' : a === 'school' ? 'schools' : label.toLowerCase();
  });
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function jurisdictionName(engine: Engine, id: string): string {
  return engine.corpus.jurisdictions.get(id)?.name ?? id;
}

/** Jurisdiction ids: the one given and, with `descendants`, every one below it, in id order. */
export function jurisdictionsUnder(engine: Engine, id: string, descendants: boolean): string[] {
  const all = [...engine.corpus.jurisdictions.keys()].sort();
  return all.filter((j) => j === id || (descendants && j.startsWith(`${id}/`)));
}
