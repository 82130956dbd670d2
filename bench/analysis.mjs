#!/usr/bin/env node
// Analysis benchmarks (issue 4): a full diff of two counties on one date, and a table for every Maryland jurisdiction
// on one date (JSON and CSV), each from a cold engine (corpus loaded once, as the CLI does). Also the peak RSS of an
// expanded (fully concrete) CSV table of all Maryland streamed to a byte counter, to show memory stays bounded.
// Usage: npm run build && node bench/analysis.mjs [--runs N]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Engine } from '../dist/engine/engine.js';
import { loadCorpusOrThrow } from '../dist/policy/load.js';
import { diffRows, DiffSummarizer, diffJson } from '../dist/analysis/diff.js';
import { tableCsv, tableJson, tableRows } from '../dist/analysis/table.js';
import { jurisdictionsUnder } from '../dist/analysis/space.js';
import { side } from '../dist/analysis/params.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const t0 = performance.now();
const corpus = loadCorpusOrThrow();
const loadMs = performance.now() - t0;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  const ms = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    out = fn();
    ms.push(performance.now() - s);
  }
  return { ms: median(ms), max: Math.max(...ms), out };
}
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
const md = (engine) => jurisdictionsUnder(engine, 'us/md', true);
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
const expanded = (() => {
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
console.log(`diff montgomery vs frederick ${date}, all agencies and requests, with summary: median ${diff.ms.toFixed(0)} ms (max ${diff.max.toFixed(0)}) over ${runs} runs — ${diff.out.rows} rows, ${diff.out.scenarios} concrete scenarios`);
console.log(`diff as JSON (with governing per row): median ${diffJsonRun.ms.toFixed(0)} ms — ${(diffJsonRun.out / 1e3).toFixed(0)} kB`);
console.log(`table us/md --all-descendants ${date} --json: median ${tableJ.ms.toFixed(0)} ms (max ${tableJ.max.toFixed(0)}) — ${tableJ.out.jurisdictions} jurisdictions, ${mb(tableJ.out.bytes)}`);
console.log(`table us/md --all-descendants ${date} --csv (rows counted, then written): median ${tableC.ms.toFixed(0)} ms — ${tableC.out.rows} rows, ${mb(tableC.out.bytes)}`);
console.log(`table us/md --all-descendants ${date} --csv --expand: ${expanded.ms.toFixed(0)} ms — ${expanded.rows} concrete rows, ${mb(expanded.bytes)}, peak RSS ${mb(peak)}`);
