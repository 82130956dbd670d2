// Section 2e: resident memory of the loaded corpus, in a fresh process: after loading and compiling, after a
// small warm-up, and after deciding 200k random scenarios (compiled cells and shared decision parts grow with the
// share of the corpus asked about, bounded by its size).
// Run with --expose-gc. Prints one JSON object (the last line of stdout) for bench/run.ts.
const rssAtStart = process.memoryUsage().rss;
const { loadWholeCorpus, policiesArg } = await import('./lib/corpus.js');
const { loadDist } = await import('./lib/paths.js');
const { corpusScenarios } = await import('./lib/scenarios.js');

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;
const measure = () => {
  gc();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external + m.arrayBuffers) };
};

const dist = await loadDist();
const afterImport = measure();
const { corpus } = await loadWholeCorpus(dist, policiesArg());
const engine = new dist.Engine(corpus);
// Keep the engine reachable to the end: a dead local could be collected before the last measurement.
(globalThis as { benchEngine?: unknown }).benchEngine = engine;
const afterLoad = measure();
const jurisdictions = [...corpus.jurisdictions.keys()].sort();
const small = corpusScenarios(1_000, 11, engine.vocabulary, jurisdictions);
const en = dist.wordsFor(corpus, 'en');
for (let k = 0; k < 3; k++) for (const s of small) engine.decide(s, en);
const afterSmallWarmup = measure();
const big = corpusScenarios(200_000, 12, engine.vocabulary, jurisdictions);
for (const s of big) engine.decide(s, en);
const after200k = measure();

process.stdout.write(`${JSON.stringify({
  section: 'rss', startMB: mb(rssAtStart), afterImport, afterLoad, afterSmallWarmup, after200k,
})}\n`);
