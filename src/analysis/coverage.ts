// `trustrules coverage`: which provisions the policy tests exercise, and which parts of the scenario space (the rows
// of each jurisdiction's table on a date) some test case falls in.
import type { Corpus } from '../policy/corpus.js';
import { ScenarioError, type Scenario } from '../vocabulary/scenario.js';
import type { Engines } from './params.js';
import { runPolicyTests } from './policyTests.js';
import { agenciesOf, emptyFacts, points, requestsOf, scenarioOf } from './space.js';

/** One jurisdiction and request: its table rows on the date, how many a test exercises, and the outcomes seen. */
export interface SpaceCoverage {
  readonly jurisdiction: string;
  readonly request: string;
  /** Table rows (distinct combinations of the facts read) over every agency on the date. */
  readonly rows: number;
  readonly exercised: number;
  /** Outcomes reached by some row, and those reached by an exercised row. */
  readonly outcomes: readonly string[];
  readonly outcomesExercised: readonly string[];
}

/** What the policy tests exercise: provisions that govern in some case, and table rows of the scenario space. */
export interface CoverageReport {
  readonly at: string;
  readonly provisions: { readonly total: number; readonly exercised: number; readonly untested: readonly string[] };
  readonly space: readonly SpaceCoverage[];
  readonly rows: number;
  readonly rowsExercised: number;
}

/**
 * Provisions: those that govern (or decide a `depends` branch) in some test case, as `trustrules check` counts them.
 * Space: for every jurisdiction with instruments of its own (or `jurisdictions`), each request's table rows on `at`; a
 * row is exercised when a test case without what-ifs, for the same actor and request, dated in the same one of the
 * engine's segments for that jurisdiction and request as `at` (so decided by the same provisions), matches it (a fact
 * the test leaves unknown matches every value).
 */
export function coverage(corpus: Corpus, pool: Engines, at: string, jurisdictions?: readonly string[]): CoverageReport {
  const run = runPolicyTests(corpus, { pool });
  const provisionRefs = [...corpus.provisions.keys()].sort();
  const engine = pool.get();
  const vocab = engine.vocabulary;
  const tests: Scenario[] = [];
  for (const suite of corpus.tests) {
    for (const c of suite.cases) {
      if (c.assumeInForce.length || c.assumeNotInForce.length) continue;
      try {
        const s = engine.codec.parse(c.scenario);
        const dates = engine.segmentDates(s.jurisdiction, s.request);
        if (engine.segmentOf(s.date, dates) === engine.segmentOf(at, dates)) tests.push(s);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
      }
    }
  }
  const places = jurisdictions ?? [...new Set([...corpus.instruments.values()].map((i) => i.jurisdiction))].sort();
  const space: SpaceCoverage[] = [];
  const base = emptyFacts(vocab);
  for (const jurisdiction of places) {
    for (const request of requestsOf(vocab)) {
      let rows = 0, exercised = 0;
      const outcomes = new Set<string>(), outcomesExercised = new Set<string>();
      for (const agency of agenciesOf(vocab)) {
        if (!engine.offers(jurisdiction, agency, request)) continue;
        const mine = tests.filter((t) => t.jurisdiction === jurisdiction && t.agency === agency && t.request === request);
        const read = engine.factsRead(jurisdiction, agency, request, at);
        for (const p of points(vocab, read, base)) {
          rows++;
          const o = engine.outcome(scenarioOf(jurisdiction, agency, request, at, p));
          outcomes.add(o);
          if (mine.some((t) => read.every((f) => t.facts[f] === -1 || t.facts[f] === p[f]))) {
            exercised++;
            outcomesExercised.add(o);
          }
        }
      }
      space.push({ jurisdiction, request, rows, exercised, outcomes: [...outcomes].sort(), outcomesExercised: [...outcomesExercised].sort() });
    }
  }
  return {
    at,
    provisions: { total: provisionRefs.length, exercised: provisionRefs.filter((r) => run.exercised.has(r)).length, untested: provisionRefs.filter((r) => !run.exercised.has(r)) },
    space,
    rows: space.reduce((n, s) => n + s.rows, 0),
    rowsExercised: space.reduce((n, s) => n + s.exercised, 0),
  };
}
