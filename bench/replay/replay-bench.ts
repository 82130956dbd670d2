// Replay benchmark (issue 10): 2 million synthetic records in the Deportation Data Project layout replayed end to end
// (read, map, decide, aggregate, write), against peers run on the same file in the same run: a bare parse with the
// same CSV library (uDSV), and csv-parse. Every contender runs in its own process, so each peak RSS is its own.
//
//   npm run --silent build && npx tsc -p bench/tsconfig.json && node dist-bench/bench/replay/replay-bench.js [records]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as csvParse } from 'csv-parse';
import type { RecordReport } from '../../src/replay/report.js';
import { root } from '../lib/paths.js';

// The benchmark measures what ships: the compiled modules in dist/ (npm run build), typed by their sources.
const dist = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(root, 'dist', file)).href)) as T;
const { loadCorpusOrThrow } = await dist<typeof import('../../src/policy/load.js')>('policy/load.js');
const { Engine } = await dist<typeof import('../../src/engine/engine.js')>('engine/engine.js');
const { loadFacilityTable } = await dist<typeof import('../../src/replay/facilities.js')>('replay/facilities.js');
const { streamCsv } = await dist<typeof import('../../src/replay/inputs.js')>('replay/inputs.js');
const { replayFile } = await dist<typeof import('../../src/replay/run.js')>('replay/run.js');
const { reportCsv } = await dist<typeof import('../../src/replay/report.js')>('replay/report.js');
const { writeSyntheticCsv } = await dist<typeof import('../../src/replay/synthetic.js')>('replay/synthetic.js');

const self = fileURLToPath(import.meta.url);
const SEED = 10;

interface Result {
  mode: string;
  records: number;
  /** Wall time, and CPU time (user + system, every thread): the machine is shared, so CPU time is the steadier. */
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  extra?: Record<string, unknown>;
}

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let records = 0;
  let extra: Record<string, unknown> | undefined;
  if (mode === 'udsv') {
    await streamCsv(file, () => undefined, () => {
      records++;
    });
  } else if (mode === 'csv-parse') {
    const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(csvParse({ from_line: 2 }));
    for await (const _ of parser) records++;
  } else {
    // The replay end to end: corpus and engine (timed apart), then read, place, decide, aggregate and write.
    const corpus = loadCorpusOrThrow();
    const engine = new Engine(corpus);
    const loaded = performance.now();
    const report = (await replayFile(file, engine, { format: 'ddp', table: loadFacilityTable() })) as RecordReport;
    const out = path.join(path.dirname(file), `report-${process.pid}.json`);
    writeFileSync(out, JSON.stringify(report));
    writeFileSync(`${out}.csv`, reportCsv(report));
    rmSync(out);
    rmSync(`${out}.csv`);
    records = report.records;
    extra = {
      load_ms: Math.round(loaded - t0), replay_ms: Math.round(performance.now() - loaded), rows: report.rows.length,
      labels: report.labels, unplaced: report.unplaced.length, other_states: Object.keys(report.other_states).length,
    };
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const result: Result = { mode, records, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...(extra ? { extra } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function run(mode: string, file: string): Result {
  const r = spawnSync(process.execPath, [self, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

function cli(file: string): { ms: number } {
  const t0 = performance.now();
  const r = spawnSync(path.join(root, 'bin', 'trustrules'), ['replay', file, '--format', 'ddp', '--csv'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`cli failed: ${r.stderr}`);
  return { ms: Math.round(performance.now() - t0) };
}

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 2_000_000);
  const dir = path.join(tmpdir(), 'trustrules-replay-bench');
  mkdirSync(dir, { recursive: true });
  const table = loadFacilityTable();
  const file = path.join(dir, `ddp-${records}-seed${SEED}.csv`);
  const small = path.join(dir, `ddp-${records / 10}-seed${SEED}.csv`);
  for (const [f, n] of [[file, records], [small, records / 10]] as const) {
    if (!existsSync(f)) await writeSyntheticCsv(f, table, { layout: 'ddp', records: n, seed: SEED, from: '2013-01-01', to: '2026-11-30' });
  }
  const mb = (f: string) => Math.round(statSync(f).size / 1e6);
  process.stderr.write(`files: ${file} (${mb(file)} MB), ${small} (${mb(small)} MB)\n`);
  // Two rounds of the replay and its peer (the bare parse), alternating, best of each: the machine is shared, so a
  // round can be slowed by others. csv-parse, the slow peer, runs once.
  const rounds: Result[][] = [];
  for (let i = 0; i < 2; i++) rounds.push([run('udsv', file), run('replay', file)]);
  rounds.push([run('csv-parse', file)]);
  const best = (mode: string, by: 'ms' | 'cpuMs') => rounds.flat().filter((r) => r.mode === mode).sort((a, b) => a[by] - b[by])[0]!;
  const smallReplay = run('replay', small);
  const end = cli(file);
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
  const contender = (mode: string) => {
    const wall = best(mode, 'ms');
    const cpu = best(mode, 'cpuMs');
    return { wall_ms: wall.ms, cpu_ms: cpu.cpuMs, records_per_s_wall: rate(wall.records, wall.ms), records_per_s_cpu: rate(cpu.records, cpu.cpuMs), max_rss_mb: Math.max(...rounds.flat().filter((r) => r.mode === mode).map((r) => r.maxRssMb)) };
  };
  const replay = contender('replay');
  const udsv = contender('udsv');
  const summary = {
    records, file_mb: mb(file), seed: SEED,
    replay, bare_parse_udsv: udsv, csv_parse: contender('csv-parse'),
    replay_tenth: { records: smallReplay.records, wall_ms: smallReplay.ms, cpu_ms: smallReplay.cpuMs, max_rss_mb: smallReplay.maxRssMb },
    cli_csv_wall_ms: end.ms, cli_records_per_s_wall: rate(records, end.ms),
    ratio_replay_to_bare_parse_wall: Math.round((replay.wall_ms / udsv.wall_ms) * 100) / 100,
    ratio_replay_to_bare_parse_cpu: Math.round((replay.cpu_ms / udsv.cpu_ms) * 100) / 100,
    ratio_csv_parse_to_udsv_cpu: Math.round((contender('csv-parse').cpu_ms / udsv.cpu_ms) * 100) / 100,
    replay_detail: best('replay', 'ms').extra,
    rounds,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
