// What the load and fault benchmarks share: the machine's description (with its load average, since the machine may
// be shared), API processes started from the built package, a throwaway PostgreSQL cluster, and autocannon runs.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
export const log = (m) => process.stderr.write(`${m}\n`);

/** The machine, for the figures' heading: cores, CPU, memory, node, commit, and the load average now. */
export function machine() {
  const sh = (cmd) => { try { return execSync(cmd, { encoding: 'utf8', cwd: root }).trim(); } catch { return '?'; } };
  return {
    date: new Date().toISOString(),
    cores: os.availableParallelism(),
    cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? '?',
    memory: sh(`free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}'`),
    node: process.version,
    commit: sh('git rev-parse --short HEAD'),
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

/** Builds dist/ when it is missing (the benchmarks measure what ships). */
export function requireDist() {
  if (!existsSync(path.join(root, 'dist/main.js'))) {
    log('building dist/ …');
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('cannot build dist/');
  }
}

let nextPort = 31_000 + (process.pid % 10_000);

/** One HTTP exchange; resolves with status, headers and body text. */
export function request({ port, method = 'GET', path: p, body, headers = {}, agent }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port, method, path: p, agent,
      headers: { ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function waitReady(child, port, out) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited before listening:\n${out()}`);
    if (await request({ port, path: '/healthz' }).then((r) => r.status === 200, () => false)) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within 180 s:\n${out()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function handle(child, port, out) {
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    port, child, output: out, exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** `trustrules serve` from the built package with `env` (DATABASE_URL, TRUSTRULES_DATA_DIR, …), once it answers /healthz. */
export async function serveProcess(env) {
  requireDist();
  const port = nextPort++;
  let out = '';
  const child = spawn(process.execPath, [path.join(root, 'bin/trustrules'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    // One address sends the whole load: no rate limits (default 600 a window, which turned a run into 429s) unless `env` sets them.
    cwd: root, env: { ...process.env, TRUSTRULES_RATE_LIMIT_ADDRESS: '0', TRUSTRULES_RATE_LIMIT_TOKEN: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { out = (out + d).slice(-200_000); });
  child.stderr.on('data', (d) => { out = (out + d).slice(-200_000); });
  await waitReady(child, port, () => out);
  return handle(child, port, () => out);
}

/** An API process built by buildServer(options) (JSON), without a contact store and without its request log. */
export async function apiProcess(options) {
  requireDist();
  const port = nextPort++;
  let out = '';
  const code = `const { buildServer } = await import(${JSON.stringify(dist('server/app.js'))});
const app = buildServer({ logger: false, ...${JSON.stringify(options)} });
await app.listen({ port: ${port}, host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { out = (out + d).slice(-200_000); });
  child.stderr.on('data', (d) => { out = (out + d).slice(-200_000); });
  await waitReady(child, port, () => out);
  return handle(child, port, () => out);
}

function pgBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const v = readdirSync(base).filter((x) => existsSync(path.join(base, x, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return v.length ? path.join(base, v[0], 'bin') : undefined;
}

/**
 * A throwaway PostgreSQL cluster of our own (Debian's binaries, run as the postgres user when we are root) on a free
 * port: start, stop (fast or immediate), start again, and remove. The shared server on 5432 is never touched.
 */
export function throwawayCluster() {
  let bin = pgBin();
  if (!bin) {
    spawnSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    bin = pgBin();
    if (!bin) throw new Error('PostgreSQL binaries not found (apt-get install postgresql)');
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-bench-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const run = (tool, args) => {
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { encoding: 'utf8' }) : spawnSync(path.join(bin, tool), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
    return r;
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
  const port = 45_000 + (process.pid % 5000);
  const start = () => run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on`, 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port, dir, bin,
    start,
    stop: (mode = 'fast') => run('pg_ctl', ['-D', data, '-w', '-m', mode, 'stop']),
    remove: () => {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An autocannon run: `{connections, duration, method, path, body, headers}` → latency p50/p99, throughput, errors. */
export async function cannon({ port, connections, duration, method = 'POST', path: p, body, headers = {} }) {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}${p}`, connections, duration, method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return {
    connections, duration,
    requests: r.requests.total,
    perSecond: Math.round(r.requests.average),
    p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
    statuses: Object.fromEntries(['1xx', '2xx', '3xx', '4xx', '5xx'].map((k) => [k, r[k]])),
  };
}
