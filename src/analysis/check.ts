// `trustrules check`: policy-file errors, provisions that can never govern, provisions no test exercises, scenarios
// decided `conflict` (with the provisions), and facts no provision reads. It walks the corpus one jurisdiction's chain
// at a time and lets go of each (Corpus.release, Engine.releaseJurisdiction), so that its memory follows the largest
// chain, not the corpus; the findings keep the corpus's order.
import {
  exceptionCycleMessage, inExceptionCycle, instrumentsOf, jurisdictionAgencies, jurisdictionChain, type Corpus, type Instrument, type Provision,
} from '../policy/corpus.js';
import { conflictDiagnostics, conflictFindings, conflictsIn, factReads, unreadFactDiagnostics, type ConflictsFound } from './conflicts.js';
import type { Diagnostic, Position } from '../policy/diagnostics.js';
import { EnginePool, runPolicyTests } from './policyTests.js';
import { instrumentTextProblems, jurisdictionTextProblems, provisionTextProblems } from '../policy/quotes.js';

/** What `trustrules check` found beyond loading: findings, acknowledged findings, and failed policy tests. */
export interface CheckReport {
  readonly diagnostics: readonly Diagnostic[];
  /** Findings a provision's `acknowledge` declares known and intended, with the reason; not failures. */
  readonly acknowledged: readonly Diagnostic[];
  readonly testsFailed: number;
  /** How many instruments and provisions were checked. */
  readonly instruments: number;
  readonly provisions: number;
}

/**
 * Problems a corpus opened lazily finds only once every folder is read (an exception cycle across folders): a full
 * load reports them as loading errors, so the caller loads the corpus whole and reports those.
 */
export class CorpusProblemsError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

/** A copy of a string that shares no memory with the text it was cut from (V8 keeps a sliced string's whole text). */
function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** What the walk keeps of a provision once its folder is let go: what the findings about it need. */
interface ProvisionFacts {
  readonly provision: Pick<Provision, 'ref' | 'instrument' | 'position' | 'acknowledge' | 'exceptionTo'>;
  /** Its instrument binds and is in force on some date. */
  readonly everInForce: boolean;
  readonly textProblems: readonly Diagnostic[];
}

/**
 * Findings beyond schema and references (which loading already reports). A corpus opened lazily is read folder by
 * folder and let go; one whose folders fail to compile throws the loader's PolicyLoadError, and one with an exception
 * cycle a CorpusProblemsError.
 */
