// Section 2a/b: the whole corpus in one process — full decisions (validated, cold and warm memo) and outcomes.
// Prints one JSON object (the last line of stdout) for bench/run.ts.
import { performance } from 'node:perf_hooks';
import { loadWholeCorpus, policiesArg } from './lib/corpus.js';
import { loadDist } from './lib/paths.js';
import { corpusScenarios } from './lib/scenarios.js';
import { fmtRate, once, rate, type Rate } from './lib/timing.js';

const N = Number(process.env.BENCH_CORPUS_N ?? 200_000);
const SEED = 20260302;
const WARM_SEED = 777;
const log = (m: string) => process.stderr.write(`${m}\n`);

const dist = await loadDist();
const t0 = performance.now();
const { corpus, source, policies } = await loadWholeCorpus(dist, policiesArg());
const loadMs = performance.now() - t0;
const t1 = performance.now();
const engine0 = new dist.Engine(corpus);
const compileMs = performance.now() - t1;
const vocab = engine0.vocabulary;
const en = dist.wordsFor(corpus, 'en');
const es = dist.wordsFor(corpus, 'es');
const jurisdictions = [...corpus.jurisdictions.keys()].sort();
log(`corpus: ${corpus.instruments.size} instruments, ${corpus.provisions.size} provisions, ${jurisdictions.length} jurisdictions (${source}); load ${loadMs.toFixed(0)} ms`);

const scenarios = corpusScenarios(N, SEED, vocab, jurisdictions);
// How many distinct memo entries the set needs: (jurisdiction, agency, request, dated segment, facts read).
const distinct = new Set<string>();
for (const s of scenarios) {
  const p = engine0.codec.fromTrusted(s);
  const read = engine0.factsRead(p.jurisdiction, p.agency, p.request, p.date);
  distinct.add(`${p.jurisdiction}|${p.agency}|${p.request}|${engine0.segmentOf(p.date)}|${read.map((f) => p.facts[f]).join(',')}`);
}
const outcomes: Record<string, number> = {};
for (const s of scenarios) {
  const o = engine0.ruling(s).outcome;
  outcomes[o] = (outcomes[o] ?? 0) + 1;
}
log(`scenarios: ${N}, distinct decisions ${distinct.size}, outcomes ${JSON.stringify(outcomes)}`);

// JIT warm-up on other scenarios and another engine, so the cold pass below measures the empty memo, not the JIT.
const warm = corpusScenarios(50_000, WARM_SEED, vocab, jurisdictions);
const warmEngine = new dist.Engine(corpus);
for (let k = 0; k < 3; k++) for (const s of warm) { warmEngine.decide(s, en); warmEngine.decide(s, es); warmEngine.outcome(warmEngine.codec.fromTrusted(s)); }

const rows: { name: string; what: string; rate: Rate }[] = [];
const add = (name: string, what: string, r: Rate) => {
  rows.push({ name, what, rate: r });
  log(`${name.padEnd(40)} ${fmtRate(r.perSecond).padStart(12)}   passes ${r.passes.map((x) => fmtRate(x)).join(', ')}`);
};
const code: Record<string, number> = { prohibited: 1, required: 2, permitted: 3, no_rule: 4, conflict: 5, depends: 6 };

/** One pass over `items`, summing what `f` makes of each (so the work cannot be optimised away). */
const passOver = <T>(items: readonly T[], f: (item: T) => number) => () => {
  let sum = 0;
  for (let i = 0; i < items.length; i++) sum += f(items[i]!);
  return sum;
};

// Full decisions: a fresh engine (cells compiled and decision parts built on demand), first pass, then steady state.
const full = new dist.Engine(corpus);
const decidePass = passOver(scenarios, (s) => code[full.decide(s, en).outcome]!);
add('full decision, first pass (cold)', 'engine.decide(json, en) on a fresh Engine', once(N, decidePass));
add('full decision, steady state', 'engine.decide(json, en), parts built', rate(N, decidePass, { warmup: 1, timed: 5 }));
const decidePassEs = passOver(scenarios, (s) => code[full.decide(s, es).outcome]!);
add('full decision --lang es, first pass', 'engine.decide(json, es), cells built, Spanish words not yet', once(N, decidePassEs));
add('full decision --lang es, steady state', 'engine.decide(json, es), parts built', rate(N, decidePassEs, { warmup: 1, timed: 5 }));
add('decision JSON text, steady state', 'engine.decideJson(codec.parse(json), en)', rate(N, passOver(scenarios, (s) => full.decideJson(full.codec.parse(s), en).length), { warmup: 1, timed: 5 }));
const batchPass = (words: typeof en) => () => {
  const pieces: Uint8Array[] = [];
  let bytes = 0;
  for (const s of scenarios) {
    pieces.length = 0;
    full.encode(full.codec.parse(s), words, pieces);
    for (const p of pieces) bytes += p.length;
  }
  return bytes;
};
add('decision UTF-8 ranges, steady state', 'engine.encode(codec.parse(json), en, pieces) (what --jsonl does)', rate(N, batchPass(en), { warmup: 1, timed: 5 }));
add('decision UTF-8 ranges --lang es, steady', 'engine.encode(codec.parse(json), es, pieces)', rate(N, batchPass(es), { warmup: 1, timed: 5 }));

// Outcomes only: a fresh engine's first pass, then steady state with and without the JSON → fact-vector step.
const fast = new dist.Engine(corpus);
const parsed = scenarios.map((s) => fast.codec.fromTrusted(s));
const outcomePass = passOver(parsed, (s) => code[fast.outcome(s)]!);
add('outcome only, first pass (cold)', 'engine.outcome(scenario) on a fresh Engine', once(N, outcomePass));
add('outcome only, steady state', 'engine.outcome(scenario), pre-converted', rate(N, outcomePass, { warmup: 2, timed: 7 }));
add('outcome only from JSON, steady state', 'engine.outcome(codec.fromTrusted(json))', rate(N, passOver(scenarios, (s) => code[fast.outcome(fast.codec.fromTrusted(s))]!), { warmup: 2, timed: 5 }));
// Generated readers (outcomeOfTrusted): a fresh engine's first pass generates every jurisdiction it meets.
const generated = new dist.Engine(corpus);
const readerPass = passOver(scenarios, (s) => code[generated.outcomeOfTrusted(s)]!);
add('outcome from JSON, generated readers, first pass', 'engine.outcomeOfTrusted(json) on a fresh Engine', once(N, readerPass));
add('outcome from JSON, generated readers, steady', 'engine.outcomeOfTrusted(json)', rate(N, readerPass, { warmup: 2, timed: 7 }));
add('validation alone', 'engine.codec.parse(json)', rate(N, passOver(scenarios, (s) => fast.codec.parse(s).facts.length), { warmup: 1, timed: 5 }));

process.stdout.write(`${JSON.stringify({
  section: 'corpus', n: N, seed: SEED, source, policies, loadMs, compileMs,
  instruments: corpus.instruments.size, provisions: corpus.provisions.size, jurisdictions: jurisdictions.length,
  distinct: distinct.size, outcomes, rows,
})}\n`);
