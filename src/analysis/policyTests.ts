// Runs the policy tests that sit beside each instrument (<id>.test.yaml) and records which provisions they exercise.
import type { Corpus, PolicyCase, PolicyTestSuite } from '../policy/corpus.js';
import type { Position } from '../policy/diagnostics.js';
import { Engine } from '../engine/engine.js';
import { ScenarioError } from '../vocabulary/scenario.js';
import type { Engines } from './params.js';

/** One policy test case run: passed or not, what the engine said, and where the case is written. */
export interface CaseResult {
  readonly suite: PolicyTestSuite;
  readonly case: PolicyCase;
  readonly passed: boolean;
  readonly actual?: { readonly outcome: string; readonly governing: readonly string[] };
  readonly problem?: string;
  readonly position: Position;
}

/** Every case run, the counts, and the provisions the cases exercise. */
export interface PolicyTestRun {
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  /** Provision refs that govern in (or whose branch decides) at least one test case. */
  readonly exercised: ReadonlySet<string>;
}

/** An engine per what-if, shared by every case that assumes the same thing. */
export class EnginePool {
  private readonly engines = new Map<string, Engine>();
  constructor(readonly corpus: Corpus) {}
  get(assumeInForce: readonly string[] = [], assumeNotInForce: readonly string[] = []): Engine {
    const key = JSON.stringify([[...assumeInForce].sort(), [...assumeNotInForce].sort()]);
    let engine = this.engines.get(key);
    if (!engine) {
      engine = new Engine(this.corpus, { assumeInForce, assumeNotInForce });
      this.engines.set(key, engine);
    }
    return engine;
  }
  /** Forgets what every engine of the pool compiled for a jurisdiction (Engine.releaseJurisdiction). */
  releaseJurisdiction(jurisdiction: string): void {
    for (const engine of this.engines.values()) engine.releaseJurisdiction(jurisdiction);
  }
}

/** How to run the policy tests. */
export interface PolicyTestOptions {
  /** Only cases whose instrument id or name contains this. */
  readonly filter?: string;
  readonly pool?: Engines;
  /**
   * Run the cases one actor's jurisdiction at a time, in id order (results still in the corpus's order), calling this
   * before each jurisdiction's cases, so that a caller walking a large corpus can let go of what the others compiled.
   */
  readonly eachJurisdiction?: (jurisdiction: string) => void;
}

/** Runs every policy test case of the corpus (those whose instrument id or name contains `filter`, if given). */
export function runPolicyTests(corpus: Corpus, options: PolicyTestOptions = {}): PolicyTestRun {
  const pool = options.pool ?? new EnginePool(corpus);
  const cases: { suite: PolicyTestSuite; case: PolicyCase }[] = [];
  for (const suite of corpus.tests) {
    for (const c of suite.cases) {
      if (options.filter && !`${suite.instrument} ${c.name}`.includes(options.filter)) continue;
      cases.push({ suite, case: c });
    }
  }
  const results: CaseResult[] = new Array<CaseResult>(cases.length);
  const exercised = new Set<string>();
  const each = options.eachJurisdiction;
  if (!each) cases.forEach((c, i) => (results[i] = runCase(pool, c.suite, c.case, exercised)));
  else {
    const byJurisdiction = new Map<string, number[]>();
    cases.forEach((c, i) => {
      const j = String((c.case.scenario['actor'] as { jurisdiction?: unknown } | undefined)?.jurisdiction ?? '');
      const at = byJurisdiction.get(j);
      if (at) at.push(i);
      else byJurisdiction.set(j, [i]);
    });
    for (const [jurisdiction, at] of [...byJurisdiction].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      each(jurisdiction);
      for (const i of at) results[i] = runCase(pool, cases[i]!.suite, cases[i]!.case, exercised);
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed, exercised };
}

function runCase(pool: Engines, suite: PolicyTestSuite, c: PolicyCase, exercised: Set<string>): CaseResult {
  const base = { suite, case: c, position: c.position };
  let engine: Engine;
  try {
    engine = pool.get(c.assumeInForce, c.assumeNotInForce);
  } catch (e) {
    return { ...base, passed: false, problem: (e as Error).message };
  }
  let decision;
  try {
    decision = engine.ruling(c.scenario);
  } catch (e) {
    if (e instanceof ScenarioError) return { ...base, passed: false, problem: `bad scenario: ${e.message} (given ${JSON.stringify(e.error.given)})` };
    throw e;
  }
  const governing = decision.governing.map((g) => `${g.instrument}#${g.provision}`);
  for (const g of governing) exercised.add(g);
  for (const b of decision.depends_on ?? []) for (const g of b.governing) exercised.add(g);
  const actual = { outcome: decision.outcome, governing };
  const problems: string[] = [];
  if (decision.outcome !== c.expect.outcome) problems.push(`expected ${c.expect.outcome}, got ${decision.outcome}`);
  const missing = c.expect.governing.filter((g) => !governing.includes(g));
  if (missing.length) problems.push(`expected governing ${missing.join(', ')}; governing was ${governing.join(', ') || 'none'}`);
  const branchGoverning = (decision.depends_on ?? []).flatMap((b) => b.governing);
  const wrong = c.expect.notGoverning.filter((g) => governing.includes(g) || branchGoverning.includes(g));
  if (wrong.length) problems.push(`expected ${wrong.join(', ')} not to govern; governing was ${governing.join(', ')}${branchGoverning.length ? ` (in its branches: ${[...new Set(branchGoverning)].join(', ')})` : ''}`);
  return problems.length ? { ...base, passed: false, actual, problem: problems.join('; ') } : { ...base, passed: true, actual };
}
