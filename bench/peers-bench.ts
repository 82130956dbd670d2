// Section 1: the peer comparison, in one process, on the same 200k seeded scenarios for every contender.
// Prints one JSON object (the last line of stdout) for bench/run.ts.
import { loadDist, peerPolicyRoot } from './lib/paths.js';
import { peerScenarios } from './lib/scenarios.js';
import { fmtRate, rate, rateAsync, type Rate } from './lib/timing.js';
import { cedarPeer, disagreements, handWritten, jsonRulesPeer, type PeerOutcome } from './peers.js';
import type { ScenarioJson } from '../src/vocabulary/scenario.js';

const N = Number(process.env.BENCH_PEER_N ?? 200_000);
const SEED = 20260301;

const { Engine, loadCorpusOrThrow, vocabulary, wordsFor } = await loadDist();
const engine = new Engine(loadCorpusOrThrow(peerPolicyRoot));
const en = wordsFor(engine.corpus, 'en');
const scenarios = peerScenarios(N, SEED, vocabulary());
const log = (m: string) => process.stderr.write(`${m}\n`);

// Agreement on every scenario, before timing.
const bad = await disagreements(scenarios, engine, 5);
if (bad.length) {
  log(`peers disagree: ${JSON.stringify(bad, null, 2)}`);
  process.exit(1);
}
log(`peers: all four agree on ${N} scenarios`);

const code: Record<PeerOutcome, number> = { permitted: 1, prohibited: 2, no_rule: 3 };
const pass = (f: (s: ScenarioJson) => PeerOutcome) => () => {
  let sum = 0;
  for (let i = 0; i < scenarios.length; i++) sum += code[f(scenarios[i]!)];
  return sum;
};
const internal = scenarios.map((s) => engine.codec.fromTrusted(s));
const outcomeCode: Record<string, number> = { permitted: 1, prohibited: 2, no_rule: 3 };

const rows: { name: string; what: string; rate: Rate }[] = [];
const add = (name: string, what: string, r: Rate) => {
  rows.push({ name, what, rate: r });
  log(`${name.padEnd(36)} ${fmtRate(r.perSecond).padStart(12)}   passes ${r.passes.map((x) => fmtRate(x)).join(', ')}`);
};

add('hand-written function', 'handWritten(s)', rate(N, pass(handWritten), { warmup: 3, timed: 7 }));
add('trustrules outcome', 'engine.outcomeOfTrusted(s)', rate(N, pass((s) => engine.outcomeOfTrusted(s) as PeerOutcome), { warmup: 3, timed: 7 }));
add('trustrules outcome (via fact vector)', 'engine.outcome(codec.fromTrusted(s))', rate(N, pass((s) => engine.outcome(engine.codec.fromTrusted(s)) as PeerOutcome), { warmup: 3, timed: 7 }));
add('trustrules outcome (pre-converted)', 'engine.outcome(scenario)', rate(N, () => {
  let sum = 0;
  for (let i = 0; i < internal.length; i++) sum += outcomeCode[engine.outcome(internal[i]!)]!;
  return sum;
}, { warmup: 3, timed: 7 }));
add('trustrules decide (validated)', 'engine.decide(s, en).outcome', rate(N, pass((s) => engine.decide(s, en).outcome as PeerOutcome), { warmup: 2, timed: 5 }));
const cedarDecide = cedarPeer();
add('Cedar (cedar-wasm, stateful)', 'statefulIsAuthorized, preparsed policy set', rate(N, pass(cedarDecide), { warmup: 0, timed: 1 }));
const jre = jsonRulesPeer();
add('json-rules-engine (await each)', 'await engine.run(facts), one at a time', await rateAsync(N, async () => {
  let sum = 0;
  for (const s of scenarios) sum += code[await jre(s)];
  return sum;
}, { warmup: 0, timed: 1 }));
add('json-rules-engine (batches of 1000)', 'Promise.all over 1000 runs at a time', await rateAsync(N, async () => {
  let sum = 0;
  for (let i = 0; i < scenarios.length; i += 1000) {
    for (const o of await Promise.all(scenarios.slice(i, i + 1000).map(jre))) sum += code[o];
  }
  return sum;
}, { warmup: 0, timed: 1 }));

process.stdout.write(`${JSON.stringify({ section: 'peers', n: N, seed: SEED, agree: true, rows })}\n`);
