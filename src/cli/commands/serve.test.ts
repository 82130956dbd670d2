// `trustrules serve`: answers on the port it was given (flag or environment), and refuses a bad port.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cli, fixtureRoot, scenario, temporaryFolder } from '../fixtures/cli.js';

const data = temporaryFolder('trustrules-serve-');
afterAll(data.remove);

describe('trustrules serve', () => {
  it('serves the API on PORT from the environment, and stops on SIGTERM', async () => {
    const port = 20000 + (process.pid % 20000);
    const child = spawn(bin, ['serve', '--host', '127.0.0.1'], { env: { ...process.env, PORT: String(port), TRUSTRULES_POLICIES: fixtureRoot, TRUSTRULES_DATA_DIR: data.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // The JSON log lines written so far (the log is at info by default).
    const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      let health: { status?: string; instruments?: number } = {};
      // A fresh data folder means a new PGlite store and its migrations first: allow it most of a minute on a busy machine.
      for (let i = 0; i < 500 && health.status !== 'ok'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json() as Promise<typeof health>, () => ({}));
      }
      expect(health).toMatchObject({ status: 'ok', instruments: 7 });
      // The decide fast path is on as `serve` builds the server (it turns itself off when the route's hooks, read from
      // Fastify's printRoutes, are not the ones it knows: a change there must not switch it off unseen).
      // The log is written in batches (at most 100 ms late): wait for the line rather than read it once.
      let ready: Record<string, unknown> | undefined;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = lines().find((l) => l.msg === 'trustrules API ready');
        if (!ready) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ready).toMatchObject({ decide_fast_path: true });
      expect(lines().filter((l) => /fast path off/.test(String(l.msg)))).toEqual([]);
      const decided = await fetch(`http://127.0.0.1:${port}/v1/decide`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(scenario),
      });
      expect(decided.status).toBe(200);
      expect(decided.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    } finally {
      const closed = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
    }
  }, 90_000);
  it('refuses a port that is not a port number', () => {
    const r = cli(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/port: not a port number/);
  });
});
