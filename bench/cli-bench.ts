// Section 2c/d: the command line, end to end. `decide --jsonl` on a generated file (wall clock) and one `decide`
// from a cold start (median of 20). Uses hyperfine when installed, else times the child process from node.
// Prints one JSON object (the last line of stdout) for bench/run.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadWholeCorpus, policiesArg } from './lib/corpus.js';
import { loadDist, root } from './lib/paths.js';
import { corpusScenarios } from './lib/scenarios.js';
import { median } from './lib/timing.js';

const LINES = Number(process.env.BENCH_CLI_LINES ?? 500_000);
const JSONL_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 3);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 20);
const SEED = 20260303;
const log = (m: string) => process.stderr.write(`${m}\n`);

const dist = await loadDist();
const given = policiesArg();
const { corpus, policies } = await loadWholeCorpus(dist, given);
const engine = new dist.Engine(corpus);
const policyArgs = given ? ['--policies', policies] : [];
const bin = path.join(root, 'bin', 'trustrules');

const dir = mkdtempSync(path.join(tmpdir(), 'trustrules-bench-cli-'));
const jsonl = path.join(dir, 'scenarios.jsonl');
const one = path.join(dir, 'one.json');
{
  const out = createWriteStream(jsonl);
  const jurisdictions = [...corpus.jurisdictions.keys()].sort();
  const chunk = 10_000;
  for (let i = 0; i < LINES; i += chunk) {
    const lines = corpusScenarios(Math.min(chunk, LINES - i), SEED + i, engine.vocabulary, jurisdictions).map((s) => JSON.stringify(s));
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
writeFileSync(one, JSON.stringify({
  date: '2025-03-01', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'corrections' },
  request: 'detain_past_release', basis: 'ice_detainer', serious_offense: false,
}));
log(`cli: ${LINES} scenarios in ${jsonl} (${(statSync(jsonl).size / 1e6).toFixed(0)} MB)`);

// Check the run once: exit status, one output line per input line, and the output size.
const check = spawnSync('sh', ['-c', `"${bin}" decide --jsonl ${policyArgs.map((a) => `"${a}"`).join(' ')} "${jsonl}" | wc -lc`], { encoding: 'utf8', maxBuffer: 1 << 20 });
const [outLines, outBytes] = check.stdout.trim().split(/\s+/).map(Number);
if (check.status !== 0 || outLines !== LINES) {
  log(`cli: decide --jsonl failed: status ${check.status}, ${outLines} lines out of ${LINES}\n${check.stderr}`);
  process.exit(1);
}
log(`cli: decide --jsonl gave ${outLines} lines, ${((outBytes ?? 0) / 1e6).toFixed(0)} MB of decisions`);

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;
const shellQuote = (args: readonly string[]) => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/** Wall-clock seconds of each run (stdout to /dev/null), via hyperfine or node. */
function wallClock(args: readonly string[], runs: number, warmup: number): { seconds: number[]; tool: string } {
  if (hasHyperfine) {
    const json = path.join(dir, 'hyperfine.json');
    execFileSync('hyperfine', ['--runs', String(runs), '--warmup', String(warmup), '--export-json', json, '--style', 'none', shellQuote(args)], { stdio: ['ignore', 'ignore', 'inherit'] });
    const result = (JSON.parse(readFileSync(json, 'utf8')) as { results: { times: number[] }[] }).results[0]!;
    return { seconds: result.times, tool: 'hyperfine' };
  }
  const devnull = openSync('/dev/null', 'w');
  const seconds: number[] = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const r = spawnSync(args[0]!, args.slice(1), { stdio: ['ignore', devnull, 'ignore'] });
      const s = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
      if (i >= warmup) seconds.push(s);
    }
  } finally {
    closeSync(devnull);
  }
  return { seconds, tool: 'node spawnSync' };
}

const batch = wallClock([bin, 'decide', '--jsonl', ...policyArgs, jsonl], JSONL_RUNS, 0); // the check run above warmed the page cache
const batchSeconds = median(batch.seconds);
log(`cli: decide --jsonl ${LINES} lines: ${batch.seconds.map((s) => s.toFixed(2)).join(', ')} s → ${(LINES / batchSeconds / 1000).toFixed(1)} k decisions/s`);

const batchEs = wallClock([bin, 'decide', '--jsonl', '--lang', 'es', ...policyArgs, jsonl], JSONL_RUNS, 0);
const batchEsSeconds = median(batchEs.seconds);
log(`cli: decide --jsonl --lang es ${LINES} lines: ${batchEs.seconds.map((s) => s.toFixed(2)).join(', ')} s → ${(LINES / batchEsSeconds / 1000).toFixed(1)} k decisions/s`);

const cold = wallClock([bin, 'decide', ...policyArgs, one], COLD_RUNS, 3);
const nodeOnly = wallClock([process.execPath, '-e', '0'], COLD_RUNS, 3);
log(`cli: one decide, cold start: median ${(median(cold.seconds) * 1000).toFixed(0)} ms (node -e 0: ${(median(nodeOnly.seconds) * 1000).toFixed(0)} ms)`);

rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({
  section: 'cli', tool: batch.tool, lines: LINES, seed: SEED, outputBytes: outBytes,
  jsonl: { runs: batch.seconds, medianSeconds: batchSeconds, perSecond: LINES / batchSeconds },
  jsonlEs: { runs: batchEs.seconds, medianSeconds: batchEsSeconds, perSecond: LINES / batchEsSeconds },
  cold: { runs: cold.seconds, medianMs: median(cold.seconds) * 1000 },
  nodeStartup: { medianMs: median(nodeOnly.seconds) * 1000 },
})}\n`);
