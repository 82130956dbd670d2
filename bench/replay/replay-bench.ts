// Replay benchmark (issue 10): 2 million synthetic records in the Deportation Data Project layout replayed end to end
// (read, map, decide, aggregate, write), against peers run on the same file in the same run: a bare parse with the
// same CSV library (uDSV), and csv-parse. Every contender runs in its own process, so each peak RSS is its own.
//
//   npm run --silent build && npx tsc -p bench/tsconfig.json && node dist-bench/bench/replay/replay-bench.js [records]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
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
  ms: number;
  maxRssMb: number;
  extra?: Record<string, unknown>;
}

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
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
    records = report.records;
    extra = {
      load_ms: Math.round(loaded - t0), replay_ms: Math.round(performance.now() - loaded), rows: report.rows.length,
      labels: report.labels, unplaced: report.unplaced.length, other_states: Object.keys(report.other_states).length,
    };
  }
  const ms = performance.now() - t0;
  const result: Result = { mode, records, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...(extra ? { extra } : {}) };
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
  // Two rounds, alternating contenders, best of each: the machine is shared, so a round can be slowed by others.
  const rounds: Result[][] = [];
  for (let i = 0; i < 2; i++) rounds.push([run('udsv', file), run('replay', file), run('csv-parse', file)]);
  const best = (mode: string) => rounds.flat().filter((r) => r.mode === mode).sort((a, b) => a.ms - b.ms)[0]!;
  const udsv = best('udsv');
  const replay = best('replay');
  const csv = best('csv-parse');
  const smallReplay = run('replay', small);
  const end = cli(file);
  const perSecond = (r: Result) => Math.round(r.records / (r.ms / 1000));
  const replayOnly = replay.extra!.replay_ms as number;
  const summary = {
    records, file_mb: mb(file), seed: SEED,
    replay: { ...replay, records_per_s: perSecond(replay), records_per_s_after_load: Math.round(records / (replayOnly / 1000)) },
    bare_parse_udsv: { ...udsv, records_per_s: perSecond(udsv) },
    csv_parse: { ...csv, records_per_s: perSecond(csv) },
    replay_tenth: { ...smallReplay, records_per_s: perSecond(smallReplay) },
    cli_csv_ms: end.ms, cli_records_per_s: Math.round(records / (end.ms / 1000)),
    ratio_replay_to_bare_parse: Math.round((replayOnly / udsv.ms) * 100) / 100,
    ratio_csv_parse_to_udsv: Math.round((csv.ms / udsv.ms) * 100) / 100,
    rounds,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
