// The guide's questions, chosen from the engine: where the person works, which office, what they are asked, then
// only the facts whose answer could still change the outcome given the answers so far (the one that settles the
// most answers first), until the engine's outcome no longer depends on anything left to ask. Browser-safe: the
// offline guide runs this same module on the same engine.
import { points } from '../../analysis/space.js';
import type { Outcome } from '../../engine/decision.js';
import type { Engine } from '../../engine/engine.js';
import type { Jurisdiction } from '../../policy/corpus.js';
import type { Fact } from '../../vocabulary/model.js';
import { UNKNOWN, type Scenario, type ScenarioJson } from '../../vocabulary/scenario.js';

/** The query name of each identity question (contract section 9: the fact ids). */
export const identityFacts = ['actor.jurisdiction', 'actor.agency', 'request'] as const;

/** What the person has answered, as the query carries it (value ids; `unknown` for "I don't know"). */
export interface GuideAnswers {
  readonly date: string;
  readonly jurisdiction?: string;
  readonly agency?: string;
  readonly request?: string;
  /** Answered facts by id, in the order asked: a value id, `true`/`false` for boolean facts, or `unknown`. */
  readonly facts: ReadonlyMap<string, string>;
}

/** The next page of the guide. */
export type GuideStep =
  | { readonly kind: 'jurisdiction' }
  | { readonly kind: 'agency'; readonly agencies: readonly string[]; readonly derived: boolean }
  | { readonly kind: 'request' }
  | { readonly kind: 'fact'; readonly fact: Fact }
  | { readonly kind: 'answer'; readonly scenario: ScenarioJson };

/**
 * The agencies a jurisdiction has: its file's list when it gives one, else derived (and `derived` says so): a city
 * or town has no sheriff of its own, and corrections only where its file says it runs a jail.
 */
export function agenciesOf(engine: Engine, j: Jurisdiction): { agencies: readonly string[]; derived: boolean } {
  const all = engine.vocabulary.agencyIds;
  if (j.agencies?.length) return { agencies: all.filter((a) => j.agencies!.includes(a)), derived: false };
  const agencies = all.filter((a) => {
    if (a === 'sheriff') return j.kind === 'county';
    if (a === 'corrections') return j.kind === 'state' || (j.jail ? j.jail.runBy !== 'none' : j.kind === 'county');
    return true;
  });
  return { agencies, derived: true };
}

/** The scenario (contract form) of the answers, with every fact not answered left out (unknown). */
export function scenarioOf(engine: Engine, a: GuideAnswers & { jurisdiction: string; agency: string; request: string }): ScenarioJson {
  const s: ScenarioJson = { date: a.date, actor: { jurisdiction: a.jurisdiction, agency: a.agency }, request: a.request };
  for (const [id, value] of a.facts) {
    const fact = engine.vocabulary.fact(id);
    s[id] = value === 'unknown' || !fact?.boolean ? value : value === 'true';
  }
  return s;
}

/** A fact the guide could ask, with how many of its answers settle the outcome at once. */
export interface Candidate {
  readonly fact: Fact;
  /** Values of the fact that give an outcome other than `depends`, with the rest still unknown. */
  readonly settling: number;
}

/**
 * The facts not yet answered whose answer could change the outcome: those for which two fillings-in of every
 * unknown fact the engine reads, differing only in that fact, give different outcomes. Facts answered "I don't
 * know" stay unknown (filled in every way) and are not asked again.
 */
export function questionsThatMatter(engine: Engine, s: Scenario, answered: ReadonlySet<string>): Candidate[] {
  const vocab = engine.vocabulary;
  const unknown = engine.factsRead(s.jurisdiction, s.agency, s.request, s.date).filter((f) => s.facts[f] === UNKNOWN);
  if (!unknown.length) return [];
  const askable = unknown.filter((f) => !answered.has(vocab.facts[f]!.id));
  if (!askable.length) return [];
  // Every filling-in of the unknown facts, with its outcome (the engine's fast path).
  const filled: { values: number[]; outcome: Outcome }[] = [];
  for (const v of points(vocab, unknown, s.facts)) {
    filled.push({ values: unknown.map((f) => v[f]!), outcome: engine.outcome({ ...s, facts: v }) });
  }
  const out: Candidate[] = [];
  askable.forEach((f) => {
    const at = unknown.indexOf(f);
    const byRest = new Map<string, Outcome>();
    let matters = false;
    for (const p of filled) {
      const key = p.values.filter((_, i) => i !== at).join(',');
      const seen = byRest.get(key);
      if (seen === undefined) byRest.set(key, p.outcome);
      else if (seen !== p.outcome) {
        matters = true;
        break;
      }
    }
    if (!matters) return;
    const fact = vocab.facts[f]!;
    let settling = 0;
    for (let i = 0; i < fact.values.length; i++) {
      const facts = Int8Array.from(s.facts);
      facts[f] = i;
      if (engine.outcome({ ...s, facts }) !== 'depends') settling++;
    }
    out.push({ fact, settling });
  });
  return out;
}

/** The next question: the one that settles the outcome for the most answers (vocabulary order breaks ties). */
export function bestQuestion(candidates: readonly Candidate[]): Fact | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || c.settling > best.settling) best = c;
  return best?.fact;
}

/** What the guide shows next for these answers. */
export function nextStep(engine: Engine, a: GuideAnswers): GuideStep {
  if (!a.jurisdiction) return { kind: 'jurisdiction' };
  const j = engine.corpus.jurisdictions.get(a.jurisdiction)!;
  if (!a.agency) {
    const { agencies, derived } = agenciesOf(engine, j);
    return { kind: 'agency', agencies, derived };
  }
  if (!a.request) return { kind: 'request' };
  const scenario = scenarioOf(engine, { ...a, jurisdiction: a.jurisdiction, agency: a.agency, request: a.request });
  const s = engine.codec.parse(scenario);
  if (engine.outcome(s) !== 'depends') return { kind: 'answer', scenario };
  const fact = bestQuestion(questionsThatMatter(engine, s, new Set(a.facts.keys())));
  return fact ? { kind: 'fact', fact } : { kind: 'answer', scenario };
}
