// Runs every benchmark, each section in a fresh node process, and prints the results table (markdown).
//   npm run bench                 # builds dist/ and dist-bench/, then runs this
//   npm run bench -- --quick      # smaller sizes, for a smoke run
//   npm run bench -- --save       # also writes bench/results.json
import { execSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWholeCorpus } from './lib/corpus.js';
import { loadDist, root } from './lib/paths.js';
import { fmtRate, type Rate } from './lib/timing.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (m: string) => process.stderr.write(`${m}\n`);

const sh = (cmd: string) => { try { return execSync(cmd, { encoding: 'utf8', cwd: root }).trim(); } catch { return '?'; } };
const machine = {
  date: new Date().toISOString(),
  nproc: sh('nproc'),
  cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? os.cpus()[0]?.model ?? '?',
  memory: sh(`free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}'`),
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  commit: sh('git rev-parse --short HEAD'),
  loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  loadAfter: '',
};

const quickEnv = quick ? { BENCH_PEER_N: '20000', BENCH_CORPUS_N: '20000', BENCH_CLI_LINES: '20000', BENCH_CLI_RUNS: '1', BENCH_COLD_RUNS: '5' } : {};
const dist = await loadDist();
const whole = await loadWholeCorpus(dist);
const childArgs = whole.source === 'working tree' ? [] : ['--policies', whole.policies];
const env = { ...process.env, ...quickEnv, BENCH_POLICIES_SOURCE: whole.source };

function section<T>(script: string, nodeArgs: string[] = []): T {
  log(`\n== ${script}`);
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(here, script), ...childArgs], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${script} failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

interface Row { name: string; what: string; rate: Rate }
const peers = section<{ n: number; seed: number; rows: Row[] }>('peers-bench.js');
const corpus = section<{
  n: number; source: string; instruments: number; provisions: number; jurisdictions: number; distinct: number;
  outcomes: Record<string, number>; loadMs: number; rows: Row[];
}>('corpus-bench.js');
const cli = section<{
  tool: string; lines: number; outputBytes: number; jsonl: { perSecond: number; runs: number[] }; jsonlEs: { perSecond: number; runs: number[] }; cold: { medianMs: number; runs: number[] };
  nodeStartup: { medianMs: number };
}>('cli-bench.js');
const rss = section<{
  startMB: number; afterLoad: { rssMB: number }; afterSmallWarmup: { rssMB: number; heapUsedMB: number }; after200k: { rssMB: number; heapUsedMB: number };
}>('rss.js', ['--expose-gc']);
machine.loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');

const peer = (name: string) => peers.rows.find((r) => r.name === name)!.rate.perSecond;
const hand = peer('hand-written function');
const cedar = peer('Cedar (cedar-wasm, stateful)');
const c = (name: string) => corpus.rows.find((r) => r.name === name)!.rate.perSecond;
const ok = (b: boolean) => (b ? 'met' : '**missed**');
const x = (v: number) => (v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(2)}×`);

const lines: string[] = [];
lines.push(`### 1. Peer comparison — one small policy, ${peers.n.toLocaleString('en')} seeded scenarios, one process`, '');
lines.push('| contender | what is timed | decisions/s | vs hand-written | vs Cedar |', '|---|---|---:|---:|---:|');
for (const r of peers.rows) {
  const v = r.rate.perSecond;
  const vs = (ref: number) => (v === ref ? '—' : v >= ref ? `${x(v / ref)} faster` : `${x(ref / v)} slower`);
  lines.push(`| ${r.name} | \`${r.what}\` | ${fmtRate(v)} | ${vs(hand)} | ${vs(cedar)} |`);
}
const tr = peer('trustrules outcome');
lines.push('', `Targets: trustrules ≥ 100× Cedar — ${x(tr / cedar)}, ${ok(tr / cedar >= 100)}; within 2× of the hand-written function — ${x(hand / tr)} slower, ${ok(hand / tr <= 2)}.`, '');

lines.push(`### 2. Whole corpus — ${corpus.instruments} instruments, ${corpus.provisions} provisions, ${corpus.jurisdictions} jurisdictions (${corpus.source})`, '');
lines.push(`${corpus.n.toLocaleString('en')} random valid scenarios, ${corpus.distinct.toLocaleString('en')} distinct decisions among them; outcomes ${Object.entries(corpus.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
lines.push('| measure | what is timed | result | target | |', '|---|---|---:|---:|---|');
for (const r of corpus.rows) {
  const target = r.name === 'full decision, steady state' ? 300e3 : r.name === 'outcome only, steady state' ? 3e6 : undefined;
  lines.push(`| ${r.name} | \`${r.what}\` | ${fmtRate(r.rate.perSecond)} | ${target ? `≥ ${fmtRate(target)}` : ''} | ${target ? ok(r.rate.perSecond >= target) : ''} |`);
}
lines.push(`| \`decide --jsonl\`, end to end | ${cli.lines.toLocaleString('en')} lines, wall clock (${cli.tool}), ${(cli.outputBytes / 1e6).toFixed(0)} MB out | ${fmtRate(cli.jsonl.perSecond)} | ≥ 100 k/s | ${ok(cli.jsonl.perSecond >= 100e3)} |`);
lines.push(`| \`decide --jsonl --lang es\`, end to end | the same lines, decisions worded in Spanish | ${fmtRate(cli.jsonlEs.perSecond)} | ≥ 100 k/s | ${ok(cli.jsonlEs.perSecond >= 100e3)} |`);
lines.push(`| one \`decide\`, cold start | median of ${cli.cold.runs.length} (${cli.tool}); bare \`node -e 0\`: ${cli.nodeStartup.medianMs.toFixed(0)} ms | ${cli.cold.medianMs.toFixed(0)} ms | < 400 ms | ${ok(cli.cold.medianMs < 400)} |`);
lines.push(`| RSS, corpus loaded + compiled | fresh process (bare node ${rss.startMB} MB) | ${rss.afterLoad.rssMB} MB | < 100 MB | ${ok(rss.afterLoad.rssMB < 100)} |`);
lines.push(`| RSS, after a 1k-scenario warm-up | 3 × 1,000 decide | ${rss.afterSmallWarmup.rssMB} MB | < 100 MB | ${ok(rss.afterSmallWarmup.rssMB < 100)} |`);
lines.push(`| RSS, after 200k random scenarios | cells and decision parts kept, bounded by the corpus (heap ${rss.after200k.heapUsedMB} MB) | ${rss.after200k.rssMB} MB | (no target: the loaded corpus is the one above) |  |`);
lines.push('', `Machine: ${machine.nproc} cores, ${machine.cpu}; memory ${machine.memory}; node ${machine.node}; ${machine.os}; commit ${machine.commit}; load average ${machine.loadBefore} before, ${machine.loadAfter} after; ${machine.date}.`);

const table = lines.join('\n');
process.stdout.write(`\n${table}\n`);
if (args.includes('--save')) {
  writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify({ machine, quick, peers, corpus, cli, rss }, null, 2)}\n`);
  writeFileSync(path.join(root, 'bench', 'results.md'), `${table}\n`);
  log('wrote bench/results.json and bench/results.md');
}
