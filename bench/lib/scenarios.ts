// Seeded scenario generators: the same seed gives the same scenarios, for every contender and every run.
import type { ScenarioJson } from '../../src/vocabulary/scenario.js';
import type { Fact, Vocabulary } from '../../src/vocabulary/vocabulary.js';
import { seededRandom } from '../../src/replay/synthetic.js';

export type Rng = () => number;

/** mulberry32, the one seeded generator the synthetic detainer files also use. */
export const mulberry32: (seed: number) => Rng = seededRandom;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const DAY = 86_400_000;

/** A uniformly random day between Jan 1 of `fromYear` and Dec 31 of `toYear`, as YYYY-MM-DD. */
export function randomDate(rng: Rng, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const days = Math.round((Date.UTC(toYear, 11, 31) - from) / DAY) + 1;
  return new Date(from + Math.floor(rng() * days) * DAY).toISOString().slice(0, 10);
}

/** A fact value as a scenario writes it: the value id, or a JSON boolean for a boolean fact. */
export function factJson(fact: Fact, index: number): string | boolean {
  const id = fact.values[index]!.id;
  return fact.boolean ? id === 'true' : id;
}

export interface CorpusScenarioOptions {
  /** Chance that a fact is left out. */
  readonly omit: number;
  /** Chance that a fact is given as "unknown". */
  readonly unknown: number;
  readonly fromYear: number;
  readonly toYear: number;
}

export const corpusScenarioDefaults: CorpusScenarioOptions = { omit: 0.25, unknown: 0.1, fromYear: 2008, toYear: 2026 };

/**
 * Valid contract scenarios over every jurisdiction, agency and request, dated 2008–2026, with each fact
 * independently omitted, "unknown" or a uniformly random value.
 */
export function corpusScenarios(
  n: number, seed: number, vocab: Vocabulary, jurisdictions: readonly string[], options: CorpusScenarioOptions = corpusScenarioDefaults,
): ScenarioJson[] {
  const rng = mulberry32(seed);
  const out: ScenarioJson[] = [];
  for (let i = 0; i < n; i++) {
    const s: ScenarioJson = {
      date: randomDate(rng, options.fromYear, options.toYear),
      actor: { jurisdiction: pick(rng, jurisdictions), agency: pick(rng, vocab.agencyIds) },
      request: pick(rng, vocab.requestIds),
    };
    for (const fact of vocab.facts) {
      const r = rng();
      if (r < options.omit) continue;
      s[fact.id] = r < options.omit + options.unknown ? 'unknown' : factJson(fact, Math.floor(rng() * fact.values.length));
    }
    out.push(s);
  }
  return out;
}

export const PEER_JURISDICTION = 'us/md/example-county';

/**
 * Scenarios for the peer comparison: an Example County actor of any agency; 40% holds, 40% assistance requests,
 * 20% any request; every fact known (the peers have no notion of "unknown"), so the outcome is one of
 * permitted, prohibited or no_rule.
 */
export function peerScenarios(n: number, seed: number, vocab: Vocabulary): ScenarioJson[] {
  const rng = mulberry32(seed);
  const out: ScenarioJson[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng();
    const s: ScenarioJson = {
      date: randomDate(rng, 2008, 2026),
      actor: { jurisdiction: PEER_JURISDICTION, agency: pick(rng, vocab.agencyIds) },
      request: r < 0.4 ? 'detain_past_release' : r < 0.8 ? 'assist_enforcement' : pick(rng, vocab.requestIds),
    };
    for (const fact of vocab.facts) s[fact.id] = factJson(fact, Math.floor(rng() * fact.values.length));
    out.push(s);
  }
  return out;
}
