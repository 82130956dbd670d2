// The contact and log endpoints on a real store (PGlite and PostgreSQL): every route × role × in/out of scope, the
// closed schema, deviations, corrections, CSV, receipts that verify, and the access log that records each read.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../log/index.js';
import { decodeHash } from '../log/index.js';
import { NoteVerifier } from '../log/index.js';
import { verifyConsistency, verifyInclusion } from '../log/index.js';
import { verifyAccessLog } from '../store/accessLog.js';
import { RevokedAccountError } from '../store/contacts.js';
import { openContactStore, type OpenContactStore } from '../store/open.js';
import { databaseKinds, freshStore, type TestStore } from '../store/testDatabases.js';
import { contactJson } from '../store/contactViews.js';
import { addUser, revokeUser, type Role } from '../store/users.js';
import { buildServer } from './app.js';
import { consistencyProofSchema, contactListSchema, contactResponseSchema, inclusionProofSchema, receiptSchema, tombstoneSchema } from './contactSchemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const COUNTY = 'us/md/example-county';
const CITY = 'us/md/example-county/example-city';
const STATE = 'us/md';

const contact = (jurisdiction: string, extra: Record<string, unknown> = {}, agency = 'police') => ({
  scenario: { actor: { jurisdiction, agency }, request: 'grant_facility_access', basis: 'ice_administrative_warrant' },
  occurred_at: '2026-03-10T14:05:00-05:00',
  agent: 'ice_ero',
  action: 'declined',
  ...extra,
});

const errorShape = (body: unknown) => {
  const e = (body as { error?: Record<string, unknown> }).error;
  expect(e, JSON.stringify(body)).toBeDefined();
  expect(typeof e!.path).toBe('string');
  expect(typeof e!.message).toBe('string');
  expect('given' in e!).toBe(true);
};

