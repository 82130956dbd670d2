// The fuzz run (issue 11): at least 100,000 malformed requests across every endpoint against `trustrules serve` from
// the built package (PGlite store, a staff token for the contact routes): 0 crashes, 0 5xx, every refusal the
// contract's error object. A smaller seeded run of the same generator is a test (fuzz.test.ts).
//   npm run build && npx tsc -p bench/tsconfig.json && node dist-bench/bench/fuzz/fuzz.js [--requests 100000] [--seed 11] [--connections 16]
import os from 'node:os';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { freshStore } from '../../src/store/testDatabases.js';
import { request, startServerProcess } from '../../src/store/testServers.js';
import { addUser } from '../../src/store/users.js';
import { fuzz } from './send.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const count = opt('--requests', 100_000);
const seed = opt('--seed', 11);
const connections = opt('--connections', 16);
const log = (m: string) => process.stderr.write(`${m}\n`);

const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');
const t = await freshStore('pglite');
const db = await openDatabase(t.config);
await migrate(db);
const token = (await addUser(db, { name: 'fuzz', role: 'staff', jurisdiction: 'us/md/montgomery-county' })).token;
await db.close();
const server = await startServerProcess({ TRUSTRULES_DATA_DIR: t.config.dataDir, TRUSTRULES_LOG_KEY_FILE: t.config.keyFile });
try {
  const report = await fuzz({ port: server.port, seed, count, connections, token, onProgress: (n) => log(`${n.toLocaleString('en')} sent`) });
  const alive = server.child.exitCode === null && server.child.signalCode === null;
  const health = await request({ port: server.port, method: 'GET', path: '/healthz' }).then((r) => r.status, () => 0);
  const problems = Object.values(report.problems).reduce((n, p) => n + p.count, 0);
  process.stdout.write(`${JSON.stringify({
    date: new Date().toISOString(),
    machine: `${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), load ${loadBefore} before, ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} after`,
    seed, connections, ...report, problemsTotal: problems,
    fivexx: Object.entries(report.statuses).filter(([s]) => s.startsWith('5')).reduce((n, [, c]) => n + c, 0),
    crashes: alive && health === 200 ? 0 : 1,
    perSecond: Math.round((report.requests / report.ms) * 1000),
  }, null, 2)}\n`);
} finally {
  await server.stop();
  await t.dispose();
}
