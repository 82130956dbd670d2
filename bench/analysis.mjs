#!/usr/bin/env node
// Analysis benchmarks (issue 4): a full diff of two counties on one date, and a table for every Maryland jurisdiction
// on one date (JSON and CSV), each from a cold engine (corpus loaded once, as the CLI does). Also the peak RSS of an
// expanded (fully concrete) CSV table of all Maryland streamed to a byte counter, to show memory stays bounded.
// Usage: npm run build && node bench/analysis.mjs [--runs N] [--skip-expand]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Engine } from '../dist/engine/engine.js';
import { loadCorpusOrThrow } from '../dist/policy/load.js';
import { diffRows, DiffSummarizer, diffJson } from '../dist/analysis/diff.js';
import { tableCsv, tableJson, tableRows, tableSummary } from '../dist/analysis/table.js';
import { emptyFacts, jurisdictionsUnder, points, scenarioOf } from '../dist/analysis/space.js';
import { side } from '../dist/analysis/params.js';
import { analysisWordsFor } from '../dist/app/presentation/analysisLanguage.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const skipExpand = process.argv.includes('--skip-expand');
const t0 = performance.now();
const corpus = loadCorpusOrThrow();
const loadMs = performance.now() - t0;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Wall time, and the process's CPU time (user + system), which a machine shared with other work inflates far less.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function time(fn) {
  const ms = [], cpu = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const s = performance.now(), c = cpuMs();
    out = fn();
    ms.push(performance.now() - s);
    cpu.push(cpuMs() - c);
  }
  return { ms: median(ms), max: Math.max(...ms), cpu: median(cpu), out };
}
const both = (t) => `median ${t.ms.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU`;
const drain = (chunks) => {
  let bytes = 0;
  for (const c of chunks) bytes += c.length;
  return bytes;
};

const date = '2019-06-01';
const diff = time(() => {
  const engine = new Engine(corpus);
  const A = side(engine, 'us/md/montgomery-county', date), B = side(engine, 'us/md/frederick-county', date);
  const s = new DiffSummarizer();
  let rows = 0;
  for (const r of diffRows(A, B)) { s.add(r); rows++; }
  s.groups(engine.vocabulary);
  return { rows, scenarios: s.total };
});
const diffJsonRun = time(() => {
  const engine = new Engine(corpus);
  const A = side(engine, 'us/md/montgomery-county', date), B = side(engine, 'us/md/frederick-county', date);
  return drain(diffJson(A, B, diffRows(A, B)));
});
// The same diff with its words: the text report in English and in Spanish (catalogs loaded before timing).
const words = { en: analysisWordsFor('en', corpus), es: analysisWordsFor('es', corpus) };
const diffWords = (lang) => time(() => {
  const engine = new Engine(corpus);
  const A = side(engine, 'us/md/montgomery-county', date), B = side(engine, 'us/md/frederick-county', date);
  const s = new DiffSummarizer();
  for (const r of diffRows(A, B)) s.add(r);
  return words[lang].diffText(A, B, s).length;
});
const diffText = { en: diffWords('en'), es: diffWords('es') };
// Peer: the same diff by brute force, every concrete scenario of every agency and request decided on both sides.
const naive = (() => {
  const engine = new Engine(corpus);
  const vocab = engine.vocabulary;
  const s = performance.now(), c = cpuMs();
  let scenarios = 0, differ = 0;
  for (const agency of vocab.agencyIds) {
    for (const request of vocab.requestIds) {
      const relevant = vocab.factsFor(request).map((f) => f.index);
      for (const p of points(vocab, relevant, emptyFacts(vocab))) {
        scenarios++;
        const a = engine.outcome(scenarioOf('us/md/montgomery-county', agency, request, date, p));
        const b = engine.outcome(scenarioOf('us/md/frederick-county', agency, request, date, p));
        if (a !== b) differ++;
      }
    }
  }
  return { ms: performance.now() - s, cpu: cpuMs() - c, scenarios, differ };
})();
const md = (engine) => jurisdictionsUnder(engine, 'us/md', true);
const tableText = time(() => {
  const engine = new Engine(corpus);
  return words.en.tableSummaryText(tableSummary(engine, md(engine), date)).length;
});
const tableJ = time(() => {
  const engine = new Engine(corpus);
  return { jurisdictions: md(engine).length, bytes: drain(tableJson(engine, tableRows(engine, md(engine), date), false)) };
});
const tableC = time(() => {
  const engine = new Engine(corpus);
  let rows = 0;
  for (const _ of tableRows(engine, md(engine), date)) rows++;
  return { rows, bytes: drain(tableCsv(engine, tableRows(engine, md(engine), date))) };
});
let peak = process.memoryUsage().rss;
const expanded = skipExpand ? undefined : (() => {
  const engine = new Engine(corpus);
  const s = performance.now();
  let rows = 0, bytes = 0;
  for (const c of tableCsv(engine, (function* () { for (const r of tableRows(engine, md(engine), date, { expand: true })) { rows++; yield r; } })())) {
    bytes += c.length;
    if ((rows & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { rows, bytes, ms: performance.now() - s };
})();

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, node ${process.version}`);
console.log(`corpus: ${corpus.instruments.size} instruments, ${corpus.provisions.size} provisions, ${corpus.jurisdictions.size} jurisdictions (load ${loadMs.toFixed(0)} ms)`);
console.log(`diff montgomery vs frederick ${date}, all agencies and requests, with summary: ${both(diff)} (max ${diff.max.toFixed(0)} wall) over ${runs} runs — ${diff.out.rows} rows, ${diff.out.scenarios} concrete scenarios`);
console.log(`diff as JSON (with governing per row): ${both(diffJsonRun)} — ${(diffJsonRun.out / 1e3).toFixed(0)} kB`);
console.log(`diff with its text report: en ${both(diffText.en)} (${(diffText.en.out / 1e3).toFixed(1)} kB), es ${both(diffText.es)} (${(diffText.es.out / 1e3).toFixed(1)} kB)`);
console.log(`peer, the same diff by brute force (engine.outcome on both sides of every concrete scenario): ${naive.ms.toFixed(0)} ms wall, ${naive.cpu.toFixed(0)} ms CPU — ${naive.scenarios} scenarios, ${naive.differ} differ; the diff takes ${(diff.cpu / naive.cpu).toFixed(2)}x its CPU time`);
console.log(`table us/md --all-descendants ${date} --json: ${both(tableJ)} (max ${tableJ.max.toFixed(0)}) — ${tableJ.out.jurisdictions} jurisdictions, ${mb(tableJ.out.bytes)}`);
console.log(`table us/md --all-descendants ${date}, text summary (en): ${both(tableText)} (max ${tableText.max.toFixed(0)}) — ${(tableText.out / 1e3).toFixed(0)} kB`);
console.log(`table us/md --all-descendants ${date} --csv (rows counted, then written): ${both(tableC)} — ${tableC.out.rows} rows, ${mb(tableC.out.bytes)}`);
if (expanded) console.log(`table us/md --all-descendants ${date} --csv --expand: ${expanded.ms.toFixed(0)} ms — ${expanded.rows} concrete rows, ${mb(expanded.bytes)}, peak RSS ${mb(peak)}`);
