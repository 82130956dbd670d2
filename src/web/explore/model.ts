// The Explorer's view models: the jurisdiction tree, and what binds a jurisdiction's staff on a date (its own and
// inherited instruments, as the engine binds them), each instrument's history and each provision's policy tests.
import { runPolicyTests, type CaseResult } from '../../analysis/policyTests.js';
import type { Engines } from '../../analysis/params.js';
import { jurisdictionChain, statusOn, type Corpus, type Instrument, type InstrumentStatus, type Jurisdiction, type PolicyEvent, type Provision } from '../../policy/corpus.js';

/** A jurisdiction in the tree, with the jurisdictions below it, in name order. */
export interface TreeNode {
  readonly jurisdiction: Jurisdiction;
  /** Instruments it issued. */
  readonly instruments: number;
  readonly children: readonly TreeNode[];
}

/** Every jurisdiction as a tree under the federal government, children in name order. */
export function jurisdictionTree(corpus: Corpus): TreeNode[] {
  const counts = new Map<string, number>();
  for (const ins of corpus.instruments.values()) counts.set(ins.jurisdiction, (counts.get(ins.jurisdiction) ?? 0) + 1);
  const byParent = new Map<string | null, Jurisdiction[]>();
  for (const j of corpus.jurisdictions.values()) {
    const list = byParent.get(j.parent) ?? [];
    list.push(j);
    byParent.set(j.parent, list);
  }
  const node = (j: Jurisdiction): TreeNode => ({
    jurisdiction: j,
    instruments: counts.get(j.id) ?? 0,
    children: (byParent.get(j.id) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'en')).map(node),
  });
  return (byParent.get(null) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'en')).map(node);
}

/** Jurisdictions whose name or id contains the text (case- and accent-insensitive), in name order. */
export function searchJurisdictions(corpus: Corpus, text: string): Jurisdiction[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(text.trim());
  if (!q) return [];
  return [...corpus.jurisdictions.values()].filter((j) => fold(j.name).includes(q) || j.id.includes(q)).sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** A provision that binds some of the jurisdiction's staff on the date: for which agencies and requests. */
export interface BindingProvision {
  readonly provision: Provision;
  /** Agencies of the jurisdiction it binds on the date (as the engine binds them: reach, agency, jail operator). */
  readonly agencies: readonly string[];
  /** Its policy tests: the cases that name it as governing, or in which it governs. */
  readonly tests: readonly CaseResult[];
}

/** An instrument of the jurisdiction's chain, its status on the date, and the provisions of it that bind there. */
export interface InstrumentView {
  readonly instrument: Instrument;
  readonly status: InstrumentStatus;
  readonly since?: string | undefined;
  /** Its provisions, those that bind some agency of the jurisdiction on the date first. */
  readonly binding: readonly BindingProvision[];
  /** Provisions of it that bind nobody here on the date (with why left to the engine's trace). */
  readonly notBinding: readonly Provision[];
  /** Every test case of its suite (beside the instrument), run. */
  readonly tests: readonly CaseResult[];
  /** Its history: events in date order. */
  readonly events: readonly PolicyEvent[];
}

/** The instruments one government of the chain issued, as they stand for the jurisdiction on the date. */
export interface IssuerGroup {
  readonly issuer: Jurisdiction;
  /** `own`: the jurisdiction itself; `inherited`: an ancestor (county, state, federal). */
  readonly relation: 'own' | 'inherited';
  /** Instruments with a provision binding some of the jurisdiction's staff on the date. */
  readonly binding: readonly InstrumentView[];
  /** The chain's other instruments: not in force, advisory, or binding only other staff. */
  readonly other: readonly InstrumentView[];
}

/** What binds a jurisdiction's staff on a date. */
export interface JurisdictionView {
  readonly jurisdiction: Jurisdiction;
  readonly date: string;
  readonly parent: Jurisdiction | undefined;
  readonly children: readonly Jurisdiction[];
  /** The agencies it has (the engine's: the jurisdiction file's list, else every agency). */
  readonly agencies: readonly string[];
  /** Issuers nearest first: itself, then its county, the State, the federal government. */
  readonly groups: readonly IssuerGroup[];
}

const testRuns = new WeakMap<Corpus, readonly CaseResult[]>();

/** Every policy test case of the corpus, run once per corpus (the tests beside each instrument). */
export function policyTestResults(corpus: Corpus, engines: Engines): readonly CaseResult[] {
  let results = testRuns.get(corpus);
  if (!results) {
    results = runPolicyTests(corpus, { pool: engines }).results;
    testRuns.set(corpus, results);
  }
  return results;
}

/** The jurisdiction's view on a date, every binding worked out by the engine. */
export function jurisdictionView(engines: Engines, id: string, date: string): JurisdictionView {
  const engine = engines.get();
  const corpus = engine.corpus;
  const jurisdiction = corpus.jurisdictions.get(id);
  if (!jurisdiction) throw new Error(`jurisdictionView: no jurisdiction ${id}`);
  const vocab = engine.vocabulary;
  const agencies = engine.agenciesOf(id);
  // Which agencies each provision binds here on the date: the engine's candidates, never a re-application of 3.2.
  const boundBy = new Map<string, Set<string>>();
  for (const agency of agencies) {
    for (const request of vocab.requestIds) {
      for (const p of engine.bindingProvisions(id, agency, request, date)) {
        const set = boundBy.get(p.ref) ?? new Set<string>();
        set.add(agency);
        boundBy.set(p.ref, set);
      }
    }
  }
  const results = policyTestResults(corpus, engines);
  const bySuite = new Map<string, CaseResult[]>();
  const byProvision = new Map<string, CaseResult[]>();
  for (const r of results) {
    const list = bySuite.get(r.suite.instrument) ?? [];
    list.push(r);
    bySuite.set(r.suite.instrument, list);
    for (const ref of new Set([...r.case.expect.governing, ...(r.actual?.governing ?? [])])) {
      const l = byProvision.get(ref) ?? [];
      l.push(r);
      byProvision.set(ref, l);
    }
  }
  const view = (ins: Instrument): InstrumentView => {
    const { status, since } = statusOn(ins, date);
    const binding: BindingProvision[] = [];
    const notBinding: Provision[] = [];
    for (const p of ins.provisions) {
      const bound = boundBy.get(p.ref);
      if (bound) binding.push({ provision: p, agencies: agencies.filter((a) => bound.has(a)), tests: byProvision.get(p.ref) ?? [] });
      else notBinding.push(p);
    }
    const events = [...ins.events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return { instrument: ins, status, since, binding, notBinding, tests: bySuite.get(ins.id) ?? [], events };
  };
  const groups: IssuerGroup[] = [];
  for (const issuerId of jurisdictionChain(id)) {
    const issuer = corpus.jurisdictions.get(issuerId);
    if (!issuer) continue;
    const views = [...corpus.instruments.values()].filter((i) => i.jurisdiction === issuerId).sort((a, b) => a.title.localeCompare(b.title, 'en')).map(view);
    if (!views.length) continue;
    groups.push({
      issuer, relation: issuerId === id ? 'own' : 'inherited',
      binding: views.filter((v) => v.binding.length), other: views.filter((v) => !v.binding.length),
    });
  }
  const all = [...corpus.jurisdictions.values()];
  return {
    jurisdiction, date,
    parent: jurisdiction.parent ? corpus.jurisdictions.get(jurisdiction.parent) : undefined,
    children: all.filter((j) => j.parent === id).sort((a, b) => a.name.localeCompare(b.name, 'en')),
    agencies, groups,
  };
}
