// A deliberately naive second reading of contract 3.2 and 3.3, straight from the corpus model: the differential oracle
// the engine's property tests compare against (as Cedar's cedar-spec checks the Rust authorizer against a model).
//
// Nothing here is shared with the engine on purpose: no cells, no dated segments, no sharing, no memo, no generated
// code, no authority table, no in-force intervals. Every question re-reads the corpus: it walks the actor's ancestors
// by their `parent` field, replays each instrument's events up to the date, and enumerates every completion of the
// unknown facts. It is slow by design and must stay simple enough to be checked by reading it against the contract.
import { jailGovernment, operatorsOrder, type Corpus, type Instrument, type Provision } from '../policy/corpus.js';
import { endEvents, startEvents, type InstrumentKind, type JurisdictionKind } from '../policy/schema.js';
import type { Scenario } from '../vocabulary/scenario.js';
import { factValueJson, type Fact, type Vocabulary } from '../vocabulary/model.js';
import type { Outcome, Role } from './decision.js';

/** The what-if of a reference decision: instruments taken as in force (and binding) always, or never. */
export interface ReferenceWhatIf {
  readonly assumeInForce?: readonly string[];
  readonly assumeNotInForce?: readonly string[];
}

/** One branch of a `depends` outcome: every completion of the unknown facts that leads to the outcome. */
export interface ReferenceBranch {
  readonly outcome: Outcome;
  /** Each completion as value indices, by position in `ReferenceDecision.unknownFacts`. */
  readonly completions: readonly (readonly number[])[];
  /** Refs of the provisions governing in some completion of this branch, sorted. */
  readonly governing: readonly string[];
}

/** What the reference says about one provision it looked at. */
export interface ReferenceConsidered {
  readonly binding: boolean;
  readonly role: Role;
}

/** The parts of a decision the reference computes; the tests compare them with the engine's decision. */
export interface ReferenceDecision {
  readonly outcome: Outcome;
  /** Refs of the governing provisions (the union over completions when not `depends`; empty for `depends`), sorted. */
  readonly governing: readonly string[];
  /** Every provision of the actor's jurisdictions that covers the request, by ref. */
  readonly considered: ReadonlyMap<string, ReferenceConsidered>;
  /** The unknown facts a binding provision reads: the ones enumerated. */
  readonly unknownFacts: readonly Fact[];
  readonly dependsOn: readonly ReferenceBranch[] | null;
}

/** A single change of one fact (or of `actor.agency`) and the outcome it gives, when that differs. */
export interface ReferenceChange {
  readonly fact: string;
  readonly value: string | boolean;
  readonly outcome: Outcome;
}

/** A provision that binds the actor on the date, with what the rules of 3.2 need to know about it. */
interface Bound {
  readonly provision: Provision;
  readonly level: number;
  readonly rank: number;
}

/** Contract 3.2.4, level: federal over state over local (a county and a city are both local governments). */
function levelOf(kind: JurisdictionKind): number {
  if (kind === 'federal') return 3;
  if (kind === 'state') return 2;
  return 1;
}

/**
 * Contract 3.2.4, rank within one government: a statute, charter or ordinance (a bill, once in force, is one) over a
 * regulation, over an executive order, over an agency directive, policy or agreement; a binding court decision above
 * them all. Guidance and persuasive court decisions never bind.
 */
function rankOf(kind: InstrumentKind): number {
  const tiers: readonly (readonly InstrumentKind[])[] = [
    ['guidance'],
    ['directive', 'policy', 'agreement'],
    ['executive_order'],
    ['regulation'],
    ['statute', 'charter', 'ordinance', 'bill'],
    // A binding constitutional holding outranks the statutes of the governments it binds.
    ['court_decision'],
  ];
  return tiers.findIndex((tier) => tier.includes(kind));
}

/** The naive evaluator over one corpus: answer any scenario by re-reading the corpus from scratch. */
export class ReferenceEvaluator {
  constructor(readonly corpus: Corpus, readonly vocabulary: Vocabulary, readonly whatIf: ReferenceWhatIf = {}) {}

  /** Is the instrument in force on the date? Replays its events (date order, same-day in file order) up to that day. */
  inForce(ins: Instrument, date: string): boolean {
    if (this.whatIf.assumeInForce?.includes(ins.id)) return true;
    if (this.whatIf.assumeNotInForce?.includes(ins.id)) return false;
    const events = ins.events.map((e, i) => ({ e, i })).filter(({ e }) => e.date <= date);
    events.sort((a, b) => (a.e.date === b.e.date ? a.i - b.i : a.e.date < b.e.date ? -1 : 1));
    let open = false;
    for (const { e } of events) {
      if ((startEvents as readonly string[]).includes(e.type)) open = true;
      else if ((endEvents as readonly string[]).includes(e.type)) open = false;
    }
    return open;
  }

