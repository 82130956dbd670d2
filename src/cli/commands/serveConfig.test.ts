// `trustrules serve` takes the service settings as flags and as environment variables: a rate limit from a flag,
// CORS origins and the log level from the environment reach the running server; a bad value is refused naming it.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cli, fixtureRoot, temporaryFolder } from '../fixtures/cli.js';

const data = temporaryFolder('trustrules-serve-config-');
afterAll(data.remove);

describe('trustrules serve settings', () => {
  it('a flag (--rate-limit-address) and variables (TRUSTRULES_CORS_ORIGINS, TRUSTRULES_LOG_LEVEL) configure the server', async () => {
    const port = 20000 + ((process.pid + 7919) % 20000);
    const child = spawn(bin, ['serve', '--host', '127.0.0.1', '--rate-limit-address', '40', '--rate-limit-window', '600'], {
      env: { ...process.env, PORT: String(port), TRUSTRULES_POLICIES: fixtureRoot, TRUSTRULES_DATA_DIR: data.dir, TRUSTRULES_CORS_ORIGINS: 'https://county.example', TRUSTRULES_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      let status = 0;
      // A fresh data folder means a new PGlite store and its migrations first: allow it most of a minute on a busy machine.
      for (let i = 0; i < 500 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      }
      expect(status).toBe(200);
      const preflight = await fetch(`http://127.0.0.1:${port}/v1/decide`, { method: 'OPTIONS', headers: { origin: 'https://county.example', 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://county.example');
      let limited: Response | undefined;
      for (let i = 0; i < 60 && !limited; i++) {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.status === 429) limited = r;
      }
      expect(limited?.status).toBe(429);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited!.json()).error.allowed).toEqual(['at most 40 requests per 600 s per client address']);
    } finally {
      const closed = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
    }
    // At warn, no request lines (and no "ready" line at info); read after exit, when the batched log is flushed.
    expect(out).not.toContain('"msg":"request"');
    expect(out).not.toContain('trustrules API ready');
  }, 90_000);

  it('refuses a bad setting naming its flag, from a flag or from the environment', () => {
    const flag = cli(['serve', '--rate-limit-token', 'lots']);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/rate-limit-token/);
    const env = cli(['serve'], undefined, { ...process.env, TRUSTRULES_LOG_LEVEL: 'loud' });
    expect(env.code).toBe(2);
    expect(env.err).toMatch(/log-level/);
  });
});
