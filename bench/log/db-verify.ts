// `trustrules log verify` of N records read back from a real database (issue 8: "log verify of 1M records, target
// < 10 s"): fills a fresh store through the store's own group-committed appends, closes it, then times the CLI verb
// (a separate process, as a person runs it) with its peak RSS, on PGlite and on PostgreSQL (127.0.0.1:5432, or
// TRUSTRULES_TEST_DATABASE_URL). A bounded RSS with N is what shows the records are streamed, not held.
//   npm run build && npx tsc -p bench/tsconfig.json && node dist-bench/bench/log/db-verify.js [--n 1000000] [--kinds pglite,postgres] [--compare DIR]
// --compare DIR also runs DIR's bin/trustrules (another build, e.g. the commit before a change) on the same store, after.
// --profile DIR writes a V8 CPU profile of each verify process there (summarise with dist-bench/bench/profile-summary.js).
// --reuse URL keeps the store in an existing PostgreSQL database (`createdb -h 127.0.0.1 -U postgres verify1m`): filled
// on the first run (its key kept in /tmp/trustrules-bench-reuse-<database>), only verified on the next ones, never
// dropped. Filling a million records takes minutes; verifying one takes seconds.
// --repeat K runs the verify K times on the same store (each one a fresh process).
// Prints a human summary on stderr and one JSON object as the last line of stdout.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { NewContact, Receipt } from '../../src/store/contacts.js';
import { loadDist, root } from '../lib/paths.js';

// What ships (dist/), as the other benchmarks measure it: the store reads its migrations and the engine its files
// from beside the built code.
const dist = await loadDist();
const at = <T>(p: string) => import(pathToFileURL(path.join(root, 'dist', p)).href) as Promise<T>;
const { decide } = await at<typeof import('../../src/app/presentation/decisions.js')>('app/presentation/decisions.js');
const { openContactStore } = await at<typeof import('../../src/store/open.js')>('store/open.js');
const { freshStore } = await at<typeof import('../../src/store/testDatabases.js')>('store/testDatabases.js');
const { addUser } = await at<typeof import('../../src/store/users.js')>('store/users.js');
const { openDatabase } = await at<typeof import('../../src/store/database.js')>('store/database.js');

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const N = Number(opt('n', '1000000'));
const kinds = opt('kinds', 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const compare = opt('compare', '');
const profileDir = opt('profile', '');
const reuse = opt('reuse', '');
const repeat = Number(opt('repeat', '1'));
/** Appends kept in flight while filling: enough for full group commits (MAX_BATCH 512). */
const IN_FLIGHT = 4096;
const log = (m: string) => process.stderr.write(`${m}\n`);

const engine = new dist.Engine(dist.loadCorpusOrThrow(path.join(root, 'policies')));
const COUNTY = 'us/md/montgomery-county';
const AGENCIES = ['police', 'corrections', 'sheriff'];
const ACTIONS = ['declined', 'complied', 'referred_to_supervisor'] as const;
/** Decisions of the few scenarios the records use, made once. */
const decisions = AGENCIES.map((agency) => {
  const scenario = { date: '2026-03-10', actor: { jurisdiction: COUNTY, agency }, request: 'detain_past_release', basis: 'ice_detainer' };
  return { scenario, decision: decide(engine, scenario) };
});
function contact(i: number): NewContact {
  const { scenario, decision } = decisions[i % decisions.length]!;
  const action = ACTIONS[(i >> 2) % ACTIONS.length]!;
  return {
    scenario, jurisdiction: COUNTY, agency: scenario.actor.agency, occurred_at: `2026-03-10T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00-05:00`,
    agent: 'ice_ero', action, decision, deviation: decision.outcome === 'prohibited' && action === 'complied',
  };
}

interface Run {
  kind: string;
  records: number;
  fillSeconds: number;
  appendsPerSecond: number;
  verify: Verify;
  /** The same verify by the --compare build, on the same store. */
  compared?: Verify & { build: string };
}

interface Verify { seconds: number; cpuSeconds: number; rssMb: number; status: number | null; output: string }

/** `log verify` by one build's CLI, timed by /usr/bin/time (wall, CPU, peak RSS). */
function verifyWith(build: string, where: string[], keyFile: string): Verify {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...profile, path.join(build, 'bin', 'trustrules'), 'log', 'verify', ...where, '--log-key-file', keyFile], {
    encoding: 'utf8', maxBuffer: 1 << 24,
  });
  const [seconds, user, sys, rssKb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  if (r.status !== 0) log(r.stderr);
  return { seconds: seconds!, cpuSeconds: user! + sys!, rssMb: Math.round(rssKb! / 1024), status: r.status, output: r.stdout.trim() };
}

