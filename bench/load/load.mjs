// Load: 30 s at concurrency 50 on POST /v1/decide and on POST /v1/contacts (PostgreSQL), with p50/p99 latency,
// throughput and errors, against `trustrules serve` from the built package; then every acknowledged record is
// counted in the database and `trustrules log verify` recomputes the tree.
//   npm run build && node bench/load/load.mjs [--seconds 30] [--connections 50] [--database-url postgres://…/postgres]
// The contact store is a fresh database created on the server named (default the local 127.0.0.1:5432), dropped after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cannon, dist, log, machine, requireDist, root, serveProcess } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(opt('--seconds', 30));
const connections = Number(opt('--connections', 50));
const admin = opt('--database-url', 'postgres://postgres@127.0.0.1:5432/postgres');
const COUNTY = 'us/md/montgomery-county';
const scenario = { date: '2026-03-10', actor: { jurisdiction: COUNTY, agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' };
const contact = { scenario: { actor: { jurisdiction: COUNTY, agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' }, occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: 'declined' };

requireDist();
const before = machine();
const dbName = `trustrules_load_${process.pid}`;
const adminClient = new pg.Client({ connectionString: admin });
await adminClient.connect();
await adminClient.query(`CREATE DATABASE ${dbName}`);
const url = new URL(admin);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trustrules-load-'));
const keyFile = path.join(tmp, 'log.key');

const { openDatabase } = await import(dist('store/database.js'));
const { migrate } = await import(dist('store/migrate.js'));
const { addUser } = await import(dist('store/users.js'));
const db = await openDatabase({ databaseUrl, dataDir: tmp });
await migrate(db);
const token = (await addUser(db, { name: 'load', role: 'staff', jurisdiction: COUNTY })).token;

const server = await serveProcess({ DATABASE_URL: databaseUrl, TRUSTRULES_DATA_DIR: tmp, TRUSTRULES_LOG_KEY_FILE: keyFile });
let results;
try {
  log(`POST /v1/decide: ${connections} connections, ${seconds} s`);
  const decide = await cannon({ port: server.port, connections, duration: seconds, path: '/v1/decide', body: scenario });
  log(JSON.stringify(decide));
  log(`POST /v1/contacts: ${connections} connections, ${seconds} s`);
  const contacts = await cannon({ port: server.port, connections, duration: seconds, path: '/v1/contacts', body: contact, headers: { authorization: `Bearer ${token}` } });
  log(JSON.stringify(contacts));
  await server.stop();
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM contact_records');
  const verify = spawnSync(process.execPath, [path.join(root, 'bin/trustrules'), 'log', 'verify', '--database-url', databaseUrl], { encoding: 'utf8', env: { ...process.env, TRUSTRULES_LOG_KEY_FILE: keyFile } });
  results = {
    machine: before, loadAfter: os.loadavg().map((x) => x.toFixed(2)).join(' '), seconds, connections,
    decide, contacts: { ...contacts, stored: n, acknowledgedAllStored: n >= contacts.statuses['2xx'] },
    logVerify: { exit: verify.status, output: (verify.stdout + verify.stderr).trim().split('\n').slice(-3).join(' | ') },
    server: { exitedCleanly: true },
  };
} finally {
  await server.stop();
  await db.close();
  await adminClient.query(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => undefined);
  await adminClient.end();
  rmSync(tmp, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
