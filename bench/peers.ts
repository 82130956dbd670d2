// One small policy written four ways — trustrules YAML (bench/peer-policy), a hand-written function, Cedar
// and json-rules-engine — each answering permitted, prohibited or no_rule for a scenario:
//   Hold past release (detain_past_release) only with a judge-signed basis (judicial_warrant, court_order).
//   Police may assist (assist_enforcement) on drugs, money_laundering, human_trafficking and terrorism;
//   not on civil or criminal immigration. Anything else: no rule.
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { Engine as RulesEngine, type RuleProperties } from 'json-rules-engine';
import type { Engine } from '../src/engine/engine.js';
import type { ScenarioJson } from '../src/vocabulary/scenario.js';

export type PeerOutcome = 'permitted' | 'prohibited' | 'no_rule';
export const PEER_OUTCOMES: readonly PeerOutcome[] = ['permitted', 'prohibited', 'no_rule'];

/** The date the fixture ordinance took effect (bench/peer-policy/…/example-trust-ordinance.yaml). */
const EFFECTIVE = '2000-01-01';

// b. The hand-written function.
export function handWritten(s: ScenarioJson): PeerOutcome {
  if (s.date < EFFECTIVE) return 'no_rule';
  switch (s.request) {
    case 'detain_past_release':
      return s.basis === 'judicial_warrant' || s.basis === 'court_order' ? 'permitted' : 'prohibited';
    case 'assist_enforcement':
      if (s.actor.agency !== 'police') return 'no_rule';
      switch (s.matter) {
        case 'drugs': case 'money_laundering': case 'human_trafficking': case 'terrorism': return 'permitted';
        case 'civil_immigration': case 'criminal_immigration': return 'prohibited';
        default: return 'no_rule';
      }
    default:
      return 'no_rule';
  }
}

// a. trustrules: the engine over bench/peer-policy — its generated readers, its compiled cells, and a full decision.
export function trustrulesOutcome(engine: Engine): (s: ScenarioJson) => PeerOutcome {
  return (s) => toPeer(engine.outcomeOfTrusted(s));
}
export function trustrulesCells(engine: Engine): (s: ScenarioJson) => PeerOutcome {
  return (s) => toPeer(engine.outcome(engine.codec.fromTrusted(s)));
}
export function trustrulesDecide(engine: Engine): (s: ScenarioJson) => PeerOutcome {
  return (s) => toPeer(engine.ruling(s).outcome);
}
function toPeer(outcome: string): PeerOutcome {
  if (outcome === 'permitted' || outcome === 'prohibited' || outcome === 'no_rule') return outcome;
  throw new Error(`peer policy gave ${outcome}`);
}

// c. Cedar. Principal: the agency; action: the request; resource: the actor's jurisdiction; context: the two
// facts the policies read (the smallest request Cedar can be given, which favours Cedar). Allow = permitted;
// deny with a determining (forbid) policy = prohibited; deny with none = no_rule (Cedar's default deny).
export const CEDAR_POLICIES = `
@id("no-hold")
forbid (principal, action == Action::"detain_past_release", resource)
unless { context.basis == "judicial_warrant" || context.basis == "court_order" };

@id("hold-with-judge")
permit (principal, action == Action::"detain_past_release", resource)
when { context.basis == "judicial_warrant" || context.basis == "court_order" };

@id("police-assist-crime")
permit (principal == Agency::"police", action == Action::"assist_enforcement", resource)
when { ["drugs", "money_laundering", "human_trafficking", "terrorism"].contains(context.matter) };

@id("police-no-immigration")
forbid (principal == Agency::"police", action == Action::"assist_enforcement", resource)
when { context.matter == "civil_immigration" || context.matter == "criminal_immigration" };
`;
const CEDAR_SET = 'trustrules-bench-peer';

