// `trustrules check`: policy-file errors, provisions that can never govern, provisions no test exercises, scenarios
// decided `conflict` (with the provisions), and facts no provision reads.
import { jurisdictionAgencies, type Corpus, type Provision } from '../policy/corpus.js';
import { conflictDiagnostics, unreadFactDiagnostics } from './conflicts.js';
import type { Diagnostic } from '../policy/diagnostics.js';
import { EnginePool, runPolicyTests } from './policyTests.js';
import { jurisdictionTextDiagnostics, provisionTextDiagnostics } from '../policy/quotes.js';

/** What `trustrules check` found beyond loading: findings, acknowledged findings, and failed policy tests. */
export interface CheckReport {
  readonly diagnostics: readonly Diagnostic[];
  /** Findings a provision's `acknowledge` declares known and intended, with the reason; not failures. */
  readonly acknowledged: readonly Diagnostic[];
  readonly testsFailed: number;
}

/** Findings beyond schema and references (which loading already reports). */
export function checkCorpus(corpus: Corpus): CheckReport {
  const pool = new EnginePool(corpus);
  const engine = pool.get();
  const diagnostics: Diagnostic[] = [];
  const acknowledged: Diagnostic[] = [];
  const run = runPolicyTests(corpus, { pool });
  const report = (p: Provision, d: Diagnostic & { code: 'unreachable' | 'untested' }) => {
    const reason = p.acknowledge?.[d.code];
    if (reason) acknowledged.push({ ...d, message: `${d.message} — acknowledged: ${reason}` });
    else diagnostics.push(d);
  };
  for (const ins of corpus.instruments.values()) {
    const everInForce = ins.binding && ins.inForce.length > 0;
    for (const p of ins.provisions) {
      if (everInForce && !engine.canGovern(p.ref)) {
        report(p, {
          severity: 'warning', code: 'unreachable', position: p.position,
          message: `provision ${p.ref} never governs any scenario while in force (always defeated, voided or outranked, or its conditions never hold for an actor it binds)`,
        });
      }
      if (!run.exercised.has(p.ref)) {
        report(p, {
          severity: 'warning', code: 'untested', position: p.position,
          message: `no policy test has ${p.ref} governing; add a case to ${ins.id}.test.yaml`,
        });
      }
    }
  }
  diagnostics.push(...provisionTextDiagnostics(corpus));
  diagnostics.push(...jurisdictionTextDiagnostics(corpus));
  diagnostics.push(...actorAgencyDiagnostics(corpus, engine.vocabulary.agencyIds));
  diagnostics.push(...conflictDiagnostics(engine));
  diagnostics.push(...unreadFactDiagnostics(engine.vocabulary, corpus.provisions.values()));
  for (const r of run.results.filter((x) => !x.passed)) {
    diagnostics.push({ severity: 'error', code: 'test-failed', position: r.position, message: `${r.suite.instrument}: "${r.case.name}": ${r.problem}` });
  }
  return { diagnostics, acknowledged, testsFailed: run.failed };
}

/**
 * Policy test cases whose actor works for an agency their jurisdiction does not have (a Kent County "police officer"
 * where the Sheriff polices the county): the answer would be real, the question not. Errors.
 */
export function actorAgencyDiagnostics(corpus: Corpus, agencyIds: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const suite of corpus.tests) {
    for (const c of suite.cases) {
      const actor = c.scenario['actor'] as { jurisdiction?: unknown; agency?: unknown } | undefined;
      if (typeof actor?.jurisdiction !== 'string' || typeof actor.agency !== 'string') continue;
      const j = corpus.jurisdictions.get(actor.jurisdiction);
      if (!j) continue;
      const has = jurisdictionAgencies(j, agencyIds);
      if (!has.includes(actor.agency)) {
        out.push({
          severity: 'error', code: 'agency-not-in-jurisdiction', position: c.position,
          message: `${suite.instrument}: "${c.name}": ${j.name} has no ${actor.agency} agency (its jurisdiction.yaml lists ${has.join(', ')})`,
        });
      }
    }
  }
  return out;
}