const runs: Run[] = [];
/** The store to fill and verify: a fresh one, or with --reuse the named database, kept afterwards. */
async function storeFor(kind: 'pglite' | 'postgres'): Promise<{ config: Awaited<ReturnType<typeof freshStore>>['config']; filled: number; dispose(): Promise<void> }> {
  if (!reuse) return { ...(await freshStore(kind)), filled: 0 };
  if (kind !== 'postgres') throw new Error('--reuse takes a PostgreSQL URL: run with --kinds postgres');
  const dir = path.join(os.tmpdir(), `trustrules-bench-reuse-${new URL(reuse).pathname.slice(1)}`);
  mkdirSync(dir, { recursive: true });
  const config = { databaseUrl: reuse, dataDir: path.join(dir, 'data'), keyFile: path.join(dir, 'data', 'log.key') };
  const db = await openDatabase(config);
  const head = await db.query<{ size: string }>('SELECT size FROM log_head WHERE id = 1').catch(() => []);
  await db.close();
  const filled = head[0] ? Number(head[0].size) : 0;
  if (filled !== 0 && filled !== N) throw new Error(`--reuse: ${reuse} holds ${filled} records, not ${N} (drop and recreate it, or pass --n ${filled})`);
  return { config, filled, dispose: async () => undefined };
}

for (const kind of kinds) {
  const t = await storeFor(kind);
  try {
    const open = await openContactStore(t.config);
    const t0 = performance.now();
    let next = t.filled;
    let done = 0;
    const user = next < N ? (await addUser(open.db, { name: 'bench desk', role: 'staff', jurisdiction: COUNTY })).user : null;
    if (user) await new Promise<void>((resolve, reject) => {
      const more = () => {
        while (next < N && next - done < IN_FLIGHT) {
          const i = next++;
          open.store.append(contact(i), user).then((_: Receipt) => {
            done++;
            if (done % 100_000 === 0) log(`${kind}: ${done} records appended`);
            if (done === N) resolve();
            else more();
          }, reject);
        }
      };
      more();
    });
    const fillSeconds = (performance.now() - t0) / 1000;
    // What autovacuum does on a production server (it is off on the session's): without statistics the planner
    // picks a parallel bitmap scan for verify's chunks instead of merging two index range scans.
    if (user && kind === 'postgres') await open.db.query('ANALYZE contact_records, log_nodes');
    await open.close();
    if (t.filled) log(`${kind}: reusing ${reuse}, ${t.filled} records already there`);
    else log(`${kind}: ${N} records appended in ${fillSeconds.toFixed(1)} s (${Math.round(N / fillSeconds)}/s, batches of up to 512)`);

    const where = t.config.databaseUrl ? ['--database-url', t.config.databaseUrl] : ['--data', t.config.dataDir];
    const say = (who: string, v: Verify) => log(`${kind}: ${who} log verify: ${v.seconds.toFixed(1)} s wall, ${v.cpuSeconds.toFixed(1)} s CPU, peak RSS ${v.rssMb} MB, exit ${v.status}: ${v.output}`);
    for (let k = 0; k < repeat; k++) {
      const before = os.loadavg()[0]!;
      const verify = verifyWith(root, where, t.config.keyFile);
      say(`trustrules (load ${before.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)})`, verify);
      const run: Run = { kind, records: N, fillSeconds: t.filled ? 0 : fillSeconds, appendsPerSecond: t.filled ? 0 : N / fillSeconds, verify };
      if (compare) {
        run.compared = { ...verifyWith(compare, where, t.config.keyFile), build: compare };
        say(`${compare} (load ${os.loadavg()[0]!.toFixed(2)})`, run.compared);
      }
      runs.push(run);
    }
  } finally {
    await t.dispose();
  }
}
process.stdout.write(`${JSON.stringify({ section: 'log-db-verify', n: N, loadAverage: os.loadavg(), runs })}\n`);