export function cedarPeer(): (s: ScenarioJson) => PeerOutcome {
  const parsed = cedar.preparsePolicySet(CEDAR_SET, { staticPolicies: CEDAR_POLICIES });
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
  const entities: cedar.Entities = [];
  return (s) => {
    const answer = cedar.statefulIsAuthorized({
      principal: { type: 'Agency', id: s.actor.agency },
      action: { type: 'Action', id: s.request },
      resource: { type: 'Jurisdiction', id: s.actor.jurisdiction },
      context: { basis: String(s.basis), matter: String(s.matter) },
      preparsedPolicySetId: CEDAR_SET,
      entities,
    });
    if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
    const { decision, diagnostics } = answer.response;
    return decision === 'allow' ? 'permitted' : diagnostics.reason.length ? 'prohibited' : 'no_rule';
  };
}

// d. json-rules-engine: each provision a rule whose event is its effect; any prohibit event wins, then any
// permit, else no rule.
export const JRE_RULES: RuleProperties[] = [
  {
    name: 'no-hold',
    conditions: { all: [
      { fact: 'request', operator: 'equal', value: 'detain_past_release' },
      { fact: 'basis', operator: 'notIn', value: ['judicial_warrant', 'court_order'] },
    ] },
    event: { type: 'prohibit' },
  },
  {
    name: 'hold-with-judge',
    conditions: { all: [
      { fact: 'request', operator: 'equal', value: 'detain_past_release' },
      { fact: 'basis', operator: 'in', value: ['judicial_warrant', 'court_order'] },
    ] },
    event: { type: 'permit' },
  },
  {
    name: 'police-assist-crime',
    conditions: { all: [
      { fact: 'request', operator: 'equal', value: 'assist_enforcement' },
      { fact: 'agency', operator: 'equal', value: 'police' },
      { fact: 'matter', operator: 'in', value: ['drugs', 'money_laundering', 'human_trafficking', 'terrorism'] },
    ] },
    event: { type: 'permit' },
  },
  {
    name: 'police-no-immigration',
    conditions: { all: [
      { fact: 'request', operator: 'equal', value: 'assist_enforcement' },
      { fact: 'agency', operator: 'equal', value: 'police' },
      { fact: 'matter', operator: 'in', value: ['civil_immigration', 'criminal_immigration'] },
    ] },
    event: { type: 'prohibit' },
  },
];

export function jsonRulesPeer(): (s: ScenarioJson) => Promise<PeerOutcome> {
  const engine = new RulesEngine(JRE_RULES, { allowUndefinedFacts: true });
  return async (s) => {
    const { events } = await engine.run({ request: s.request, agency: s.actor.agency, basis: s.basis, matter: s.matter });
    let permit = false;
    for (const e of events) {
      if (e.type === 'prohibit') return 'prohibited';
      if (e.type === 'permit') permit = true;
    }
    return permit ? 'permitted' : 'no_rule';
  };
}

/** Scenarios on which the contenders disagree (at most `limit`), checked one by one. */
export async function disagreements(
  scenarios: readonly ScenarioJson[], engine: Engine, limit = 10,
): Promise<{ scenario: ScenarioJson; answers: Record<string, PeerOutcome> }[]> {
  const sync = {
    trustrules: trustrulesOutcome(engine), 'trustrules cells': trustrulesCells(engine), 'trustrules decide': trustrulesDecide(engine),
    'hand-written': handWritten, cedar: cedarPeer(),
  };
  const jre = jsonRulesPeer();
  const out: { scenario: ScenarioJson; answers: Record<string, PeerOutcome> }[] = [];
  for (const s of scenarios) {
    const answers: Record<string, PeerOutcome> = {};
    for (const [name, f] of Object.entries(sync)) answers[name] = f(s);
    answers['json-rules-engine'] = await jre(s);
    if (new Set(Object.values(answers)).size > 1) {
      out.push({ scenario: s, answers });
      if (out.length >= limit) break;
    }
  }
  return out;
}
