// PostgreSQL restarted mid-load: clients append contact records to `trustrules serve` on a throwaway cluster of our
// own; the cluster is stopped (immediate: as in a crash), left down, and started again. While it is away every answer
// must be a contract-shaped 503; afterwards the API must recover by itself (same process), and every acknowledged
// (201) record must be in the store, with `trustrules log verify` passing.
//   npm run build && node bench/faults/pg-restart.mjs [--clients 8] [--before 5] [--down 5] [--after 10] [--mode immediate|fast]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { dist, log, machine, request, requireDist, root, serveProcess, throwawayCluster } from '../load/lib.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const clients = Number(opt('--clients', 8));
const beforeS = Number(opt('--before', 5));
const downS = Number(opt('--down', 5));
const afterS = Number(opt('--after', 10));
const mode = opt('--mode', 'immediate');
const COUNTY = 'us/md/montgomery-county';
const contact = (i) => ({ scenario: { actor: { jurisdiction: COUNTY, agency: i % 2 ? 'police' : 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' }, occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: i % 3 ? 'declined' : 'complied' });

requireDist();
const m = machine();
const cluster = throwawayCluster();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trustrules-pgrestart-'));
const { openDatabase } = await import(dist('store/database.js'));
const { migrate } = await import(dist('store/migrate.js'));
const { addUser } = await import(dist('store/users.js'));
let db = await openDatabase({ databaseUrl: cluster.url, dataDir: tmp });
await migrate(db);
const token = (await addUser(db, { name: 'desk', role: 'staff', jurisdiction: COUNTY })).token;
await db.close();

const server = await serveProcess({ DATABASE_URL: cluster.url, TRUSTRULES_DATA_DIR: tmp, TRUSTRULES_LOG_KEY_FILE: path.join(tmp, 'log.key') });
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
let phase = 'before';
const phases = { before: {}, down: {}, after: {} };
const acknowledged = new Set();
const badBodies = [];
let running = true;
let stoppedAt = 0;
let startedAt = 0;
let firstAckAfterStart = 0;
const t0 = Date.now();

const isContractError = (text) => {
  try {
    const e = JSON.parse(text).error;
    return e && typeof e.path === 'string' && typeof e.message === 'string' && 'given' in e && !/\n\s+at /.test(e.message);
  } catch {
    return false;
  }
};

const loops = Array.from({ length: clients }, async (_, c) => {
  for (let i = 0; running; i++) {
    const r = await request({ port: server.port, method: 'POST', path: '/v1/contacts', body: contact(c + i), headers: { authorization: `Bearer ${token}` }, agent })
      .catch((e) => ({ status: `socket ${e.code ?? e.message}`, body: '' }));
    const counts = phases[phase];
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    if (r.status === 201) {
      acknowledged.add(JSON.parse(r.body).id);
      if (phase === 'after' && !firstAckAfterStart) firstAckAfterStart = Date.now();
    } else {
      if (!isContractError(r.body) && badBodies.length < 5) badBodies.push({ status: r.status, body: r.body.slice(0, 300) });
      await new Promise((res) => setTimeout(res, 50)); // a client that was refused waits a little, as a real one would
    }
  }
});

await new Promise((r) => setTimeout(r, beforeS * 1000));
log(`stopping PostgreSQL (${mode}) after ${((Date.now() - t0) / 1000).toFixed(1)} s, ${acknowledged.size} acknowledged`);
phase = 'down';
cluster.stop(mode);
stoppedAt = Date.now();
await new Promise((r) => setTimeout(r, downS * 1000));
log('starting PostgreSQL again');
cluster.start();
startedAt = Date.now();
phase = 'after';
await new Promise((r) => setTimeout(r, afterS * 1000));
running = false;
await Promise.all(loops);
agent.destroy();
const alive = server.alive();
await server.stop();

db = await openDatabase({ databaseUrl: cluster.url, dataDir: tmp });
const stored = new Set((await db.query('SELECT id FROM contact_records')).map((r) => r.id));
await db.close();
const lost = [...acknowledged].filter((id) => !stored.has(id));
const verify = spawnSync(process.execPath, [path.join(root, 'bin/trustrules'), 'log', 'verify', '--database-url', cluster.url], { encoding: 'utf8', env: { ...process.env, TRUSTRULES_LOG_KEY_FILE: path.join(tmp, 'log.key') } });
cluster.remove();
rmSync(tmp, { recursive: true, force: true });

const result = {
  machine: m, loadAfter: os.loadavg().map((x) => x.toFixed(2)).join(' '), clients, mode, seconds: { before: beforeS, down: downS, after: afterS },
  statuses: phases,
  acknowledged: acknowledged.size, stored: stored.size, lost: lost.length, lostIds: lost.slice(0, 5),
  refusalsNotContractShaped: badBodies,
  recoverySeconds: firstAckAfterStart ? (firstAckAfterStart - startedAt) / 1000 : null,
  serverStayedUp: alive,
  logVerify: { exit: verify.status, output: (verify.stdout + verify.stderr).trim().split('\n').slice(-2).join(' | ') },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