  /** Does the instrument bind at all (guidance never does, unless a what-if puts it in force)? */
  private bindsAtAll(ins: Instrument): boolean {
    if (this.whatIf.assumeInForce?.includes(ins.id)) return true;
    return rankOf(ins.kind) > 0 && !(ins.kind === 'court_decision' && ins.precedent === 'persuasive');
  }

  /** The actor's jurisdiction and its ancestors, by following `parent`. */
  private ancestors(jurisdiction: string): string[] {
    const out: string[] = [];
    for (let j = this.corpus.jurisdictions.get(jurisdiction); j; j = j.parent === null ? undefined : this.corpus.jurisdictions.get(j.parent)) {
      out.push(j.id);
    }
    return out;
  }

  /** Contract 3.2.1 minus the conditions: does the provision bind this actor on this date? */
  private binds(ins: Instrument, p: Provision, actorJurisdiction: string, agency: string, date: string): boolean {
    if (!this.bindsAtAll(ins) || !this.inForce(ins, date)) return false;
    if (p.from !== undefined && date < p.from) return false;
    if (p.until !== undefined && date >= p.until) return false;
    // Jail staff follow the orders of whoever runs their jail (the State for Baltimore City's), own-government or
    // for the jails it runs below it.
    const operator = agency === 'corrections' && (ins.reach === 'own_government' || ins.reach === 'governments_below') && operatorsOrder(ins.kind)
      ? jailGovernment(this.corpus.jurisdictions, actorJurisdiction)
      : undefined;
    if (operator !== undefined) {
      if (ins.jurisdiction !== operator) return false;
    } else if (ins.reach === 'own_government' && ins.jurisdiction !== actorJurisdiction) return false;
    if (ins.reach === 'governments_below' && ins.jurisdiction === actorJurisdiction) return false;
    return p.binds.includes(agency);
  }

  /** The full reference decision of a scenario. */
  decide(s: Scenario): ReferenceDecision {
    const bound: Bound[] = [];
    const notBound: Provision[] = [];
    for (const jid of this.ancestors(s.jurisdiction)) {
      const level = levelOf(this.corpus.jurisdictions.get(jid)!.kind);
      for (const ins of this.corpus.instruments.values()) {
        if (ins.jurisdiction !== jid) continue;
        for (const p of ins.provisions) {
          if (!p.requests.includes(s.request)) continue;
          if (this.binds(ins, p, s.jurisdiction, s.agency, s.date)) bound.push({ provision: p, level, rank: rankOf(ins.kind) });
          else notBound.push(p);
        }
      }
    }
    // The order only picks which provision a role is "by" when several qualify (the engine's tie-break):
    // higher authority first, then ref.
    bound.sort((a, b) => b.level - a.level || b.rank - a.rank || (a.provision.ref < b.provision.ref ? -1 : a.provision.ref > b.provision.ref ? 1 : 0));

    const read = new Set<string>();
    for (const b of bound) for (const alt of b.provision.when) for (const f of Object.keys(alt)) read.add(f);
    const unknownFacts = this.vocabulary.facts.filter((f) => read.has(f.id) && s.facts[f.index] === -1);

    const results: { values: number[]; result: CompleteResult }[] = [];
    for (const values of product(unknownFacts.map((f) => f.values.length))) {
      const facts = Int8Array.from(s.facts);
      unknownFacts.forEach((f, k) => (facts[f.index] = values[k]!));
      results.push({ values, result: evaluateComplete(bound, facts, this.vocabulary) });
    }

    const outcomes = new Set(results.map((r) => r.result.outcome));
    const considered = new Map<string, ReferenceConsidered>();
    for (const p of notBound) considered.set(p.ref, { binding: false, role: 'not_binding' });
    for (const b of bound) {
      const seen = new Set(results.map((r) => r.result.roles.get(b.provision.ref)!));
      const only = [...seen][0]!;
      considered.set(b.provision.ref, { binding: true, role: seen.size > 1 ? 'depends' : (only.split(':')[0] as Role) });
    }
    if (outcomes.size === 1) {
      const governing = new Set(results.flatMap((r) => r.result.governing));
      return { outcome: [...outcomes][0]!, governing: [...governing].sort(), considered, unknownFacts, dependsOn: null };
    }
    const dependsOn = [...outcomes].map((outcome): ReferenceBranch => {
      const mine = results.filter((r) => r.result.outcome === outcome);
      return { outcome, completions: mine.map((r) => r.values), governing: [...new Set(mine.flatMap((r) => r.result.governing))].sort() };
    });
    return { outcome: 'depends', governing: [], considered, unknownFacts, dependsOn };
  }

