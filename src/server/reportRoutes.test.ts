// GET /v1/reports/contacts on a real store (PGlite and PostgreSQL): public, signed JSON that verifies with the key
// the log serves, CSV by Accept or ?format=csv, the same bytes until the log grows, and bad parameters refused with
// the contract's error object naming the parameter and what is allowed.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteVerifier } from '../log/index.js';
import { openContactStore, type OpenContactStore } from '../store/open.js';
import { verifyReport, type SignedContactReport } from '../store/report.js';
import { databaseKinds, freshStore, type TestStore } from '../store/testDatabases.js';
import { addUser } from '../store/users.js';
import { buildServer } from './app.js';
import { reportResponseSchema } from './contactSchemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const COUNTY = 'us/md/example-county';
const URL_Q = `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&by=quarter&descendants=true`;

describe.each(databaseKinds)('GET /v1/reports/contacts on %s', (kind) => {
  let t: TestStore;
  let open: OpenContactStore;
  let app: FastifyInstance;
  let token = '';

  const post = (day: string) => app.inject({
    method: 'POST', url: '/v1/contacts', headers: { authorization: `Bearer ${token}` },
    payload: { scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_administrative_warrant' }, occurred_at: `${day}T10:00:00-05:00`, agent: 'ice_ero', action: 'declined' },
  });

  beforeAll(async () => {
    t = await freshStore(kind);
    open = await openContactStore(t.config);
    app = buildServer({ policies: fixtures, contacts: open, suppressionThreshold: 3 });
    await app.ready();
    token = (await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY })).token;
    for (const day of ['2026-01-05', '2026-01-06', '2026-01-07', '2026-02-01', '2026-03-02', '2026-03-03', '2026-03-04']) expect((await post(day)).statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await open?.close();
    await t?.dispose();
  });

  it('answers anyone with a signed report that verifies with the key the log serves', async () => {
    const res = await app.inject({ method: 'GET', url: URL_Q });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const report = JSON.parse(res.body) as SignedContactReport;
    expect(reportResponseSchema.parse(report)).toEqual(report);
    expect(report.suppressed.threshold).toBe(3);
    expect(report.rows.filter((r) => r.kind === 'total').map((r) => [r.jurisdiction, r.count])).toEqual([[COUNTY, 7], [`${COUNTY}/example-city`, 0]]);
    const key = (await app.inject({ method: 'GET', url: '/v1/log/key' })).body.trim();
    expect(verifyReport(res.body, NoteVerifier.parse(key))).toMatchObject({ ok: true, size: 7, canonical: true });
    expect((await app.inject({ method: 'GET', url: URL_Q })).body).toBe(res.body);
  });

  it('by month: February\'s one record is "<3"; January and March (3 each) cannot both be shown, nor both be "suppressed"', async () => {
    const res = await app.inject({ method: 'GET', url: URL_Q.replace('by=quarter', 'by=month').replace('&descendants=true', '') });
    expect(res.statusCode, res.body).toBe(200);
    // Shown: the quarter's 7. With one of the 3s shown, the other would be at most 3 (complementary counts are the
    // smallest), so both are hidden; as two "suppressed" (each at least 3) they would add to 6 and pin February to 1,
    // so March is withheld, shown in no form.
    expect((JSON.parse(res.body) as SignedContactReport).rows.map((r) => r.count)).toEqual(['suppressed', '<3', 'withheld']);
  });

  it('gives CSV for Accept: text/csv and for ?format=csv, and a new report once the log grows', async () => {
    const a = await app.inject({ method: 'GET', url: URL_Q, headers: { accept: 'text/csv' } });
    const b = await app.inject({ method: 'GET', url: `${URL_Q}&format=csv` });
    expect(a.headers['content-type']).toMatch(/^text\/csv/);
    expect(a.body).toBe(b.body);
    expect(a.body.split('\n')[1]).toBe(`2026-Q1,${COUNTY},total,,,,,,,7,published`);
    expect(a.headers['x-report-checkpoint-size']).toBe('7');
    const verifier = NoteVerifier.parse((await app.inject({ method: 'GET', url: '/v1/log/key' })).body.trim());
    const shaOf = (json: string) => (verifyReport(json, verifier) as { sha256: string }).sha256;
    // The CSV of a report first asked as JSON (made from the kept JSON), and of one first asked as CSV: both name the
    // SHA-256 the JSON's signature covers.
    expect(a.headers['x-report-sha256']).toBe(shaOf((await app.inject({ method: 'GET', url: URL_Q })).body));
    expect(b.headers['x-report-sha256']).toBe(a.headers['x-report-sha256']);
    expect((await post('2026-03-05')).statusCode).toBe(201);
    const c = await app.inject({ method: 'GET', url: `${URL_Q}&format=csv` });
    expect(c.headers['x-report-checkpoint-size']).toBe('8');
    const json = (await app.inject({ method: 'GET', url: URL_Q })).body;
    expect(c.headers['x-report-sha256']).toBe(shaOf(json));
    const after = JSON.parse(json) as SignedContactReport;
    expect(after.checkpoint.size).toBe(8);
    expect(c.body.split('\n')[1]).toBe(`2026-Q1,${COUNTY},total,,,,,,,8,published`);
  });

  it.each([
    ['jurisdiction=us/md/nowhere&from=2026-01-01&to=2026-03-31', 'jurisdiction'],
    [`jurisdiction=${COUNTY}&from=2026-01-02&to=2026-03-31`, 'from', ['2026-01-01']],
    [`jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-30`, 'to', ['2026-03-31']],
    [`jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&by=week`, 'by', ['month', 'quarter', 'year']],
    [`jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&descendants=yes`, 'descendants', ['true', 'false']],
    [`jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&format=xml`, 'format', ['json', 'csv']],
    [`jurisdiction=${COUNTY}&from=2026-01-01`, 'to'],
    [`jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&size=3`, 'size'],
    [`jurisdiction=${COUNTY}&from=2026-02-30&to=2026-03-31&by=month`, 'from', ['YYYY-MM-DD']],
  ])('refuses %s naming %s', async (query, path, allowed?: string[]) => {
    const res = await app.inject({ method: 'GET', url: `/v1/reports/contacts?${query}` });
    expect(res.statusCode, res.body).toBe(400);
    const e = (JSON.parse(res.body) as { error: { path: string; allowed?: string[]; message: string } }).error;
    expect(e.path).toBe(path);
    expect(typeof e.message).toBe('string');
    if (allowed) expect(e.allowed).toEqual(allowed);
  });
});
