// Fuzzing the contact and log endpoints (fast-check, seeded): closed-schema violations, wrong types, huge bodies,
// odd query strings and wrong tokens. Every answer must be below 500, and every refusal the contract's error object.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContactStore, type OpenContactStore } from '../store/open.js';
import { freshStore, type TestStore } from '../store/testDatabases.js';
import { addUser } from '../store/users.js';
import { buildServer } from './app.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const COUNTY = 'us/md/example-county';
const valid = {
  scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer' },
  occurred_at: '2026-03-10T14:05:00-05:00',
  agent: 'ice_ero',
  action: 'declined',
};

describe('fuzzing the contact endpoints', () => {
  let t: TestStore;
  let open: OpenContactStore;
  let app: FastifyInstance;
  let token = '';
  let statuses: Record<number, number> = {};

  beforeAll(async () => {
    t = await freshStore('pglite');
    open = await openContactStore(t.config);
    app = buildServer({ policies: fixtures, contacts: open });
    await app.ready();
    token = (await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY })).token;
    await addUser(open.db, { name: 'audit', role: 'auditor', jurisdiction: 'us' });
  });
  afterAll(async () => {
    process.stdout.write(`fuzz statuses ${JSON.stringify(statuses)}\n`);
    await app?.close();
    await open?.close();
    await t?.dispose();
  });

  const refusalShape = (status: number, text: string, what: string) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    expect(status, `${what} → ${text.slice(0, 300)}`).toBeLessThan(500);
    if (status < 400) return;
    const body = JSON.parse(text) as { error?: { path?: unknown; message?: unknown } };
    expect(typeof body.error?.path, `${what} → ${text.slice(0, 300)}`).toBe('string');
    expect(typeof body.error?.message).toBe('string');
    expect(Object.keys(body.error!)).toContain('given');
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  };

  const json = fc.jsonValue({ maxDepth: 3 });
  // Bodies near a valid one: a field dropped, replaced by any JSON value, or an extra key (name, birth date, ids…).
  const nearValid = fc.oneof(
    fc.record({ drop: fc.constantFrom(...Object.keys(valid)) }).map(({ drop }) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== drop))),
    fc.tuple(fc.constantFrom(...Object.keys(valid), 'site', 'corrects'), json).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom('name', 'birth_date', 'a_number', 'ssn', 'citizenship', 'immigration_status', '__proto__', 'constructor', ''), json).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom('actor', 'request', 'basis', 'date', 'name', 'status', 'place'), json).map(([k, v]) => ({ ...valid, scenario: { ...valid.scenario, [k]: v } })),
    fc.tuple(fc.constantFrom('jurisdiction', 'agency', 'name', 'badge'), json).map(([k, v]) => ({ ...valid, scenario: { ...valid.scenario, actor: { ...valid.scenario.actor, [k]: v } } })),
    json,
  );
  const tokens = fc.oneof(
    fc.constant<string | undefined>(undefined),
    fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 300 }),
    fc.constant('Bearer trt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    fc.constant('Basic dXNlcjpwYXNz'),
  );

  it('POST /v1/contacts: any body, any token: no 5xx, every refusal the error object', async () => {
    await fc.assert(fc.asyncProperty(nearValid, fc.boolean(), tokens, async (body, good, auth) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const authorization = good ? `Bearer ${token}` : auth;
      if (authorization !== undefined) headers.authorization = authorization.replace(/[^\t\x20-\x7e]/g, '');
      const payload = JSON.stringify(body) ?? 'null';
      const r = await app.inject({ method: 'POST', url: '/v1/contacts', headers, payload });
      refusalShape(r.statusCode, r.body, payload.slice(0, 200));
      if (good && r.statusCode === 201) expect(JSON.parse(r.body).index).toBeGreaterThanOrEqual(0);
    }), { seed: 80_8008, numRuns: 250 });
  });

  it('POST /v1/contacts: bodies that are not JSON, not objects, or too large', async () => {
    const cases: [string, string | Buffer][] = [
      ['application/json', '{'], ['application/json', ''], ['application/json', '[1,2]'], ['application/json', '"x"'], ['application/json', 'null'],
      ['text/plain', 'hello'], ['application/json', `{"scenario": ${'['.repeat(5000)}}`],
      ['application/json', JSON.stringify({ ...valid, site: 'x'.repeat(100_000) })],
      ['application/json', Buffer.alloc(2 * 1024 * 1024, 0x20)],
    ];
    for (const [type, payload] of cases) {
      const r = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { 'content-type': type, authorization: `Bearer ${token}` }, payload });
      refusalShape(r.statusCode, r.body, `${type} ${String(payload).slice(0, 40)}`);
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it('GET endpoints: any query string, any token: no 5xx, every refusal the error object', async () => {
    const paths = fc.constantFrom('/v1/contacts', '/v1/log/inclusion', '/v1/log/consistency', '/v1/log/checkpoint', '/v1/log/key', '/v1/contacts/');
    const key = fc.constantFrom('jurisdiction', 'from', 'to', 'deviation', 'index', 'size', 'extra', 'from[]');
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.constantFrom('0', '1', '-1', '1e3', '9007199254740993', 'true', COUNTY, '2026-03-10', '2026-02-30'));
    const query = fc.array(fc.tuple(key, value), { maxLength: 4 });
    await fc.assert(fc.asyncProperty(paths, query, fc.string({ maxLength: 40 }), fc.boolean(), tokens, async (p, q, id, good, auth) => {
      const qs = q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const url = `${p}${p.endsWith('/') ? encodeURIComponent(id) || 'x' : ''}${qs ? `?${qs}` : ''}`;
      const authorization = good ? `Bearer ${token}` : auth?.replace(/[^\t\x20-\x7e]/g, '');
      const r = await app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });
      refusalShape(r.statusCode, r.body, url);
    }), { seed: 90_9009, numRuns: 400 });
    statuses = { ...statuses };
  });
});
