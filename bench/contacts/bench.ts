// Contact-store benchmarks, each against real server processes on 127.0.0.1 with a bounded keep-alive load generator:
// durable appends/s (POST /v1/contacts answered 201) at concurrency 1, 8 and 32 on PGlite and PostgreSQL, and
// POST /v1/decide throughput as a ratio to a bare Fastify hello-world measured in the same run.
//   npx tsc -p tsconfig.build.json && npx tsc -p bench/tsconfig.json && node dist-bench/bench/contacts/bench.js [--seconds 5] [--decide-only]
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { freshStore } from '../../src/store/testDatabases.js';
import { load, repoRoot, request, startServerProcess } from '../../src/store/testServers.js';
import { addUser } from '../../src/store/users.js';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 5) || 5;
const log = (m: string) => process.stderr.write(`${m}\n`);
const COUNTY = 'us/md/montgomery-county';
const contact = (i: number) => ({
  scenario: { actor: { jurisdiction: COUNTY, agency: i % 2 ? 'police' : 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' },
  occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: i % 3 ? 'declined' : 'complied',
});
const scenario = { date: '2026-03-10', actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'detain_past_release', basis: 'ice_detainer' };

/** Calls per second of `step` at `clients` concurrency for `ms` (after a one-second warm-up). */
async function rate(clients: number, step: (c: number, i: number) => Promise<void>, ms = seconds * 1000): Promise<number> {
  let end = performance.now() + 1000;
  await load(clients, step, { until: () => performance.now() > end });
  end = performance.now() + ms;
  const r = await load(clients, step, { until: () => performance.now() > end });
  return (r.calls / r.ms) * 1000;
}

async function appends(kind: 'pglite' | 'postgres'): Promise<Record<number, number>> {
  const t = await freshStore(kind);
  const db = await openDatabase(t.config);
  await migrate(db);
  const token = (await addUser(db, { name: 'desk', role: 'staff', jurisdiction: COUNTY })).token;
  await db.close();
  const server = await startServerProcess({ TRUSTRULES_DATA_DIR: t.config.dataDir, TRUSTRULES_LOG_KEY_FILE: t.config.keyFile, ...(t.config.databaseUrl ? { DATABASE_URL: t.config.databaseUrl } : {}) });
  const out: Record<number, number> = {};
  try {
    for (const c of [1, 8, 32]) {
      out[c] = await rate(c, async (client, i) => {
        const r = await request({ port: server.port, method: 'POST', path: '/v1/contacts', body: contact(client + i), token });
        if (r.status !== 201) throw new Error(`append answered ${r.status}: ${r.body}`);
      });
      log(`${kind} appends at ${c}: ${out[c]!.toFixed(0)}/s`);
    }
  } finally {
    await server.stop();
    await t.dispose();
  }
  return out;
}

/** A bare Fastify hello-world in its own process (the peer the decide endpoint is compared with). */
async function helloWorld(): Promise<{ port: number; stop: () => void }> {
  const port = 21_000 + (process.pid % 10_000);
  const code = `import Fastify from 'fastify'; const app = Fastify(); app.post('/hello', async () => ({ hello: 'world' })); await app.listen({ port: ${port}, host: '127.0.0.1' }); console.log('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  return { port, stop: () => child.kill('SIGKILL') };
}

/** The API built by buildServer without its request log (what the JSON log of every request costs is then visible). */
async function quietApi(): Promise<{ port: number; stop: () => void }> {
  const port = 22_000 + (process.pid % 10_000);
  const code = `const { buildServer } = await import(${JSON.stringify(path.join(repoRoot, 'dist/server/app.js'))}); const app = buildServer({ logger: false }); await app.listen({ port: ${port}, host: '127.0.0.1' }); console.log('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  return { port, stop: () => child.kill('SIGKILL') };
}

async function decideRatio(): Promise<{ decide: number; decideNoRequestLog: number; hello: number; clients: number }> {
  const t = await freshStore('pglite');
  const server = await startServerProcess({ TRUSTRULES_DATA_DIR: t.config.dataDir, TRUSTRULES_LOG_KEY_FILE: t.config.keyFile });
  const quiet = await quietApi();
  const hello = await helloWorld();
  const clients = 32;
  const post = (port: number, p: string) => async () => {
    const r = await request({ port, method: 'POST', path: p, body: scenario });
    if (r.status !== 200) throw new Error(`${p} answered ${r.status}: ${r.body.slice(0, 200)}`);
  };
  try {
    // Alternate them twice so that none profits from a quieter moment of the machine.
    let decide = 0;
    let silent = 0;
    let bare = 0;
    for (let k = 0; k < 2; k++) {
      bare += await rate(clients, post(hello.port, '/hello'));
      decide += await rate(clients, post(server.port, '/v1/decide'));
      silent += await rate(clients, post(quiet.port, '/v1/decide'));
    }
    log(`decide ${(decide / 2).toFixed(0)}/s (without the request log ${(silent / 2).toFixed(0)}/s), hello-world ${(bare / 2).toFixed(0)}/s`);
    return { decide: decide / 2, decideNoRequestLog: silent / 2, hello: bare / 2, clients };
  } finally {
    hello.stop();
    quiet.stop();
    await server.stop();
    await t.dispose();
  }
}

const only = args.includes('--decide-only');
const results = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  seconds,
  ...(only ? {} : { pglite: await appends('pglite'), postgres: await appends('postgres') }),
  decide: await decideRatio(),
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

