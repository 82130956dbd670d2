// The analysis endpoints, on the fixture corpus: same rows as the library, contract errors for bad parameters.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fixtureCorpus } from '../analysis/fixtures/corpus.js';
import { EnginePool } from '../app/pool.js';
import { analysisRoutes } from './analysisRoutes.js';
import {
  checkResponseSchema, coverageResponseSchema, diffResponseSchema, tableResponseSchema, timelineResponseSchema,
} from './analysisSchemas.js';

const corpus = fixtureCorpus(true);

async function app() {
  const a = Fastify();
  await a.register(analysisRoutes, { corpus, enginePool: new EnginePool(corpus) });
  return a;
}

describe('/v1/analysis', () => {
  it('answers in the documented shapes (strict response schemas), coverage under the request\'s what-if', async () => {
    const a = await app();
    const get = async (url: string) => JSON.parse((await a.inject({ url })).body);
    tableResponseSchema.parse(await get('/v1/analysis/table?jurisdiction=us/md/alpha-county&at=2018-01-10'));
    diffResponseSchema.parse(await get('/v1/analysis/diff?a=us/md/alpha-county&b=us/md/gamma-county&at=2020-07-01'));
    diffResponseSchema.parse(await get('/v1/analysis/diff?a=us/md/alpha-county&at=2018-01-10&assume_in_force=state-bill&lang=es'));
    diffResponseSchema.parse(await get('/v1/analysis/gaps?jurisdiction=us/md/gamma-county&against=delta-model&at=2021-01-01'));
    timelineResponseSchema.parse(await get('/v1/analysis/timeline?jurisdiction=us/md/alpha-county'));
    checkResponseSchema.parse(await get('/v1/analysis/check'));
    const law = coverageResponseSchema.parse(await get('/v1/analysis/coverage?at=2018-01-10&jurisdiction=us/md/alpha-county&request=detain_past_release'.replace('&request=detain_past_release', '')));
    const whatIf = coverageResponseSchema.parse(await get('/v1/analysis/coverage?at=2018-01-10&jurisdiction=us/md/alpha-county&assume_not_in_force=alpha-order'));
    const outcomesOf = (r: typeof law) => r.space.find((x) => x.request === 'detain_past_release')!.outcomes;
    expect(outcomesOf(law)).toContain('prohibited');
    expect(outcomesOf(whatIf)).not.toEqual(outcomesOf(law));
    const unknown = await a.inject({ url: '/v1/analysis/coverage?jurisdiction=Alpha%20County' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.parse(unknown.body).error).toMatchObject({ path: 'jurisdiction', did_you_mean: ['us/md/alpha-county'] });
  });

  it('streams a table as JSON, CSV and Markdown', async () => {
    const a = await app();
    const json = await a.inject({ url: '/v1/analysis/table?jurisdiction=us/md/alpha-county&at=2018-01-10&agency=corrections&request=detain_past_release' });
    expect(json.statusCode).toBe(200);
    const body = JSON.parse(json.body);
    expect(body.rows).toHaveLength(54);
    expect(body.rows[0]).toMatchObject({ outcome: 'prohibited', governing: ['alpha-order#no-holds'], any: ['serious_offense'] });
    const csv = await a.inject({ url: '/v1/analysis/table?jurisdiction=us/md&all_descendants=true&at=2018-01-10&format=csv&request=notify_release' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toMatch(/^jurisdiction,agency,request,date,/);
    const md = await a.inject({ url: '/v1/analysis/table?jurisdiction=us/md/alpha-county&at=2018-01-10&format=md&agency=police' });
    expect(md.body).toContain('| request | facts | outcome | governing |');
  });

  it('diffs, finds gaps, and gives a timeline and check findings', async () => {
    const a = await app();
    const diff = JSON.parse((await a.inject({ url: '/v1/analysis/diff?a=us/md/alpha-county&b=us/md/gamma-county&at=2020-07-01&request=inquire_status' })).body);
    expect(diff.differences.length).toBeGreaterThan(0);
    expect(diff.differences.every((d: { a: string; b: string }) => d.a !== d.b)).toBe(true);
    expect(diff.summary[0]).toMatchObject({ when: { subject: ['victim', 'witness'] }, a: 'no_rule', b: 'prohibited' });
    expect(diff.summary[0].text).toBe('For police and sheriff, when the person is a victim or a witness: Alpha County has no rule on it (discretion applies); Gamma County prohibits it.');
    expect(diff.a.label).toBe('Alpha County');
    // The words follow ?lang=, else Accept-Language; the typed fields never change.
    for (const [url, headers] of [['&lang=es', {}], ['', { 'accept-language': 'fr-CA, es;q=0.8, en;q=0.5' }]] as const) {
      const es = JSON.parse((await a.inject({ url: `/v1/analysis/diff?a=us/md/alpha-county&b=us/md/gamma-county&at=2020-07-01&request=inquire_status${url}`, headers })).body);
      expect(es.summary[0].text).toMatch(/^Para .*: Alpha County no tiene ninguna norma al respecto \(decide la discreción\); Gamma County lo prohíbe\.$/);
      expect(es.summary[0].when).toEqual(diff.summary[0].when);
    }
    const self = JSON.parse((await a.inject({ url: '/v1/analysis/diff?a=us/md/alpha-county&b=us/md/alpha-county&at=2020-07-01' })).body);
    expect(self.differences).toEqual([]);
    const whatIf = JSON.parse((await a.inject({ url: '/v1/analysis/diff?a=us/md/alpha-county&at=2018-01-10&assume_in_force=state-bill' })).body);
    expect(whatIf.b.assumptions).toEqual({ in_force: ['state-bill'], not_in_force: [] });
    const gaps = JSON.parse((await a.inject({ url: '/v1/analysis/gaps?jurisdiction=us/md/gamma-county&against=delta-model&at=2021-01-01' })).body);
    expect(gaps.differences.length).toBeGreaterThan(0);
    const tl = JSON.parse((await a.inject({ url: '/v1/analysis/timeline?jurisdiction=us/md/alpha-county&from=2018-01-01' })).body);
    expect(tl.changes.map((c: { date: string }) => c.date)).toEqual(['2019-01-01', '2020-06-01', '2022-10-01', '2025-01-01']);
    expect(tl.changes[0].summary[0].text).toMatch(/, when .*: no rule before, prohibited from then on$/);
    const check = JSON.parse((await a.inject({ url: '/v1/analysis/check' })).body);
    expect(check.conflicts[0].provisions).toEqual(['alpha-order#no-notice', 'alpha-order-2#must-notify-gangs']);
    const cov = JSON.parse((await a.inject({ url: '/v1/analysis/coverage?at=2018-06-01' })).body);
    expect(cov.provisions.exercised).toBe(2);
  });

  it('answers bad parameters with 400 and the contract error object', async () => {
    const a = await app();
    const cases: [string, string][] = [
      ['/v1/analysis/table?jurisdiction=us/md/nowhere&at=2018-01-10', 'jurisdiction'],
      ['/v1/analysis/table?jurisdiction=us/md&at=2018-13-01', 'at'],
      ['/v1/analysis/table?jurisdiction=us/md&at=2018-01-01&agency=army', 'agency'],
      ['/v1/analysis/table?jurisdiction=us/md&at=2018-01-01&colour=red', 'colour'],
      ['/v1/analysis/diff?a=us/md&at=2018-01-01', 'b'],
      ['/v1/analysis/diff?a=us/md&at=2018-01-01&assume_in_force=nope', 'assume_in_force'],
      ['/v1/analysis/gaps?jurisdiction=us/md&at=2018-01-01&against=nope', 'against'],
      ['/v1/analysis/diff?a=us/md&b=us&at=2018-01-01&lang=fr', 'lang'],
    ];
    for (const [url, path] of cases) {
      const r = await a.inject({ url });
      expect(r.statusCode, url).toBe(400);
      expect(JSON.parse(r.body).error.path, url).toBe(path);
    }
  });
});
