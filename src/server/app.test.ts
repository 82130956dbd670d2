// The HTTP API through `inject` (every endpoint and every error path), over a real socket, and via startServer —
// against a small fixture policy tree (exact expectations) and the real Maryland corpus (robust to added instruments).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { decide } from '../app/presentation/decisions.js';
import { Engine } from '../engine/engine.js';
import type { Corpus } from '../policy/corpus.js';
import { formatDiagnostic } from '../policy/diagnostics.js';
import { instrumentJson, jurisdictionJson, sortedJurisdictions } from '../policy/listing.js';
import { loadCorpus } from '../policy/load.js';
import { ContractError } from '../app/errors.js';
import { listValues as listParam } from '../app/params.js';
import { buildServer } from './app.js';
import { startServer } from './start.js';
import { decisionSchema, errorSchema, healthSchema, instrumentSchema, jurisdictionDetailSchema, jurisdictionSchema } from './schemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const realPolicies = fileURLToPath(new URL('../../policies', import.meta.url));

function load(root: string): Corpus {
  const { corpus, diagnostics } = loadCorpus(root);
  if (!corpus) throw new Error(`cannot load ${root}:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`);
  return corpus;
}

const county = 'us/md/example-county';
const facility = (extra: Record<string, unknown> = {}) => ({
  date: '2020-01-01', actor: { jurisdiction: county, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer', ...extra,
});
const releaseNotice = { date: '2020-01-01', actor: { jurisdiction: county, agency: 'corrections' }, request: 'notify_release' };
const detainerHold = { date: '2020-01-01', actor: { jurisdiction: county, agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' };

/** The contract error object, checked for shape; returns it for further assertions. */
function contractError(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(res.body).not.toMatch(/\bat [^ ]+ \(|\.ts:\d+|\.js:\d+|"stack"/);
  return errorSchema.parse(res.json()).error;
}

describe('HTTP API on the fixture corpus', () => {
  let corpus: Corpus;
  let engine: Engine;
  let app: FastifyInstance;

  beforeAll(async () => {
    corpus = load(fixtures);
    engine = new Engine(corpus);
    app = buildServer({ corpus });
    // A route that fails, to prove internal errors reach the client without details.
    app.get('/test-only/boom', async () => {
      throw new Error('secret internals /work/main/src/x.ts:12');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  describe('POST /v1/decide', () => {
    it('answers the decision the engine gives, as JSON with a request id', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: facility() });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['x-request-id']).toBeTruthy();
      const body = res.json();
      expect(body).toEqual(JSON.parse(JSON.stringify(decide(engine, facility()))));
      expect(decisionSchema.parse(body).outcome).toBe('prohibited');
      expect(body.governing.map((g: { instrument: string; provision: string }) => `${g.instrument}#${g.provision}`)).toEqual(['fixture-county-eo#no-facility-access']);
      expect(body.policy_version).toBe(corpus.version);
    });

    it('gives "depends" with the branches when a deciding fact is unknown', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: facility({ basis: 'unknown' }) });
      const d = decisionSchema.parse(res.json());
      expect(d.outcome).toBe('depends');
      expect(d.depends_on?.map((b) => b.outcome).sort()).toEqual(['permitted', 'prohibited']);
    });

    it('applies higher law that voids a local prohibition (8 U.S.C. 1373)', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: { date: '2020-01-01', actor: { jurisdiction: county, agency: 'executive' }, request: 'share_status_info' } });
      const d = decisionSchema.parse(res.json());
      expect(d.outcome).toBe('permitted');
      expect(d.considered.find((c) => c.provision === 'no-status-sharing')?.role).toBe('voided');
    });

    it('echoes a caller-supplied x-request-id', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: facility(), headers: { 'x-request-id': 'abc-123' } });
      expect(res.headers['x-request-id']).toBe('abc-123');
    });

    it.each([
      ['an unknown value', facility({ basis: 'warrant' }), 'basis', 'warrant', 'judicial_warrant'],
      ['an unknown field', facility({ colour: 'red' }), 'colour', 'colour', 'basis'],
      ['an unknown actor field', facility({ actor: { jurisdiction: county, agency: 'police', rank: 'chief' } }), 'actor.rank', 'rank', 'agency'],
      ['an unknown jurisdiction', facility({ actor: { jurisdiction: 'us/md/atlantis', agency: 'police' } }), 'actor.jurisdiction', 'us/md/atlantis', county],
      ['a bad date', facility({ date: '2020-02-30' }), 'date', '2020-02-30', 'YYYY-MM-DD'],
      ['a missing request', { date: '2020-01-01', actor: { jurisdiction: county, agency: 'police' } }, 'request', null, 'grant_facility_access'],
    ])('refuses %s with 400 and the contract error object', async (_name, payload, errPath, given, allowedOne) => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload });
      const err = contractError(res, 400);
      expect(err).toMatchObject({ path: errPath, given });
      expect(err.allowed).toContain(allowedOne);
      expect(err.message).toBeTruthy();
    });

    it.each([
      ['an array', '[1,2]', 'array'],
      ['null', 'null', 'null'],
      ['a number', '42', 'number'],
      ['a string', '"hi"', 'string'],
    ])('refuses %s as a scenario', async (_name, payload, kind) => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload, headers: { 'content-type': 'application/json' } });
      expect(contractError(res, 400)).toMatchObject({ path: '(scenario)', given: kind, allowed: ['object'] });
    });

    it('refuses invalid JSON with 400 at path (body)', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: '{"date": 2020-', headers: { 'content-type': 'application/json' } });
      const err = contractError(res, 400);
      expect(err.path).toBe('(body)');
      expect(err.given).toBe('{"date": 2020-');
      expect(err.message).toMatch(/^not valid JSON/);
    });

    it('refuses an empty JSON body and a missing body with 400 at path (body)', async () => {
      const empty = await app.inject({ method: 'POST', url: '/v1/decide', payload: '', headers: { 'content-type': 'application/json' } });
      expect(contractError(empty, 400).path).toBe('(body)');
      const none = await app.inject({ method: 'POST', url: '/v1/decide' });
      expect(contractError(none, 400)).toMatchObject({ path: '(body)', given: null });
    });

    it('accepts application/json with a charset', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: JSON.stringify(facility()), headers: { 'content-type': 'application/json; charset=utf-8' } });
      expect(res.statusCode).toBe(200);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])('refuses Content-Type %s with 415', async (type) => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: JSON.stringify(facility()), headers: { 'content-type': type } });
      expect(contractError(res, 415)).toMatchObject({ path: '(content-type)', given: type, allowed: ['application/json'] });
    });

    it('refuses a body over the limit with 413', async () => {
      const small = buildServer({ corpus, bodyLimit: 160 });
      try {
        const res = await small.inject({ method: 'POST', url: '/v1/decide', payload: facility({ matter: 'civil_immigration', subject: 'suspect', setting: 'booking' }) });
        const err = contractError(res, 413);
        expect(err.path).toBe('(body)');
        expect(err.allowed).toEqual(['at most 160 bytes']);
        expect((await small.inject({ method: 'POST', url: '/v1/decide', payload: facility() })).statusCode).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('what-if query parameters', () => {
    it('decides as if an instrument were in force, like an engine built with that what-if', async () => {
      const base = await app.inject({ method: 'POST', url: '/v1/decide', payload: releaseNotice });
      expect(base.json().outcome).toBe('no_rule');
      const res = await app.inject({ method: 'POST', url: '/v1/decide?assume_in_force=fixture-county-trust-act', payload: releaseNotice });
      expect(res.statusCode).toBe(200);
      const d = decisionSchema.parse(res.json());
      expect(d.outcome).toBe('prohibited');
      expect(d.assumptions).toEqual({ in_force: ['fixture-county-trust-act'], not_in_force: [] });
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(decide(new Engine(corpus, { assumeInForce: ['fixture-county-trust-act'] }), releaseNotice))));
      expect(d.policy_version).not.toBe(corpus.version);
    });

    it('takes repeated and comma-separated ids alike', async () => {
      const repeated = await app.inject({ method: 'POST', url: '/v1/decide?assume_in_force=fixture-county-trust-act&assume_in_force=fixture-county-bill-vetoed', payload: detainerHold });
      const commas = await app.inject({ method: 'POST', url: '/v1/decide?assume_in_force=fixture-county-bill-vetoed,fixture-county-trust-act', payload: detainerHold });
      expect(repeated.statusCode).toBe(200);
      expect(repeated.json().outcome).toBe('prohibited');
      expect(repeated.body).toBe(commas.body);
      expect(repeated.json().assumptions.in_force).toEqual(['fixture-county-bill-vetoed', 'fixture-county-trust-act']);
    });

    it('decides as if an instrument were never in force', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide?assume_not_in_force=fixture-county-eo', payload: facility() });
      const d = decisionSchema.parse(res.json());
      expect(d.outcome).toBe('no_rule');
      expect(d.considered.find((c) => c.provision === 'no-facility-access')).toMatchObject({ binding: false, why: 'assumed not in force (what-if)' });
    });

    it('refuses an unknown instrument with 400 naming the parameter', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide?assume_in_force=no-such-law', payload: facility() });
      const err = contractError(res, 400);
      expect(err).toMatchObject({ path: 'assume_in_force', given: 'no-such-law' });
      expect(err.allowed).toContain('fixture-county-eo');
      const out = await app.inject({ method: 'POST', url: '/v1/decide/batch?assume_not_in_force=nope', payload: [facility()] });
      expect(contractError(out, 400)).toMatchObject({ path: 'assume_not_in_force', given: 'nope' });
    });

    it('refuses an instrument named in both lists', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide?assume_in_force=fixture-county-eo&assume_not_in_force=fixture-county-eo', payload: facility() });
      expect(contractError(res, 400)).toMatchObject({ path: 'assume_not_in_force', given: 'fixture-county-eo' });
    });

    it('refuses an unknown (e.g. misspelt) query parameter rather than ignoring it', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide?assume_in_forse=fixture-county-eo', payload: facility() });
      const err = contractError(res, 400);
      expect(err).toMatchObject({ path: 'assume_in_forse', given: 'fixture-county-eo' });
      expect(err.allowed).toEqual(['assume_in_force', 'assume_not_in_force', 'lang']);
    });

    it('starts from the server-wide what-if, which a request may override', async () => {
      const wi = buildServer({ corpus, assumeInForce: ['fixture-county-trust-act'] });
      try {
        const health = healthSchema.parse((await wi.inject({ url: '/healthz' })).json());
        expect(health.assumptions).toEqual({ in_force: ['fixture-county-trust-act'], not_in_force: [] });
        expect((await wi.inject({ method: 'POST', url: '/v1/decide', payload: releaseNotice })).json().outcome).toBe('prohibited');
        const overridden = await wi.inject({ method: 'POST', url: '/v1/decide?assume_not_in_force=fixture-county-trust-act', payload: releaseNotice });
        expect(overridden.json().outcome).toBe('no_rule');
        expect(overridden.json().assumptions).toEqual({ in_force: [], not_in_force: ['fixture-county-trust-act'] });
      } finally {
        await wi.close();
      }
    });

    it('splits repeatable, comma-separated values', () => {
      expect(listParam(undefined)).toEqual([]);
      expect(listParam('a, b,,c')).toEqual(['a', 'b', 'c']);
      expect(listParam(['a', 'b,c'])).toEqual(['a', 'b', 'c']);
    });
  });

  describe('POST /v1/decide/batch', () => {
    const batch = [facility(), facility({ basis: 'judicial_warrant' }), releaseNotice, facility({ basis: 'unknown' })];

    it('answers the decisions in order, as the engine gives them', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: batch });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = res.json() as unknown[];
      expect(body).toEqual(JSON.parse(JSON.stringify(batch.map((s) => decide(engine, s)))));
      expect(body.map((d) => decisionSchema.parse(d).outcome)).toEqual(['prohibited', 'permitted', 'no_rule', 'depends']);
    });

    it('answers an empty batch with an empty array', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: [] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    });

    it('applies the what-if to every item', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/decide/batch?assume_in_force=fixture-county-trust-act', payload: [releaseNotice, releaseNotice] });
      expect(res.json().map((d: { outcome: string }) => d.outcome)).toEqual(['prohibited', 'prohibited']);
    });

    it('refuses the batch when an item is bad, the error path prefixed by its index', async () => {
      const bad = [facility(), facility(), facility(), facility({ basis: 'warrant' })];
      const err = contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: bad }), 400);
      expect(err).toMatchObject({ path: '3.basis', given: 'warrant' });
      expect(err.allowed).toContain('court_order');
      const nested = contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: [facility({ actor: { agency: 'police' } })] }), 400);
      expect(nested).toMatchObject({ path: '0.actor.jurisdiction', given: null });
      const notObject = contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: [facility(), facility(), 7] }), 400);
      expect(notObject).toMatchObject({ path: '2', given: 'number' });
    });

    it('refuses a body that is not an array', async () => {
      const err = contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: facility() }), 400);
      expect(err).toMatchObject({ path: '(body)', given: 'object', allowed: ['array'] });
    });

    it('refuses invalid JSON, a wrong content type and a missing body', async () => {
      expect(contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: '[{', headers: { 'content-type': 'application/json' } }), 400).path).toBe('(body)');
      expect(contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: '[]', headers: { 'content-type': 'text/csv' } }), 415).path).toBe('(content-type)');
      expect(contractError(await app.inject({ method: 'POST', url: '/v1/decide/batch' }), 400).path).toBe('(body)');
    });

    it('refuses more scenarios than the cap with 413, and a body over the batch limit with 413', async () => {
      const capped = buildServer({ corpus, maxBatch: 3, batchBodyLimit: 500 });
      try {
        const four = await capped.inject({ method: 'POST', url: '/v1/decide/batch', payload: [releaseNotice, releaseNotice, releaseNotice, releaseNotice] });
        expect(contractError(four, 413)).toMatchObject({ path: '(body)', given: 4, allowed: ['at most 3 scenarios'] });
        expect((await capped.inject({ method: 'POST', url: '/v1/decide/batch', payload: [releaseNotice, releaseNotice, releaseNotice] })).statusCode).toBe(200);
        const big = await capped.inject({ method: 'POST', url: '/v1/decide/batch', payload: Array.from({ length: 3 }, () => facility({ matter: 'civil_immigration', place: 'government_office' })) });
        expect(contractError(big, 413).allowed).toEqual(['at most 500 bytes']);
      } finally {
        await capped.close();
      }
    });

    it('takes 10,000 scenarios by default', async () => {
      const many = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? facility() : releaseNotice));
      const res = await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: many });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toHaveLength(10_000);
      const tooMany = await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: [...many, releaseNotice] });
      expect(contractError(tooMany, 413).given).toBe(10_001);
    });
  });

  describe('listings', () => {
    it('GET /v1/jurisdictions lists every jurisdiction as the CLI does', async () => {
      const res = await app.inject({ url: '/v1/jurisdictions' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as unknown[];
      expect(body).toEqual(JSON.parse(JSON.stringify(sortedJurisdictions(corpus).map((j) => jurisdictionJson(j, corpus)))));
      for (const j of body) jurisdictionSchema.parse(j);
      expect(body.map((j) => (j as { id: string }).id)).toEqual(['us', 'us/md', county, `${county}/example-city`]);
    });

    it('GET /v1/jurisdictions/{id} answers one jurisdiction with its children; the id may be %2F-encoded', async () => {
      const res = await app.inject({ url: `/v1/jurisdictions/${county}` });
      expect(res.statusCode).toBe(200);
      const j = jurisdictionDetailSchema.parse(res.json());
      expect(j).toMatchObject({ id: county, kind: 'county', parent: 'us/md', fips: '24999', children: [`${county}/example-city`] });
      expect(j.instruments).toContain('fixture-county-eo');
      const encoded = await app.inject({ url: `/v1/jurisdictions/${encodeURIComponent(county)}` });
      expect(encoded.json()).toEqual(res.json());
      expect(jurisdictionDetailSchema.parse((await app.inject({ url: '/v1/jurisdictions/us' })).json()).children).toEqual(['us/md']);
    });

    it('GET /v1/jurisdictions/{id} answers 404 for an unknown id', async () => {
      const err = contractError(await app.inject({ url: '/v1/jurisdictions/us/md/atlantis' }), 404);
      expect(err).toMatchObject({ path: 'id', given: 'us/md/atlantis' });
      expect(err.allowed).toContain(county);
    });

    it('GET /v1/instruments lists every instrument, filtered by jurisdiction, with status as of a date', async () => {
      const all = await app.inject({ url: '/v1/instruments' });
      expect(all.statusCode).toBe(200);
      const list = (all.json() as unknown[]).map((i) => instrumentSchema.parse(i));
      expect(list.map((i) => i.id).sort()).toEqual([...corpus.instruments.keys()].sort());

      const local = (await app.inject({ url: `/v1/instruments?jurisdiction=${encodeURIComponent(county)}` })).json() as { id: string; jurisdiction: string }[];
      expect(local.map((i) => i.id)).toEqual(['fixture-county-bill-vetoed', 'fixture-county-eo', 'fixture-county-trust-act']);

      const statusAt = async (at: string) =>
        ((await app.inject({ url: `/v1/instruments?at=${at}` })).json() as { id: string; status: string; status_as_of: string }[]).find((i) => i.id === 'fixture-county-trust-act');
      expect(await statusAt('2020-01-01')).toMatchObject({ status: 'not_yet_in_force', status_as_of: '2020-01-01' });
      expect(await statusAt('2031-01-01')).toMatchObject({ status: 'in_force', status_as_of: '2031-01-01' });
    });

    it('GET /v1/instruments refuses an unknown jurisdiction, a bad date and an unknown parameter', async () => {
      const j = contractError(await app.inject({ url: '/v1/instruments?jurisdiction=us/md/atlantis' }), 400);
      expect(j).toMatchObject({ path: 'jurisdiction', given: 'us/md/atlantis' });
      expect(j.allowed).toContain(county);
      expect(contractError(await app.inject({ url: '/v1/instruments?at=2020-13-01' }), 400)).toMatchObject({ path: 'at', given: '2020-13-01', allowed: ['YYYY-MM-DD'] });
      expect(contractError(await app.inject({ url: '/v1/instruments?at=2020-01-01&at=2021-01-01' }), 400).path).toBe('at');
      expect(contractError(await app.inject({ url: '/v1/instruments?kind=bill' }), 400)).toMatchObject({ path: 'kind', allowed: ['jurisdiction', 'at'] });
    });

    it('GET /v1/instruments/{id} answers one instrument, or 404', async () => {
      const res = await app.inject({ url: '/v1/instruments/fixture-county-bill-vetoed?at=2018-01-01' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(instrumentJson(corpus.instruments.get('fixture-county-bill-vetoed')!, '2018-01-01'))));
      expect(instrumentSchema.parse(res.json())).toMatchObject({ status: 'vetoed', in_force: [] });
      expect(contractError(await app.inject({ url: '/v1/instruments/no-such-law' }), 404)).toMatchObject({ path: 'id', given: 'no-such-law' });
      expect(contractError(await app.inject({ url: '/v1/instruments/fixture-county-eo?at=yesterday' }), 400).path).toBe('at');
    });
  });

  describe('service endpoints', () => {
    it('GET /healthz gives the policy version', async () => {
      const res = await app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(healthSchema.parse(res.json())).toEqual({ status: 'ok', policy_version: corpus.version, jurisdictions: 4, instruments: 4 });
    });

    it('GET /openapi.json documents every endpoint with schemas from the vocabulary', async () => {
      const res = await app.inject({ url: '/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths).sort()).toEqual(
        ['/healthz', '/metrics', '/practice', '/readyz', '/v1/analysis/check', '/v1/analysis/coverage', '/v1/analysis/diff', '/v1/analysis/gaps', '/v1/analysis/table', '/v1/analysis/timeline',
          '/v1/contacts', '/v1/contacts/{id}', '/v1/decide', '/v1/decide/batch', '/v1/instruments', '/v1/instruments/{id}', '/v1/jurisdictions', '/v1/jurisdictions/{id}',
          '/v1/log/checkpoint', '/v1/log/consistency', '/v1/log/inclusion', '/v1/log/key', '/v1/reports/contacts'],
      );
      const { $schema: _, ...scenario } = engine.codec.jsonSchema();
      expect(doc.components.schemas.Scenario).toMatchObject(scenario);
      expect(doc.components.schemas.Scenario.properties.actor.properties.jurisdiction.enum).toContain(county);
      expect(doc.paths['/v1/decide'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Scenario' });
      expect(doc.paths['/v1/decide'].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Decision' });
      expect(doc.paths['/v1/decide'].post.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      expect(doc.paths['/v1/decide'].post.parameters.map((p: { name: string }) => p.name)).toEqual(['assume_in_force', 'assume_not_in_force', 'lang']);
      expect(doc.paths['/v1/jurisdictions/{id}'].get.parameters[0]).toMatchObject({ in: 'path', name: 'id' });
      expect(doc.components.schemas.Decision.required).toEqual(expect.arrayContaining(['outcome', 'summary', 'governing', 'considered', 'would_change', 'depends_on', 'policy_version']));
    });

    it('GET /docs serves the Swagger UI page', async () => {
      const res = await app.inject({ url: '/docs' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('swagger-ui');
      expect((await app.inject({ url: '/docs/static/swagger-ui.css' })).statusCode).toBe(200);
    });

    it('answers an unknown route with a 404 error object, and a wrong method with 405', async () => {
      const err = contractError(await app.inject({ url: '/v2/decide' }), 404);
      expect(err).toMatchObject({ path: '(url)', given: 'GET /v2/decide' });
      expect(err.allowed).toContain('POST /v1/decide');
      const wrong = await app.inject({ url: '/v1/decide' });
      expect(contractError(wrong, 405)).toMatchObject({ path: '(method)', given: 'GET', allowed: ['POST'] });
      expect(wrong.headers.allow).toBe('POST');
      expect(contractError(await app.inject({ method: 'DELETE', url: '/v1/instruments' }), 405).allowed).toEqual(['GET']);
    });

    it('gives a browser a surface\'s page for an address nothing serves, outside /v1 only', async () => {
      const paged = buildServer({
        corpus, surfaces: [async (_app, context) => context.pageNotFound((request, reply) => reply.code(404).type('text/html').send(`<p>no page ${request.url}</p>`))],
      });
      try {
        const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
        const page = await paged.inject({ url: '/nothing-here', headers: browser });
        expect([page.statusCode, page.headers['content-type'], page.body]).toEqual([404, 'text/html', '<p>no page /nothing-here</p>']);
        // The API, and programs that do not ask for HTML, keep the error object.
        contractError(await paged.inject({ url: '/v1/nothing', headers: browser }), 404);
        contractError(await paged.inject({ url: '/nothing-here' }), 404);
        contractError(await paged.inject({ method: 'POST', url: '/nothing-here', headers: browser, payload: {} }), 404);
      } finally {
        await paged.close();
      }
    });

    it('answers an internal error with 500 and no details', async () => {
      const res = await app.inject({ url: '/test-only/boom' });
      const err = contractError(res, 500);
      expect(err.path).toBe('(server)');
      expect(res.body).not.toContain('secret');
      expect(err.message).toContain(String(res.headers['x-request-id']));
    });
  });

  describe('configuration', () => {
    it('loads the policies from a folder', async () => {
      const fromFolder = buildServer({ policies: fixtures });
      try {
        expect((await fromFolder.inject({ url: '/healthz' })).json().policy_version).toBe(corpus.version);
      } finally {
        await fromFolder.close();
      }
    });

    it('refuses to build on a bad policy folder or a bad server-wide what-if', () => {
      expect(() => buildServer({ policies: path.join(fixtures, 'nope') })).toThrow(ContractError);
      expect(() => buildServer({ corpus, assumeInForce: ['no-such-law'] })).toThrow(ContractError);
      try {
        buildServer({ corpus, assumeNotInForce: ['no-such-law'] });
      } catch (e) {
        expect((e as ContractError).error).toMatchObject({ path: 'assume-not-in-force', given: 'no-such-law' });
      }
    });
  });
});

describe('HTTP API over a real socket', () => {
  it('listens, answers and closes', async () => {
    const app = buildServer({ policies: fixtures });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect((await health.json()).status).toBe('ok');
      const res = await fetch(`${base}/v1/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(facility()) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await res.json()).outcome).toBe('prohibited');
      const bad = await fetch(`${base}/v1/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.path).toBe('(body)');
    } finally {
      await app.close();
    }
    expect(app.server.listening).toBe(false);
  });

  it('startServer listens and closes on SIGTERM, removing its signal handlers', async () => {
    const before = process.listenerCount('SIGTERM');
    const beforeInt = process.listenerCount('SIGINT');
    // Its own data folder: the default ./data belongs to whoever runs `npm start` in this checkout.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-start-'));
    const saved = process.env.TRUSTRULES_DATA_DIR;
    process.env.TRUSTRULES_DATA_DIR = dataDir;
    let app: FastifyInstance;
    try {
      app = await startServer({ policies: fixtures, port: 0, host: '127.0.0.1', logger: false });
    } finally {
      if (saved === undefined) delete process.env.TRUSTRULES_DATA_DIR;
      else process.env.TRUSTRULES_DATA_DIR = saved;
    }
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    const { port } = app.server.address() as AddressInfo;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise<void>((resolve) => app.server.listening ? app.server.once('close', () => resolve()) : resolve());
    for (let i = 0; i < 50 && process.listenerCount('SIGTERM') !== before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(process.listenerCount('SIGINT')).toBe(beforeInt);
  });
});

describe('HTTP API on the real corpus', () => {
  let corpus: Corpus;
  let engine: Engine;
  let app: FastifyInstance;
  const montgomery = {
    date: '2020-01-01', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'executive' }, request: 'grant_facility_access', basis: 'ice_detainer',
    matter: 'civil_immigration',
  };

  beforeAll(async () => {
    corpus = load(realPolicies);
    engine = new Engine(corpus);
    app = buildServer({ corpus });
    await app.ready();
  });
  afterAll(() => app?.close());

  it('keeps Montgomery EO 135-19 facility access prohibited with an ICE detainer, as the engine decides', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/decide', payload: montgomery });
    expect(res.statusCode).toBe(200);
    const d = decisionSchema.parse(res.json());
    expect(d.outcome).toBe('prohibited');
    expect(d.governing.map((g) => `${g.instrument}#${g.provision}`)).toContain('montgomery-eo-135-19#no-facility-access');
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(decide(engine, montgomery))));
    const batch = await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: [montgomery, { ...montgomery, basis: 'judicial_warrant' }] });
    expect(batch.json()[0]).toEqual(res.json());
    expect(batch.json()[1]).toEqual(JSON.parse(JSON.stringify(decide(engine, { ...montgomery, basis: 'judicial_warrant' }))));
  });

  it('words decisions in the language of ?lang= or Accept-Language, leaving the typed fields alone', async () => {
    const es = JSON.parse(JSON.stringify(decide(engine, montgomery, 'es')));
    const byQuery = await app.inject({ method: 'POST', url: '/v1/decide?lang=es', payload: montgomery });
    expect(byQuery.json()).toEqual(es);
    const byHeader = await app.inject({ method: 'POST', url: '/v1/decide', payload: montgomery, headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.8' } });
    expect(byHeader.json()).toEqual(es);
    const batch = await app.inject({ method: 'POST', url: '/v1/decide/batch?lang=es', payload: [montgomery] });
    expect(batch.json()).toEqual([es]);
    const en = (await app.inject({ method: 'POST', url: '/v1/decide', payload: montgomery })).json() as { considered: { reason: unknown; why: string }[] };
    expect(es.considered.map((c: { reason: unknown }) => c.reason)).toEqual(en.considered.map((c) => c.reason));
    const bad = await app.inject({ method: 'POST', url: '/v1/decide?lang=fr', payload: montgomery });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { path: 'lang', given: 'fr', allowed: ['en', 'es'] } });
  });

  it('lists every county-level jurisdiction and every instrument in the documented shapes', async () => {
    const jurisdictions = ((await app.inject({ url: '/v1/jurisdictions' })).json() as unknown[]).map((j) => jurisdictionSchema.parse(j));
    const ids = jurisdictions.map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining(['us', 'us/md', 'us/md/montgomery-county', 'us/md/baltimore-city', 'us/md/montgomery-county/takoma-park']));
    expect(jurisdictions.filter((j) => j.parent === 'us/md' && j.kind === 'county').length + jurisdictions.filter((j) => j.id === 'us/md/baltimore-city').length).toBeGreaterThanOrEqual(24);
    const instruments = ((await app.inject({ url: '/v1/instruments' })).json() as unknown[]).map((i) => instrumentSchema.parse(i));
    expect(instruments.length).toBe(corpus.instruments.size);
    expect(instruments.map((i) => i.id)).toContain('montgomery-eo-135-19');
    const mont = (await app.inject({ url: '/v1/instruments?jurisdiction=us/md/montgomery-county' })).json() as { jurisdiction: string }[];
    expect(mont.length).toBeGreaterThan(0);
    expect(new Set(mont.map((i) => i.jurisdiction))).toEqual(new Set(['us/md/montgomery-county']));
  });

  it('decides every real request type for a Montgomery police officer in the documented shape', async () => {
    const requests = engine.vocabulary.requestIds.map((request) => ({ ...montgomery, actor: { ...montgomery.actor, agency: 'police' }, request, basis: 'unknown' }));
    const res = await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: requests });
    expect(res.statusCode).toBe(200);
    for (const d of res.json() as unknown[]) decisionSchema.parse(d);
  });
});
