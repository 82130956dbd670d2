// For the guide's tests: the rule "never ask a question whose answer could not change the outcome" as a brute-force
// oracle over every fact the vocabulary lets the request read, and real Maryland cases taken from the policy tests.
import type { Outcome } from '../../engine/decision.js';
import type { Engine } from '../../engine/engine.js';
import type { Fact } from '../../vocabulary/model.js';
import type { ScenarioJson } from '../../vocabulary/scenario.js';
import { agenciesOf } from '../guide/flow.js';

const valueJson = (f: Fact, id: string): string | boolean => (f.boolean ? id === 'true' : id);

/**
 * Whether `fact` can change the outcome of `scenario`: some filling-in of the request's other open facts (not given,
 * or given as unknown) where two answers to `fact` decide differently.
 */
export function canChange(engine: Engine, scenario: ScenarioJson, fact: Fact): boolean {
  const open = engine.vocabulary.factsFor(scenario.request).filter((f) => f.id !== fact.id && (scenario[f.id] === undefined || scenario[f.id] === 'unknown'));
  const fill = (i: number, s: ScenarioJson): boolean => {
    if (i === open.length) {
      const seen = new Set<Outcome>();
      for (const v of fact.values) seen.add(engine.outcome(engine.codec.fromTrusted({ ...s, [fact.id]: valueJson(fact, v.id) })));
      return seen.size > 1;
    }
    const f = open[i]!;
    return f.values.some((v) => fill(i + 1, { ...s, [f.id]: valueJson(f, v.id) }));
  };
  return fill(0, scenario);
}

/** A real case: a policy test's scenario and name. */
export interface GuideCase {
  readonly name: string;
  readonly file: string;
  readonly scenario: ScenarioJson;
}

/**
 * Up to `count` Maryland cases from the policy tests beside the instruments, a few from each file in turn (so every
 * instrument's tests are drawn from before any gives a second): no what-if, an office the guide offers that place.
 */
export function guideCases(engine: Engine, count: number): GuideCase[] {
  const suites = engine.corpus.tests.map((suite) => suite.cases.filter((c) => {
    const s = c.scenario as ScenarioJson;
    const j = engine.corpus.jurisdictions.get(s.actor?.jurisdiction);
    return j && (j.id === 'us/md' || j.id.startsWith('us/md/')) && !c.assumeInForce.length && !c.assumeNotInForce.length
      && agenciesOf(engine, j).agencies.includes(s.actor.agency);
  }).map((c) => ({ name: c.name, file: suite.file, scenario: c.scenario as ScenarioJson })));
  const out: GuideCase[] = [];
  for (let round = 0; out.length < count && suites.some((s) => s.length > round); round++) {
    for (const s of suites) if (s[round] && out.length < count) out.push(s[round]!);
  }
  return out;
}
