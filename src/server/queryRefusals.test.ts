// Every query, path and header parameter of the API refused once per way it can be wrong, each refusal pinned to the
// byte: status, content type and body (the contract's error object: path, given capped, allowed, message, near
// misses). The pinned file was written before the route schemas became zod, so the change of schema source cannot
// have changed what a client is told. A refusal that changes on purpose is re-pinned with `vitest -u`.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContactStore, type OpenContactStore } from '../store/open.js';
import { freshStore, type TestStore } from '../store/testDatabases.js';
import { addUser } from '../store/users.js';
import { buildServer } from './app.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const COUNTY = 'us/md/example-county';
/** Longer than the error object repeats (GIVEN_MAX): `given` comes back cut, with `given_length`. */
const LONG = 'x'.repeat(300);

type Case = Omit<InjectOptions, 'url'> & { readonly url: string; readonly token?: 'staff' | 'auditor' | 'bogus' };

/** Each parameter of each route, wrong in each way its handler tells apart. */
const cases: readonly Case[] = [
  // POST /v1/decide and /v1/decide/batch: the what-if and the language.
  ...['/v1/decide', '/v1/decide/batch'].flatMap((route): Case[] => [
    { url: `${route}?assume_in_force=nosuch` },
    { url: `${route}?assume_not_in_force=nosuch` },
    { url: `${route}?assume_in_force=fixture-county-eo&assume_not_in_force=fixture-county-eo` },
    { url: `${route}?assume_in_force=fixture-county-trust-act,fixtur-county-eo` },
    { url: `${route}?lang=fr` },
    { url: `${route}?lang=en&lang=es` },
    { url: `${route}?assume-in-force=fixture-county-eo` },
    { url: `${route}?${LONG}=1` },
  ].map((c) => ({ ...c, method: 'POST', payload: route.endsWith('batch') ? [] : {} }))),
  // GET /v1/jurisdictions, /v1/jurisdictions/{id}, /v1/instruments, /v1/instruments/{id}.
  { url: '/v1/jurisdictions?x=1' },
  { url: `/v1/jurisdictions/${COUNTY}?at=2020-01-01` },
  { url: '/v1/jurisdictions/us/md/exampel-county' },
  { url: `/v1/jurisdictions/${LONG.slice(0, 190)}` },
  { url: '/v1/instruments?jurisdiction=us/md/exampel-county' },
  { url: `/v1/instruments?jurisdiction=${COUNTY}&jurisdiction=us` },
  { url: '/v1/instruments?at=2019-02-30' },
  { url: '/v1/instruments?at=yesterday' },
  { url: '/v1/instruments?at=2020-01-01&at=2021-01-01' },
  { url: '/v1/instruments?status=in_force' },
  { url: '/v1/instruments/fixture-county-eo?at=2019-02-30' },
  { url: '/v1/instruments/fixture-county-eo?jurisdiction=us' },
  { url: '/v1/instruments/fixture-county-oe' },
  { url: `/v1/instruments/${LONG}` },
  // GET /v1/analysis/…: every parameter, and the Authorization header.
  { url: '/v1/analysis/table' },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2019-02-30` },
  { url: '/v1/analysis/table?at=2020-01-01' },
  { url: '/v1/analysis/table?jurisdiction=us/md/exampel-county&at=2020-01-01' },
  { url: `/v1/analysis/table?jurisdiction=${LONG}&at=2020-01-01` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&jurisdiction=us&at=2020-01-01` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&format=xml` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&agency=polic` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&request=detain` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&assume_in_force=nosuch` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&assume_not_in_force=nosuch` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&lang=fr` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01&expnad=1` },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01`, token: 'bogus' },
  { url: `/v1/analysis/table?jurisdiction=${COUNTY}&at=2020-01-01`, headers: { authorization: 'Basic abc' } },
  { url: '/v1/analysis/diff?at=2020-01-01' },
  { url: `/v1/analysis/diff?a=${COUNTY}&at=2020-01-01` },
  { url: `/v1/analysis/diff?a=${COUNTY}&b=us/md/exampel-county&at=2020-01-01` },
  { url: `/v1/analysis/diff?a=${COUNTY}&b=us/md&at=2020-13-01` },
  { url: `/v1/analysis/diff?a=${COUNTY}&vs_date=2020-02-30&at=2020-01-01` },
  { url: `/v1/analysis/diff?a=${COUNTY}&b=us/md&vs_date=2021-01-01&at=2020-01-01` },
  { url: `/v1/analysis/diff?a=${COUNTY}&b=us/md&at=2020-01-01&agency=nosuch` },
  { url: `/v1/analysis/diff?a=${COUNTY}&b=us/md&at=2020-01-01&lang=de` },
  { url: `/v1/analysis/diff?a=${COUNTY}&b=us/md&at=2020-01-01&c=us` },
  { url: `/v1/analysis/gaps?jurisdiction=${COUNTY}&at=2020-01-01` },
  { url: `/v1/analysis/gaps?jurisdiction=${COUNTY}&against=nosuch&at=2020-01-01` },
  { url: '/v1/analysis/gaps?against=us/md&at=2020-01-01' },
  { url: `/v1/analysis/gaps?jurisdiction=${COUNTY}&against=us/md` },
  { url: `/v1/analysis/gaps?jurisdiction=${COUNTY}&against=us/md&at=2020-01-01&request=nosuch` },
  { url: `/v1/analysis/gaps?jurisdiction=${COUNTY}&against=us/md&at=2020-01-01&model=us` },
  { url: '/v1/analysis/timeline' },
  { url: `/v1/analysis/timeline?jurisdiction=${COUNTY}&from=2020-02-30` },
  { url: `/v1/analysis/timeline?jurisdiction=${COUNTY}&to=soon` },
  { url: `/v1/analysis/timeline?jurisdiction=${COUNTY}&assume_in_force=nosuch` },
  { url: `/v1/analysis/timeline?jurisdiction=${COUNTY}&at=2020-01-01` },
  { url: '/v1/analysis/coverage?at=2020-02-30' },
  { url: '/v1/analysis/coverage?jurisdiction=us/md/exampel-county' },
  { url: '/v1/analysis/coverage?assume_not_in_force=nosuch' },
  { url: '/v1/analysis/coverage?lang=fr' },
  { url: '/v1/analysis/coverage?request=detain_past_release' },
  { url: '/v1/analysis/check?assume_in_force=nosuch' },
  { url: '/v1/analysis/check?lang=xx' },
  { url: '/v1/analysis/check?at=2020-01-01' },
  // GET /v1/reports/contacts.
  { url: '/v1/reports/contacts' },
  { url: '/v1/reports/contacts?from=2026-01-01&to=2026-03-31' },
  { url: `/v1/reports/contacts?jurisdiction=us/md/exampel-county&from=2026-01-01&to=2026-03-31` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-02-30&to=2026-03-31` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-02&to=2026-03-31` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-30` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&by=week` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&descendants=maybe` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&format=xml` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&from=2026-04-01` },
  { url: `/v1/reports/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-03-31&period=quarter` },
  // GET /v1/contacts, /v1/contacts/{id}, /v1/log/….
  { url: '/v1/contacts' },
  { url: '/v1/contacts', token: 'bogus' },
  { url: '/v1/contacts?jurisdiction=us/md/exampel-county', token: 'staff' },
  { url: '/v1/contacts?from=2026-02-30', token: 'staff' },
  { url: '/v1/contacts?to=noon', token: 'staff' },
  { url: '/v1/contacts?deviation=maybe', token: 'staff' },
  { url: '/v1/contacts?deviation=true&deviation=false', token: 'staff' },
  { url: '/v1/contacts?agency=police', token: 'staff' },
  { url: '/v1/contacts/not-an-id', token: 'staff' },
  { url: '/v1/contacts/00000000-0000-4000-8000-000000000000?x=1', token: 'staff' },
  { url: '/v1/log/checkpoint?x=1' },
  { url: '/v1/log/key?x=1' },
  { url: '/v1/log/consistency' },
  { url: '/v1/log/consistency?to=1' },
  { url: '/v1/log/consistency?from=0&to=1' },
  { url: '/v1/log/consistency?from=x&to=1' },
  { url: '/v1/log/consistency?from=1&to=99' },
  { url: '/v1/log/consistency?from=1&to=1.5' },
  { url: '/v1/log/consistency?from=1&to=1&to=1' },
  { url: '/v1/log/consistency?from=1&to=1&size=1' },
  { url: '/v1/log/inclusion', token: 'auditor' },
  { url: '/v1/log/inclusion?index=-1', token: 'auditor' },
  { url: '/v1/log/inclusion?index=5', token: 'auditor' },
  { url: '/v1/log/inclusion?index=0&size=0', token: 'auditor' },
  { url: '/v1/log/inclusion?index=0&size=9', token: 'auditor' },
  { url: '/v1/log/inclusion?index=0&from=1', token: 'auditor' },
  // GET /practice.
  { url: '/practice?lang=fr' },
  { url: '/practice?lang=en&lang=es' },
  // GET /healthz, /readyz, /metrics: no query parameters.
  { url: '/healthz?verbose=1' },
  { url: '/readyz?x=1' },
  { url: '/metrics?name=trustrules_decisions_total' },
];

describe('refusals of bad parameters, pinned', () => {
  let t: TestStore;
  let open: OpenContactStore;
  let app: FastifyInstance;
  const tokens: Record<string, string> = { bogus: 'not-a-token' };

  beforeAll(async () => {
    t = await freshStore('pglite');
    open = await openContactStore(t.config);
    app = buildServer({ policies: fixtures, contacts: open });
    await app.ready();
    tokens.staff = (await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' })).token;
    tokens.auditor = (await addUser(open.db, { name: 'audit', role: 'auditor', jurisdiction: COUNTY })).token;
    // One record, so that the log has a size to be out of range of.
    const record = await app.inject({
      method: 'POST', url: '/v1/contacts', headers: { authorization: `Bearer ${tokens.staff}` },
      payload: { scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_administrative_warrant' }, occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: 'declined' },
    });
    expect(record.statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await open?.close();
    await t?.dispose();
  });

  it('answers each bad parameter as pinned: status, content type, and the error object byte for byte', async () => {
    const answers: Record<string, unknown> = {};
    for (const { token, ...c } of cases) {
      const headers = { ...(c.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${tokens[token]}` } : {}) };
      const r = await app.inject({ method: 'GET', ...c, headers });
      const label = `${c.method ?? 'GET'} ${c.url}${token ? ` (${token} token)` : ''}${headers.authorization && !token ? ` (Authorization: ${headers.authorization})` : ''}`;
      expect(r.statusCode, label).toBeLessThan(500);
      if (String(r.headers['content-type']).startsWith('application/json')) {
        // Compact JSON as sent: its pretty form below keeps the key order, so together they pin every byte.
        expect(JSON.stringify(JSON.parse(r.body)), label).toBe(r.body);
        answers[label] = { status: r.statusCode, type: r.headers['content-type'], body: JSON.parse(r.body) };
      } else {
        answers[label] = { status: r.statusCode, type: r.headers['content-type'], text: r.body.length > 400 ? `(${r.body.length} characters)` : r.body };
      }
    }
    expect(Object.keys(answers)).toHaveLength(cases.length);
    await expect(`${JSON.stringify(answers, null, 2)}\n`).toMatchFileSnapshot('./fixtures/queryRefusals.json');
  }, 120_000);
});