export function checkCorpus(corpus: Corpus): CheckReport {
  const pool = new EnginePool(corpus);
  const engine = pool.get();
  const vocabulary = engine.vocabulary;

  // Moving to a jurisdiction: let go of the last one's cells and of every folder outside the new one's chain.
  let previous: string | undefined;
  const moveTo = (jurisdiction: string | undefined) => {
    if (previous !== undefined) pool.releaseJurisdiction(previous);
    previous = jurisdiction;
    const chain = jurisdiction === undefined ? [] : jurisdictionChain(jurisdiction);
    corpus.release?.((rel) => chain.includes(rel));
  };

  // The policy tests, one actor's jurisdiction at a time.
  const run = runPolicyTests(corpus, { pool, eachJurisdiction: moveTo });
  const agencyProblems = actorAgencyDiagnostics(corpus, vocabulary.agencyIds);

  // Every folder in id order, holding only its chain: each provision's facts are kept when its folder is first read;
  // a provision is proven to govern in the first jurisdiction where it does, and conflicts are gathered in id order.
  const facts = new Map<string, readonly ProvisionFacts[]>();
  const governs = new Set<string>();
  const reads = new Map<string, Set<string>>();
  /** Each jurisdiction's text problems (a note without its translations). */
  const notes = new Map<string, readonly Diagnostic[]>();
  /** Each instrument's text problems (a summary or an event note without its translations). */
  const instrumentTexts = new Map<string, readonly Diagnostic[]>();
  const conflicts: ConflictsFound = new Map();
  // What is kept outlives its folder, so it is kept in strings of its own: a string cut from a file's text (an id,
  // a value) would keep the whole text alive, and with it every file the walk has let go.
  const interned = new Map<string, string>();
  const intern = (s: string) => {
    let own = interned.get(s);
    if (own === undefined) interned.set((own = detached(s)), own);
    return own;
  };
  const positions = new Map<Position, Position>();
  const ownPosition = (at: Position) => {
    let own = positions.get(at);
    if (!own) positions.set(at, (own = { file: intern(at.file), line: at.line, column: at.column }));
    return own;
  };
  const keep = (ins: Instrument) => {
    if (facts.has(ins.id)) return;
    instrumentTexts.set(detached(ins.id), instrumentTextProblems(ins).map((d) => ({ ...d, position: { ...d.position, file: intern(d.position.file) }, message: detached(d.message) })));
    const everInForce = ins.binding && ins.inForce.length > 0;
    factReads(ins.provisions.map((p) => ({ when: p.when.map((c) => Object.fromEntries(Object.keys(c).map((f) => [intern(f), []]))), requests: p.requests.map(intern) })), reads);
    facts.set(detached(ins.id), ins.provisions.map((p) => {
      const position = ownPosition(p.position);
      return {
        provision: {
          ref: detached(p.ref), instrument: intern(p.instrument), position,
          ...(p.acknowledge ? { acknowledge: JSON.parse(JSON.stringify(p.acknowledge)) as Provision['acknowledge'] } : {}),
          exceptionTo: p.exceptionTo.map(detached),
        },
        everInForce,
        textProblems: provisionTextProblems(p).map((d) => ({ ...d, position, message: detached(d.message) })),
      };
    }));
    positions.clear();
  };
  const folders = [...new Set([...(corpus.folders?.() ?? []), ...corpus.jurisdictions.keys()])].sort();
  for (const folder of folders) {
    const chain = jurisdictionChain(folder);
    moveTo(folder);
    for (const ins of instrumentsOf(corpus, folder)) keep(ins);
    const jurisdiction = corpus.jurisdictions.get(folder);
    if (!jurisdiction) continue;
    notes.set(folder, jurisdictionTextProblems(jurisdiction).map((d) => ({ ...d, position: { ...d.position, file: intern(d.position.file) }, message: detached(d.message) })));
    for (const issuer of chain) {
      for (const ins of instrumentsOf(corpus, issuer)) {
        if (!ins.binding || !ins.inForce.length || !engine.reaches(ins, folder)) continue;
        for (const p of ins.provisions) if (!governs.has(p.ref) && engine.governsIn(p, ins, folder)) governs.add(detached(p.ref));
      }
    }
    conflictsIn(engine, folder, conflicts);
  }
  moveTo(undefined);

  // Any instrument the walk did not reach (none in a corpus that loads), then the findings in the corpus's order.
  for (const id of corpus.instruments.keys()) if (!facts.has(id)) keep(corpus.instruments.get(id)!);
  const all = [...corpus.instruments.keys()].flatMap((id) => facts.get(id)!);
  const exceptions = new Map(all.filter((f) => f.provision.exceptionTo.length).map((f) => [f.provision.ref, f.provision.exceptionTo]));
  const cycles = all.filter((f) => f.provision.exceptionTo.length && inExceptionCycle(f.provision, (ref) => exceptions.get(ref)));
  if (cycles.length) {
    throw new CorpusProblemsError(cycles.map((f) => ({ severity: 'error', code: 'exception-cycle', position: f.provision.position, message: exceptionCycleMessage(f.provision.ref) })));
  }

  const diagnostics: Diagnostic[] = [];
  const acknowledged: Diagnostic[] = [];
  const report = (p: ProvisionFacts['provision'], d: Diagnostic & { code: 'unreachable' | 'untested' }) => {
    const reason = p.acknowledge?.[d.code];
    if (reason) acknowledged.push({ ...d, message: `${d.message} — acknowledged: ${reason}` });
    else diagnostics.push(d);
  };
  for (const { provision: p, everInForce } of all) {
    if (everInForce && !governs.has(p.ref)) {
      report(p, {
        severity: 'warning', code: 'unreachable', position: p.position,
        message: `provision ${p.ref} never governs any scenario while in force (always defeated, voided or outranked, or its conditions never hold for an actor it binds)`,
      });
    }
    if (!run.exercised.has(p.ref)) {
      report(p, {
        severity: 'warning', code: 'untested', position: p.position,
        message: `no policy test has ${p.ref} governing; add a case to ${p.instrument}.test.yaml`,
      });
    }
  }
  for (const f of all) diagnostics.push(...f.textProblems);
  for (const id of corpus.instruments.keys()) diagnostics.push(...(instrumentTexts.get(id) ?? []));
  for (const id of corpus.jurisdictions.keys()) diagnostics.push(...(notes.get(id) ?? []));
  diagnostics.push(...agencyProblems);
  diagnostics.push(...conflictDiagnostics(engine, conflictFindings(conflicts)));
  moveTo(undefined);
  diagnostics.push(...unreadFactDiagnostics(vocabulary, reads));
  for (const r of run.results.filter((x) => !x.passed)) {
    diagnostics.push({ severity: 'error', code: 'test-failed', position: r.position, message: `${r.suite.instrument}: "${r.case.name}": ${r.problem}` });
  }
  return { diagnostics, acknowledged, testsFailed: run.failed, instruments: facts.size, provisions: all.length };
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
