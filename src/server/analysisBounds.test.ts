// What an anonymous caller may ask of /v1/analysis (issue 11 item 1): an expanded table over the row bound is a 403
// with the contract error object saying the bound and how to ask for less; a live token lifts it; a bad token is 401.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusOrThrow } from '../policy/load.js';
import { openContactStore, type OpenContactStore } from '../store/open.js';
import { freshStore, type TestStore } from '../store/testDatabases.js';
import { addUser } from '../store/users.js';
import { expandedRowCount } from '../analysis/table.js';
import { Engine } from '../engine/engine.js';
import { buildServer } from './app.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const corpus = loadCorpusOrThrow(fixtures, { tests: true });
const all = '/v1/analysis/table?all=1&expand=1&at=2020-01-01';

describe('analysis bounds', () => {
  let t: TestStore;
  let store: OpenContactStore;
  let app: FastifyInstance;
  let token: string;
  const engine = new Engine(corpus);
  const rows = expandedRowCount(engine, [...corpus.jurisdictions.keys()]);
  const bound = Math.floor(rows / 2);

  beforeAll(async () => {
    t = await freshStore('pglite');
    store = await openContactStore(t.config);
    token = (await addUser(store.db, { name: 'reporter', role: 'staff', jurisdiction: 'us/md' })).token;
    app = buildServer({ corpus, contacts: store, analysis: { threads: 0, anonymous: { maxExpandedRows: bound, budgetMs: 30_000 } } });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await t.dispose();
  });

  it('refuses an anonymous expanded table over the bound before computing it, saying how to ask for less', async () => {
    const r = await app.inject({ url: all });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ error: {
      path: 'expand', given: `${rows.toLocaleString('en')} rows`, allowed: [`at most ${bound.toLocaleString('en')} rows without a token`],
      message: expect.stringMatching(/one jurisdiction .* leave out expand .* Authorization: Bearer <token>/),
    } });
  });

  it('answers the same question within the bound: one jurisdiction, or the compact table', async () => {
    const one = await app.inject({ url: '/v1/analysis/table?jurisdiction=us/md/example-county&expand=1&at=2020-01-01' });
    expect(one.statusCode).toBe(200);
    const compact = await app.inject({ url: '/v1/analysis/table?all=1&at=2020-01-01' });
    expect(compact.statusCode).toBe(200);
    const counted = (compact.json() as { rows: { count: number }[] }).rows.reduce((n, row) => n + row.count, 0);
    expect(counted).toBe(rows); // the compact table stands for every expanded row
  });

  it('lifts the bound for a live token, and answers a bad one with 401', async () => {
    const r = await app.inject({ url: `${all}&agency=police`, headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
    const lines = (r.json() as { rows: unknown[] }).rows.length;
    expect(lines).toBe(expandedRowCount(engine, [...corpus.jurisdictions.keys()], { agencies: ['police'] }));
    expect(lines).toBeGreaterThan(0);
    const bad = await app.inject({ url: all, headers: { authorization: 'Bearer trt_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    expect(bad.json().error).toMatchObject({ path: '(authorization)', message: 'unknown or revoked token' });
    const malformed = await app.inject({ url: all, headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
  });
});