describe.each(databaseKinds)('contact routes on %s', (kind) => {
  let t: TestStore;
  let open: OpenContactStore;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let ownId = '';
  let ownIndex = 0;
  let otherId = '';
  let otherIndex = 0;

  beforeAll(async () => {
    t = await freshStore(kind);
    open = await openContactStore(t.config);
    app = buildServer({ policies: fixtures, contacts: open });
    await app.ready();
    for (const role of ['staff', 'supervisor', 'auditor', 'admin'] as Role[]) {
      tokens[role] = (await addUser(open.db, { name: `${role}-county`, role, jurisdiction: COUNTY, ...(role === 'staff' ? { agency: 'police' } : {}) })).token;
    }
    tokens.stateStaff = (await addUser(open.db, { name: 'staff-state', role: 'staff', jurisdiction: STATE })).token;
    tokens.revoked = (await addUser(open.db, { name: 'gone', role: 'auditor', jurisdiction: 'us' })).token;
    await revokeUser(open.db, 'gone');
    // One record in scope (by the county's staff) and one outside it (by the state's staff).
    const own = await post(contact(COUNTY), tokens.staff);
    expect(own.statusCode, own.body).toBe(201);
    ({ id: ownId, index: ownIndex } = own.json());
    const other = await post(contact(STATE), tokens.stateStaff);
    expect(other.statusCode, other.body).toBe(201);
    ({ id: otherId, index: otherIndex } = other.json());
  });
  afterAll(async () => {
    await app?.close();
    await open?.close();
    await t?.dispose();
  });

  const auth = (token: string | undefined) => (token ? { authorization: `Bearer ${token}` } : {});
  const post = (body: unknown, token?: string) => app.inject({ method: 'POST', url: '/v1/contacts', headers: auth(token), payload: body as object });

  // Every route × role × in/out of scope. Scope: the county; out: the state above it.
  type Case = { route: string; run: (token: string | undefined, inScope: boolean) => ReturnType<typeof post>; expect: Record<string, [number, number]> };
  const cases: Case[] = [
    {
      route: 'POST /v1/contacts',
      run: (token, inScope) => post(contact(inScope ? COUNTY : STATE), token),
      expect: { none: [401, 401], bad: [401, 401], revoked: [401, 401], staff: [201, 403], supervisor: [201, 403], auditor: [201, 403], admin: [201, 403] },
    },
    {
      route: 'GET /v1/contacts/{id}',
      run: (token, inScope) => app.inject({ url: `/v1/contacts/${inScope ? ownId : otherId}`, headers: auth(token) }),
      expect: { none: [401, 401], bad: [401, 401], revoked: [401, 401], staff: [200, 403], supervisor: [200, 403], auditor: [200, 403], admin: [403, 403] },
    },
    {
      route: 'GET /v1/contacts',
      run: (token, inScope) => app.inject({ url: `/v1/contacts?jurisdiction=${encodeURIComponent(inScope ? COUNTY : STATE)}`, headers: auth(token) }),
      expect: { none: [401, 401], bad: [401, 401], revoked: [401, 401], staff: [200, 403], supervisor: [200, 403], auditor: [200, 403], admin: [403, 403] },
    },
    {
      route: 'GET /v1/log/inclusion',
      run: (token, inScope) => app.inject({ url: `/v1/log/inclusion?index=${inScope ? ownIndex : otherIndex}`, headers: auth(token) }),
      expect: { none: [401, 401], bad: [401, 401], revoked: [401, 401], staff: [200, 403], supervisor: [403, 403], auditor: [200, 403], admin: [403, 403] },
    },
    {
      route: 'GET /v1/log/checkpoint',
      run: (token) => app.inject({ url: '/v1/log/checkpoint', headers: auth(token) }),
      expect: { none: [200, 200], bad: [200, 200], revoked: [200, 200], staff: [200, 200], supervisor: [200, 200], auditor: [200, 200], admin: [200, 200] },
    },
    {
      route: 'GET /v1/log/key',
      run: (token) => app.inject({ url: '/v1/log/key', headers: auth(token) }),
      expect: { none: [200, 200], bad: [200, 200], revoked: [200, 200], staff: [200, 200], supervisor: [200, 200], auditor: [200, 200], admin: [200, 200] },
    },
    {
      route: 'GET /v1/log/consistency',
      run: (token) => app.inject({ url: '/v1/log/consistency?from=1&to=2', headers: auth(token) }),
      expect: { none: [200, 200], bad: [200, 200], revoked: [200, 200], staff: [200, 200], supervisor: [200, 200], auditor: [200, 200], admin: [200, 200] },
    },
  ];
  const who: Record<string, () => string | undefined> = {
    none: () => undefined, bad: () => 'trt_not-a-real-token', revoked: () => tokens.revoked, staff: () => tokens.staff,
    supervisor: () => tokens.supervisor, auditor: () => tokens.auditor, admin: () => tokens.admin,
  };
  for (const c of cases) {
    for (const [role, [inStatus, outStatus]] of Object.entries(c.expect)) {
      it(`${c.route} as ${role}: ${inStatus} in scope, ${outStatus} out of scope`, async () => {
        for (const [inScope, status] of [[true, inStatus], [false, outStatus]] as const) {
          const r = await c.run(who[role]!(), inScope);
          expect(r.statusCode, `${inScope ? 'in' : 'out of'} scope: ${r.body}`).toBe(status);
          if (status >= 400) errorShape(r.json());
          if (status === 401) expect(r.headers['www-authenticate']).toBe('Bearer');
        }
      });
    }
  }

  it('staff bound to an agency cannot record for another agency', async () => {
    const r = await post(contact(COUNTY, {}, 'sheriff'), tokens.staff);
    expect(r.statusCode).toBe(403);
    errorShape(r.json());
  });

  it('a revoked token stops working at once: the next append and the next read are 401, though the server had just trusted it', async () => {
    const { token, user } = await addUser(open.db, { name: 'leaving-desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' });
    expect((await post(contact(COUNTY), token)).statusCode).toBe(201); // the server now trusts this token for appends
    const before = (await open.store.head()).size;
    await revokeUser(open.db, user.id);
    const append = await post(contact(COUNTY), token);
    expect(append.statusCode, append.body).toBe(401);
    errorShape(append.json());
    expect((await open.store.head()).size).toBe(before);
    expect((await app.inject({ url: '/v1/contacts', headers: auth(token) })).statusCode).toBe(401);
    expect((await post(contact(COUNTY), token)).statusCode).toBe(401);
  });

  it('a batch with a revoked account commits the others and refuses only that one', async () => {
    const stayed = await addUser(open.db, { name: 'staying-desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' });
    const gone = await addUser(open.db, { name: 'gone-desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' });
    expect((await post(contact(COUNTY), gone.token)).statusCode).toBe(201); // trusted by the server from now on
    await revokeUser(open.db, gone.user.id);
    const before = (await open.store.head()).size;
    const responses = await Promise.all([stayed.token, gone.token, stayed.token, gone.token].map((tk) => post(contact(COUNTY), tk)));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 401, 201, 401]);
    const indices = responses.filter((r) => r.statusCode === 201).map((r) => (r.json() as { index: number }).index).sort((a, b) => a - b);
    expect(indices).toEqual([before, before + 1]);
    expect((await open.store.head()).size).toBe(before + 2);
  });

  it('the store itself refuses an append by an account revoked before the commit, with RevokedAccountError', async () => {
    const { user } = await addUser(open.db, { name: 'stale-desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' });
    await revokeUser(open.db, user.id);
    const body = contact(COUNTY);
    await expect(open.store.append({
      scenario: { ...body.scenario, date: '2026-03-10' }, jurisdiction: COUNTY, agency: 'police', occurred_at: body.occurred_at,
      agent: 'ice_ero', action: 'declined', decision: { outcome: 'permitted', summary: '', governing: [], considered: [], would_change: [], depends_on: null, policy_version: 'x' }, deviation: false,
    }, user)).rejects.toBeInstanceOf(RevokedAccountError);
  });

  it('staff read only their own records; supervisors read all in scope', async () => {
    const mine = (await app.inject({ url: '/v1/contacts', headers: auth(tokens.staff) })).json().records as { recorded_by: string; id: string }[];
    const all = (await app.inject({ url: '/v1/contacts', headers: auth(tokens.supervisor) })).json().records as { id: string; scenario: { actor: { jurisdiction: string } } }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((r) => r.recorded_by)).size).toBe(1);
    expect(all.length).toBeGreaterThan(mine.length);
    expect(all.every((r) => r.scenario.actor.jurisdiction.startsWith(COUNTY))).toBe(true);
    expect(all.some((r) => r.id === otherId)).toBe(false);
  });

  it('decides as of the day of the contact and flags a deviation', async () => {
    const complied = await post(contact(COUNTY, { action: 'complied' }), tokens.staff);
    expect(complied.statusCode).toBe(201);
    const r = complied.json();
    expect(r.decision.outcome).toBe('prohibited');
    expect(r.decision.governing).toEqual(['fixture-county-eo#no-facility-access']);
    expect(r.decision.policy_version).toMatch(/^sha256:/);
    expect(r.deviation).toBe(true);
    // Before the order was signed (2019-07-22) the same contact is no deviation.
    const before = await post(contact(COUNTY, { action: 'complied', occurred_at: '2019-07-01T09:00:00-04:00' }), tokens.staff);
    expect(before.json().decision.outcome).toBe('no_rule');
    expect(before.json().deviation).toBe(false);
    const filtered = (await app.inject({ url: '/v1/contacts?deviation=true', headers: auth(tokens.auditor) })).json().records as { id: string; deviation: boolean }[];
    expect(filtered.map((x) => x.id)).toContain(r.id);
    expect(filtered.every((x) => x.deviation)).toBe(true);
  });

  it('refuses fields the closed schema does not have, with the contract error object', async () => {
    for (const [body, path] of [
      [contact(COUNTY, { name: 'Jane Doe' }), 'name'],
      [contact(COUNTY, { birth_date: '1990-01-01' }), 'birth_date'],
      [{ ...contact(COUNTY), scenario: { ...contact(COUNTY).scenario, citizenship: 'mx' } }, 'scenario.citizenship'],
      [{ ...contact(COUNTY), scenario: { ...contact(COUNTY).scenario, actor: { jurisdiction: COUNTY, agency: 'police', badge: '123' } } }, 'scenario.actor.badge'],
      [contact(COUNTY, { agent: 'fbi' }), 'agent'],
      [contact(COUNTY, { site: 'has spaces' }), 'site'],
      [contact(COUNTY, { occurred_at: '2026-03-10' }), 'occurred_at'],
      [contact(COUNTY, { occurred_at: '2999-01-01T00:00:00Z' }), 'occurred_at'],
      [{ ...contact(COUNTY), scenario: { ...contact(COUNTY).scenario, date: '2026-03-11' } }, 'scenario.date'],
      [contact(COUNTY, { corrects: '00000000-0000-4000-8000-000000000000' }), 'corrects'],
    ] as const) {
      const r = await post(body, tokens.staff);
      expect(r.statusCode, `${path}: ${r.body}`).toBe(400);
      errorShape(r.json());
      expect(r.json().error.path).toBe(path);
    }
  });

  it('a correction is a new record that references the one it corrects', async () => {
    const fix = await post(contact(COUNTY, { corrects: ownId, action: 'referred_to_supervisor' }), tokens.staff);
    expect(fix.statusCode, fix.body).toBe(201);
    const stored = (await app.inject({ url: `/v1/contacts/${fix.json().id}`, headers: auth(tokens.staff) })).json();
    expect(stored.corrects).toBe(ownId);
    const original = (await app.inject({ url: `/v1/contacts/${ownId}`, headers: auth(tokens.staff) })).json();
    expect(original.action).toBe('declined');
  });

  it('serves CSV on Accept: text/csv', async () => {
    const r = await app.inject({ url: `/v1/contacts?jurisdiction=${COUNTY}&from=2026-01-01&to=2026-12-31`, headers: { ...auth(tokens.auditor), accept: 'text/csv' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = r.body.trim().split('\n');
    expect(lines[0]).toMatch(/^index,id,occurred_at,jurisdiction/);
    expect(lines.length).toBeGreaterThan(1);
    expect(r.body).toContain(ownId);
  });

  it('hands out receipts that verify against the key and later checkpoints', async () => {
    const key = NoteVerifier.parse((await app.inject({ url: '/v1/log/key' })).body.trim());
    const r = (await post(contact(COUNTY), tokens.staff)).json();
    const cp = openCheckpoint(r.checkpoint, key);
    expect(verifyInclusion(r.index, cp.size, decodeHash(r.leaf_hash), r.inclusion_proof.map((p: string) => decodeHash(p)), cp.root)).toBe(true);
    await post(contact(COUNTY), tokens.staff);
    const latest = openCheckpoint((await app.inject({ url: '/v1/log/checkpoint' })).body, key);
    expect(latest.size).toBeGreaterThan(cp.size);
    const proof = (await app.inject({ url: `/v1/log/consistency?from=${cp.size}&to=${latest.size}` })).json().proof.map((p: string) => decodeHash(p));
    expect(verifyConsistency(cp.size, latest.size, cp.root, latest.root, proof)).toBe(true);
    const inc = (await app.inject({ url: `/v1/log/inclusion?index=${r.index}&size=${latest.size}`, headers: auth(tokens.auditor) })).json();
    expect(inc.leaf_hash).toBe(r.leaf_hash);
    expect(verifyInclusion(r.index, latest.size, decodeHash(inc.leaf_hash), inc.proof.map((p: string) => decodeHash(p)), latest.root)).toBe(true);
  });

  it('refuses proofs for sizes the log does not have', async () => {
    for (const url of ['/v1/log/consistency?from=0&to=1', '/v1/log/consistency?from=2&to=1', '/v1/log/consistency?from=1&to=999999', '/v1/log/consistency?from=x&to=2', '/v1/log/consistency', '/v1/log/consistency?from=1&to=2&extra=1']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(400);
      errorShape(r.json());
    }
    const r = await app.inject({ url: '/v1/log/inclusion?index=999999', headers: auth(tokens.auditor) });
    expect(r.statusCode).toBe(400);
  });

  it('answers in the documented shapes, and shows each record byte for byte as committed', async () => {
    const posted = await post(contact(COUNTY, { site: 'desk-2' }), tokens.staff);
    const receipt = receiptSchema.parse(posted.json());
    // The receipt carries every field of contract section 7 (the serializer drops what the schema lacks), in this order.
    expect(Object.keys(receipt)).toEqual(['id', 'index', 'decision', 'deviation', 'checkpoint', 'inclusion_proof', 'leaf_hash']);
    expect(Object.keys(receipt.decision)).toEqual(['outcome', 'policy_version', 'governing']);
    expect(posted.body).toBe(JSON.stringify(receipt));
    const ids = [receipt.id, ownId, (await post(contact(COUNTY, { corrects: ownId }), tokens.staff)).json().id as string];
    for (const id of ids) {
      const r = await app.inject({ url: `/v1/contacts/${id}`, headers: auth(tokens.auditor) });
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      contactResponseSchema.parse(r.json());
      expect(r.body).toBe(JSON.stringify(contactJson((await open.store.get(id))!)));
    }
    const list = await app.inject({ url: '/v1/contacts', headers: auth(tokens.auditor) });
    const records = contactListSchema.parse(list.json()).records;
    expect(records.some((x) => 'site' in x && x.site === 'desk-2') && records.some((x) => 'corrects' in x && x.corrects === ownId)).toBe(true);
    const stored = await Promise.all(records.map(async (x) => contactJson((await open.store.get(x.id))!)));
    expect(list.body).toBe(JSON.stringify({ records: stored }));
    const size = (await open.store.head()).size;
    consistencyProofSchema.parse((await app.inject({ url: `/v1/log/consistency?from=1&to=${size}` })).json());
    inclusionProofSchema.parse((await app.inject({ url: `/v1/log/inclusion?index=${receipt.index}`, headers: auth(tokens.staff) })).json());
    // A record with a field the schema does not document fails the check (the shapes are closed).
    const own = JSON.parse((await app.inject({ url: `/v1/contacts/${ownId}`, headers: auth(tokens.auditor) })).body) as Record<string, unknown>;
    expect(() => contactResponseSchema.parse({ ...own, name: 'x' })).toThrow();
  });

  it('records every read in a hash-chained access log', async () => {
    const before = (await open.db.query<{ n: string | number }>('SELECT count(*) AS n FROM access_log'))[0]!.n;
    await app.inject({ url: `/v1/contacts?jurisdiction=${COUNTY}&deviation=false`, headers: auth(tokens.supervisor) });
    await app.inject({ url: `/v1/contacts/${ownId}`, headers: auth(tokens.auditor) });
    const rows = await open.db.query<{ action: string; query: string; user_id: string }>('SELECT action, query, user_id FROM access_log ORDER BY seq DESC LIMIT 2');
    expect(Number((await open.db.query<{ n: string | number }>('SELECT count(*) AS n FROM access_log'))[0]!.n)).toBe(Number(before) + 2);
    expect(rows[0]!.action).toBe('get');
    expect(JSON.parse(rows[0]!.query)).toEqual({ id: ownId });
    expect(JSON.parse(rows[1]!.query)).toEqual({ jurisdiction: COUNTY, deviation: 'false' });
    expect(await verifyAccessLog(open.db)).toMatchObject({ ok: true });
    await open.db.query("UPDATE access_log SET query = '{}' WHERE seq = 0");
    expect(await verifyAccessLog(open.db)).toMatchObject({ ok: false, seq: 0 });
  });

  it('shows what retention leaves of a record in the documented shape (run last: it deletes every record\'s content)', async () => {
    expect(await open.store.tombstoneBefore(new Date('2100-01-01T00:00:00Z'))).toBeGreaterThan(0);
    const r = await app.inject({ url: `/v1/contacts/${ownId}`, headers: auth(tokens.auditor) });
    expect(r.statusCode, r.body).toBe(200);
    expect(tombstoneSchema.parse(r.json()).id).toBe(ownId);
    expect(r.body).toBe(JSON.stringify(contactJson((await open.store.get(ownId))!)));
    contactListSchema.parse((await app.inject({ url: '/v1/contacts', headers: auth(tokens.auditor) })).json());
  });
});
