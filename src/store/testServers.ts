// For tests and benchmarks: real `trustrules serve` processes on 127.0.0.1 (started, waited for, killed with
// SIGKILL), and a keep-alive HTTP client with bounded concurrency. Builds dist/ first when the sources are newer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file may run from src/ or dist/). */
export const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Compiles dist/ when it is missing or older than src/ (npm test builds first, so this is usually a no-op). */
export function ensureBuilt(): void {
  const built = path.join(repoRoot, 'dist/main.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(path.join(repoRoot, 'src'))) return;
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('cannot build dist/ for the server processes');
}

/** A running server process. */
export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stderr and stdout (its JSON log). */
  readonly output: () => string;
  /** kill -9, and wait for it to be gone. */
  kill9(): Promise<void>;
  /** SIGTERM, and wait for it to exit. */
  stop(): Promise<void>;
}

let nextPort = 20_000 + (process.pid % 20_000);

/** Starts `trustrules serve` with `env` (DATABASE_URL or TRUSTRULES_DATA_DIR, key file…) and waits for /healthz. */
export async function startServerProcess(env: Record<string, string>, policies?: string): Promise<ServerProcess> {
  ensureBuilt();
  const port = nextPort++;
  let out = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/trustrules'), ...(policies ? ['--policies', policies] : []), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    // Loads and crash runs send thousands of requests from one address: no rate limits unless `env` sets them.
    cwd: repoRoot, env: { ...process.env, TRUSTRULES_RATE_LIMIT_ADDRESS: '0', TRUSTRULES_RATE_LIMIT_TOKEN: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited before listening:\n${out}`);
    const ok = await request({ port, method: 'GET', path: '/healthz' }).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within 120 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, child, output: () => out,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP exchange on 127.0.0.1. */
export function request(o: { port: number; method: 'GET' | 'POST'; path: string; body?: unknown; token?: string; accept?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const req = http.request({
      host: '127.0.0.1', port: o.port, method: o.method, path: o.path, agent,
      headers: {
        ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.accept ? { accept: o.accept } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * Runs `clients` loops at once, each calling `step(client, i)` for i = 0, 1, … until `until()` says stop or it made
 * `perClient` calls. Returns the number of calls and the wall time.
 */
export async function load(clients: number, step: (client: number, i: number) => Promise<unknown>, opts: { perClient?: number; until?: () => boolean }): Promise<{ calls: number; ms: number }> {
  let calls = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; (opts.perClient === undefined || i < opts.perClient) && !(opts.until?.() ?? false); i++) {
      await step(c, i);
      calls++;
    }
  }));
  return { calls, ms: performance.now() - t0 };
}
