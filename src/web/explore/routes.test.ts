// The Explorer's, Map's and Compare's routes in process (Fastify inject): pages in both languages, 400 pages naming
// a bad field, the map's data for the slider, and no inline script or style anywhere.
import { spawnSync } from 'node:child_process';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnginePool } from '../../app/pool.js';
import { defaultPoliciesRoot, loadCorpus } from '../../policy/load.js';
import { repoRoot } from '../../store/testServers.js';
import { webApp } from '../app.js';
import { inlineCode } from '../testing/markup.js';
import { explorePages } from './pages.js';

describe('explore, map and compare routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/build-web.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
    expect(built.status).toBe(0);
    const { corpus } = loadCorpus(defaultPoliciesRoot, { tests: true });
    app = Fastify();
    await app.register(webApp, { corpus: corpus!, engines: new EnginePool(corpus!) });
    await app.ready();
  }, 120_000);
  afterAll(async () => app?.close());

  it.each(['en', 'es'])('serves every page in %s, with no inline script or style', async (lang) => {
    for (const url of explorePages) {
      const r = await app.inject(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
      expect({ url, status: r.statusCode }).toEqual({ url, status: 200 });
      expect(r.body).toContain(`<html lang="${lang}">`);
      expect({ url, inline: inlineCode(r.body) }).toEqual({ url, inline: [] });
    }
  }, 120_000);

  it.each([
    ['/explore/us/md/howard-county?date=2019-02-30', 'date'],
    ['/explore?date=yesterday', 'date'],
    ['/map?question=nope', 'question'],
    ['/map?m=-3', 'm'],
    ['/map?m=99999', 'm'],
    ['/map?date=2019-13-01', 'date'],
    ['/compare?j=us/md/howard-county&j=us/md/nowhere', 'j'],
    ['/compare?j=us/md/howard-county&date=2019-01-01&draft=no-such-bill', 'draft'],
    ['/compare?j=us/md/howard-county&j=us/md/kent-county&vs=2019-01-01', 'j'],
  ])('answers %s with a 400 page naming %s', async (url, field) => {
    const r = await app.inject(url);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain(`${field} was`);
  });

  it('gives the slider every place\'s answers over time, in the page\'s language', async () => {
    const r = await app.inject('/map/answers.json?question=agreement&lang=es');
    expect(r.statusCode).toBe(200);
    const data = JSON.parse(r.body) as { answers: Record<string, { from: string; outcome: string }[]>; names: Record<string, string>; label: string; provisions: Record<string, string> };
    expect(Object.keys(data.answers)).toContain('us/md/frederick-county');
    expect(data.answers['us/md/frederick-county']!.at(-1)!.outcome).toBe('prohibited');
    expect(data.label).toBe('{name}: {answer}');
    for (const spans of Object.values(data.answers)) for (const s of spans) expect(s.from >= '2008-01-01').toBe(true);
  });

  it('shows Compare\'s forms alone for one place, and keeps the place chosen', async () => {
    const r = await app.inject('/compare?j=us/md/howard-county&date=2017-06-01');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<option value="us/md/howard-county" selected>');
    expect(r.body).not.toContain('class="usa-table usa-table--borderless compare-table"');
  });
});