  /** Every single change of one fact the request reads, or of the agency, whose outcome differs from the scenario's. */
  wouldChange(s: Scenario): ReferenceChange[] {
    const outcome = this.decide(s).outcome;
    const out: ReferenceChange[] = [];
    for (const fact of this.vocabulary.factsFor(s.request)) {
      for (let v = 0; v < fact.values.length; v++) {
        if (v === s.facts[fact.index]) continue;
        const facts = Int8Array.from(s.facts);
        facts[fact.index] = v;
        const o = this.decide({ ...s, facts }).outcome;
        if (o !== outcome) out.push({ fact: fact.id, value: factValueJson(fact, v), outcome: o });
      }
    }
    // Only agencies the actor's jurisdiction has (its file's list, or all) and that can be asked the request at all.
    const listed = this.corpus.jurisdictions.get(s.jurisdiction)?.agencies;
    for (const agency of this.vocabulary.agencyIds) {
      if (agency === s.agency) continue;
      if ((listed && !listed.includes(agency)) || !this.vocabulary.performs(agency, s.request)) continue;
      const o = this.decide({ ...s, agency }).outcome;
      if (o !== outcome) out.push({ fact: 'actor.agency', value: agency, outcome: o });
    }
    return out;
  }
}

/** The result of 3.2 on facts that are all known: outcome, governing refs, and each binding provision's "role:by". */
interface CompleteResult {
  readonly outcome: Outcome;
  readonly governing: readonly string[];
  readonly roles: ReadonlyMap<string, string>;
}

/** Contract 3.2 rules 1 to 5 for one complete fact vector. */
function evaluateComplete(bound: readonly Bound[], facts: Int8Array, vocabulary: Vocabulary): CompleteResult {
  const valueId = (factId: string) => {
    const fact = vocabulary.fact(factId)!;
    return fact.values[facts[fact.index]!]!.id;
  };
  // Rule 1: the conditions hold when any one alternative holds entirely.
  const applies = (b: Bound) => b.provision.when.length === 0 || b.provision.when.some((alt) => Object.entries(alt).every(([f, vals]) => vals.includes(valueId(f))));
  const applicable = bound.filter(applies);
  const roles = new Map<string, string>();
  for (const b of bound) roles.set(b.provision.ref, 'not_applicable:');

  // Rule 2: an applicable exception defeats its applicable target (a defeated exception still defeats: "when both apply").
  const defeater = (b: Bound) => applicable.find((e) => e.provision.exceptionTo.includes(b.provision.ref));
  // Rule 3: a live provision voids the given effects of provisions at strictly lower levels; a voided one voids nothing.
  const voider = (b: Bound): Bound | undefined =>
    applicable.find((q) => q.level > b.level && q.provision.voids.includes(b.provision.effect) && !defeater(q) && !voider(q));
  const live: Bound[] = [];
  for (const b of applicable) {
    const d = defeater(b);
    const v = d ? undefined : voider(b);
    if (d) roles.set(b.provision.ref, `defeated:${d.provision.ref}`);
    else if (v) roles.set(b.provision.ref, `voided:${v.provision.ref}`);
    else live.push(b);
  }

  // Rule 4: among mandatory effects, the highest authority (level, then rank) wins; opposite effects at the top conflict.
  const mandatory = live.filter((b) => b.provision.effect !== 'permit');
  const above = (a: Bound, b: Bound) => a.level > b.level || (a.level === b.level && a.rank > b.rank);
  const top = mandatory.filter((b) => !mandatory.some((c) => above(c, b)));
  let outcome: Outcome;
  let governing: Bound[];
  if (top.length === 0) {
    // Rule 5: no mandatory effect left; an express permission permits.
    governing = live;
    outcome = live.length ? 'permitted' : 'no_rule';
  } else {
    const effects = new Set(top.map((b) => b.provision.effect));
    if (effects.size > 1) {
      outcome = 'conflict';
      governing = top;
    } else {
      const effect = top[0]!.provision.effect;
      outcome = effect === 'prohibit' ? 'prohibited' : 'required';
      // Every live rule with the winning effect decides the outcome, whatever its rank.
      governing = live.filter((b) => b.provision.effect === effect);
    }
    for (const b of live) if (!governing.includes(b)) roles.set(b.provision.ref, `outranked:${top[0]!.provision.ref}`);
  }
  for (const b of governing) roles.set(b.provision.ref, 'governs:');
  return { outcome, governing: governing.map((b) => b.provision.ref), roles };
}

/** Every vector of value indices below the given counts (one empty vector when there are none). */
function product(counts: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of counts) out = out.flatMap((prefix) => Array.from({ length: n }, (_, v) => [...prefix, v]));
  return out;
}
