// `log verify`'s worker threads compared in one process (issue 8): verifyStoredLog from the built package (dist/) on
// one PostgreSQL store, with each thread count given in turn (0: the rows checked in the verifier's own thread), wall
// and CPU (all threads) of each; alternate the counts (0 1 2 0 1 2) so that a loaded machine disturbs them alike.
//   node bench/log/verify-threads.mjs URL KEY_FILE 0 1 2 0 1 2
// URL and KEY_FILE as db-verify.js --reuse left them (the key in /tmp/trustrules-bench-reuse-<database>/data/log.key).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [url, keyFile, ...threads] = process.argv.slice(2);
if (!url || !keyFile || threads.length === 0) {
  process.stderr.write('usage: node bench/log/verify-threads.mjs DATABASE_URL KEY_FILE THREADS...\n');
  process.exit(2);
}
const at = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const { openDatabase } = await at('store/database.js');
const { verifyStoredLog } = await at('store/verify.js');
const { logSigner } = await at('store/open.js');
const { NoteVerifier } = await at('log/index.js');
const config = { databaseUrl: url, dataDir: path.dirname(keyFile), keyFile };
const verifier = NoteVerifier.parse(logSigner(config).verifierKey());
for (const t of threads) {
  const db = await openDatabase(config);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const load0 = os.loadavg()[0];
  const r = await verifyStoredLog(db, verifier, [], 5000, Number(t));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ threads: Number(t), wall: +wall.toFixed(2), cpu: +((cpu.user + cpu.system) / 1e6).toFixed(2), load: [load0, os.loadavg()[0]], ok: r.ok, records: r.records, root: r.root })}\n`);
  await db.close();
}
