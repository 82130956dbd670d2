// The service worker's route: served from what was read at start, whatever happens to the file afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../app/errors.js';
import { serviceWorkerRoute } from './routes.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A built-assets folder with, when given, a worker. */
function build(worker?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-sw-'));
  dirs.push(dir);
  if (worker !== undefined) writeFileSync(path.join(dir, 'sw.js'), worker);
  return dir;
}

describe('GET /sw.js', () => {
  it('keeps answering with the worker read at start while the build is replaced or removed', async () => {
    const dir = build("self.addEventListener('fetch', () => {}); // build 1");
    const app = Fastify();
    await serviceWorkerRoute(app, dir);
    rmSync(path.join(dir, 'sw.js'));
    const gone = await app.inject('/sw.js');
    expect(gone.statusCode).toBe(200);
    expect(gone.body).toBe("self.addEventListener('fetch', () => {}); // build 1");
    writeFileSync(path.join(dir, 'sw.js'), '// build 2, half written');
    const rebuilt = await app.inject('/sw.js');
    expect(rebuilt.body).toContain('build 1');
    expect(rebuilt.headers['service-worker-allowed']).toBe('/');
    expect(rebuilt.headers['cache-control']).toBe('no-cache');
    await app.close();
  });

  it('refuses to start without a built worker, saying how to build it', async () => {
    const dir = build();
    const app = Fastify();
    const failure = await serviceWorkerRoute(app, dir).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractError);
    expect((failure as ContractError).code).toBe('bad_config');
    expect((failure as ContractError).body().error).toMatchObject({ path: 'web assets', given: path.join(dir, 'sw.js') });
    expect((failure as ContractError).body().error.message).toContain('npm run build');
    await app.close();
  });
});
