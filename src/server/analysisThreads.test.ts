// Analysis in worker threads, as a server from the built package runs it (dist/, rebuilt here when stale): as many
// as configured, answers byte-identical to the in-process ones, decisions answered while a thread is busy, a reader
// that stops reading cut off, a full queue answered 503 with Retry-After, and a time budget that refuses rather than
// runs on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from '../store/testServers.js';
import { buildServer as buildInProcess } from './app.js';

type AppModule = typeof import('./app.js');
const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const scenario = { date: '2020-01-01', actor: { jurisdiction: 'us/md/example-county', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' };

let built: AppModule;
beforeAll(async () => {
  ensureBuilt();
  built = (await import(pathToFileURL(path.join(repoRoot, 'dist/server/app.js')).href)) as AppModule;
});

const listen = async (app: FastifyInstance) => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
};

describe('analysis in worker threads', () => {
  it('runs as many threads as --analysis-threads (TRUSTRULES_ANALYSIS_THREADS) says, and reports them in /metrics', async () => {
    for (const threads of [2, 0]) {
      const app = built.buildServer({ policies: fixtures, service: { analysisThreads: threads } });
      try {
        const metrics = await app.inject({ url: '/metrics' });
        expect(metrics.body).toMatch(new RegExp(`^trustrules_analysis_threads ${threads}$`, 'm'));
        expect((await app.inject({ url: '/v1/analysis/coverage?at=2020-01-01' })).statusCode).toBe(200);
      } finally {
        await app.close();
      }
    }
  });

  it('answers every analysis exactly as the in-process code does', async () => {
    const threaded = built.buildServer({ policies: fixtures, analysis: { threads: 1 } });
    const inProcess = buildInProcess({ policies: fixtures, analysis: { threads: 0 } });
    try {
      for (const url of [
        '/v1/analysis/table?all=1&at=2020-01-01', '/v1/analysis/table?all=1&at=2020-01-01&expand=1&format=csv',
        '/v1/analysis/table?jurisdiction=us/md&all_descendants=1&at=2020-01-01&format=md&lang=es',
        '/v1/analysis/diff?a=us/md/example-county&b=us/md&at=2020-01-01', '/v1/analysis/gaps?jurisdiction=us/md&against=us/md/example-county&at=2020-01-01',
        '/v1/analysis/timeline?jurisdiction=us/md/example-county', '/v1/analysis/coverage?at=2020-01-01', '/v1/analysis/check',
        '/v1/analysis/table?jurisdiction=nowhere&at=2020-01-01', '/v1/analysis/diff?a=us/md&at=2020-13-01',
      ]) {
        const [a, b] = await Promise.all([threaded.inject({ url }), inProcess.inject({ url })]);
        expect(a.statusCode, url).toBe(b.statusCode);
        expect(a.headers['content-type'], url).toBe(b.headers['content-type']);
        expect(a.body, url).toBe(b.body);
      }
    } finally {
      await threaded.close();
      await inProcess.close();
    }
  });

  it('decides while the thread is busy, cuts off a reader that stopped reading, and answers 503 when the queue is full', async () => {
    const app = built.buildServer({
      analysis: { threads: 1, queue: 1, stallMs: 1500, anonymous: { maxExpandedRows: Number.POSITIVE_INFINITY, budgetMs: 120_000 } },
    });
    const port = await listen(app);
    try {
      // A 3 GB table whose reader never reads past the head: the thread waits for it, then gives up.
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/v1/analysis/table?all=1&expand=1&at=2019-06-01' }, (r) => {
          r.pause();
          resolve(r);
        }).on('error', reject);
      });
      expect(res.statusCode).toBe(200); // the thread is now busy with the table, waiting for its reader
      const queued = app.inject({ url: '/v1/analysis/coverage' });
      await new Promise((r) => setTimeout(r, 200)); // the coverage request reaches the queue
      const refused = await app.inject({ url: '/v1/analysis/check' });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json().error).toMatchObject({ path: '(server)', message: expect.stringMatching(/busy/) });
      const decided = await app.inject({ method: 'POST', url: '/v1/decide', payload: { ...scenario, actor: { jurisdiction: 'us/md/montgomery-county', agency: 'corrections' } } });
      expect(decided.statusCode).toBe(200);
      // The coverage can only run once the table's thread is free: the stalled table was cut off, not finished.
      expect((await queued).statusCode).toBe(200);
      const cut = new Promise<boolean>((resolve) => {
        res.on('error', () => undefined);
        res.once('close', () => resolve(!res.complete));
      });
      res.resume();
      expect(await cut).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('refuses work that outlasts the time budget: 403 for an anonymous caller, saying how to ask for less', async () => {
    const app = built.buildServer({ policies: fixtures, analysis: { threads: 1, anonymous: { maxExpandedRows: 100_000, budgetMs: 1 } } });
    try {
      const r = await app.inject({ url: '/v1/analysis/coverage' });
      expect(r.statusCode).toBe(403);
      expect(r.json().error).toMatchObject({ path: '(request)', allowed: ['at most 0.001 s without a token'], message: expect.stringMatching(/ask for less .* Bearer <token>/) });
      // The thread was stopped and replaced: the next request is answered.
      const app2 = built.buildServer({ policies: fixtures, analysis: { threads: 1 } });
      expect((await app2.inject({ url: '/v1/analysis/check' })).statusCode).toBe(200);
      await app2.close();
    } finally {
      await app.close();
    }
  });
});
