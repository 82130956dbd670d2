// The web app in process (Fastify inject, no browser): languages, the HTML error page (4xx for a request a plugin
// refuses, 415 for a body in a Content-Encoding), asset caching and compression, and the CSP rule that no page
// carries an inline script or style.
import { spawnSync } from 'node:child_process';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnginePool } from '../app/pool.js';
import { defaultPoliciesRoot, loadCorpus } from '../policy/load.js';
import { repoRoot } from '../store/testServers.js';
import { webApp, type WebContext } from './app.js';
import { refusedIn, type PageContext } from './page.js';
import { inlineCode, pagesToCheck } from './testing/markup.js';

describe('web app', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/build-web.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
    expect(built.status).toBe(0);
    const { corpus } = loadCorpus(defaultPoliciesRoot);
    app = Fastify();
    // As the server mounts it: the web app gives the page for addresses nothing serves, the server's 404 calls it.
    let notFound: Parameters<NonNullable<WebContext['pageNotFound']>>[0] | undefined;
    await app.register(webApp, { corpus: corpus!, engines: new EnginePool(corpus!), pageNotFound: (answer) => { notFound = answer; } });
    app.setNotFoundHandler((request, reply) => notFound!(request, reply));
    await app.ready();
  });
  afterAll(async () => app?.close());

  it('serves the home page in the language of ?lang=, else Accept-Language, else English', async () => {
    const en = await app.inject('/');
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toContain('<html lang="en">');
    const es = await app.inject({ url: '/', headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
    expect(es.body).toContain('<html lang="es">');
    expect(es.headers['vary']).toMatch(/Accept-Language/);
    const forced = await app.inject({ url: '/?lang=en', headers: { 'accept-language': 'es' } });
    expect(forced.body).toContain('<html lang="en">');
  });

  it('answers an address nothing serves with a 404 page in the reader\'s language', async () => {
    const en = await app.inject('/nothing-here');
    expect([en.statusCode, en.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    expect(en.body).toContain('There is no page at this address');
    expect(en.body).toContain('/nothing-here');
    const es = await app.inject({ url: '/nothing-here', headers: { 'accept-language': 'es' } });
    expect(es.body).toContain('No hay ninguna página en esta dirección');
    expect(es.body).toContain('href="/guide"');
    const bad = await app.inject('/nothing-here?lang=fr');
    expect([bad.statusCode, bad.body.includes('<html lang="en">')]).toEqual([404, true]);
    // A place the corpus does not have is no page either.
    const place = await app.inject('/explore/us/md/nope?lang=es');
    expect(place.statusCode).toBe(404);
    expect(place.body).toContain('jurisdiction era «us/md/nope»');
  });

  it('links the other language on the same page and query', async () => {
    const page = (await app.inject('/?x=1&lang=es')).body;
    expect(page).toContain('href="/?x=1&amp;lang=en"');
  });

  it('answers a bad language with a 400 page naming the field and what is allowed', async () => {
    const r = await app.inject('/?lang=fr');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('The address has a value that is not allowed: lang was “fr”.');
    expect(r.body).toContain('Allowed: en, es.');
  });

  it('names where a refused value was sent: the request itself, the address, or the form', () => {
    const at = (url: string) => ({ query: new URL(url, 'http://x').searchParams }) as PageContext;
    expect(refusedIn(at('/record?date=2019-02-30'), '(content-encoding)', true)).toBe('request');
    expect(refusedIn(at('/record?date=2019-02-30'), 'date', true)).toBe('address');
    expect(refusedIn(at('/record'), 'date', true)).toBe('form');
    expect(refusedIn(at('/guide'), 'date', false)).toBe('address');
  });

  it('answers a request a plugin refuses (a body that does not parse) with its 4xx page, not 500', async () => {
    const unclosed = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json' }, payload: '[[[[[[' });
    expect(unclosed.statusCode).toBeGreaterThanOrEqual(400);
    expect(unclosed.statusCode).toBeLessThan(500);
  });

  it('refuses a gzip-encoded or garbage-encoded form body with a 415 page naming Content-Encoding, and never decodes it', async () => {
    const form = 'email=a%40example.org&password=x&_csrf=nope';
    const garbage = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 256));
    const sent: readonly (readonly [string, Buffer])[] = [['gzip', gzipSync(form)], ['gzip', garbage], ['x-garbage', garbage], ['br', brotliCompressSync(form)]];
    for (const [coding, payload] of sent) {
      for (const [url, lang] of [['/sign-in', 'en'], ['/record?lang=es', 'es']] as const) {
        const r = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': coding }, payload });
        const where = `${url} ${coding} (${payload.length} bytes)`;
        expect([r.statusCode, r.headers['content-type']], where).toEqual([415, 'text/html; charset=utf-8']);
        // The header is part of the request, not of the address or the form: the words say so.
        expect(r.body, where).toContain(lang === 'en'
          ? `The request has a value that is not allowed: (content-encoding) was “${coding}”.`
          : `La solicitud tiene un valor que no se admite: (content-encoding) era «${coding}».`);
        expect(r.body, where).toContain(lang === 'en' ? 'Allowed: identity.' : 'Se admite: identity.');
      }
    }
    // A Content-Encoding with no body has nothing to refuse; an `identity` body is read as sent (here: no CSRF token).
    expect((await app.inject({ url: '/', headers: { 'content-encoding': 'x-unknown' } })).statusCode).toBe(200);
    const identity = await app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'identity' }, payload: form });
    expect(identity.statusCode).toBe(403);
  });

  it('serves assets pre-compressed with a year of caching, and hides the manifest', async () => {
    const page = (await app.inject('/')).body;
    const css = /href="(\/assets\/site\.css\?v=[0-9a-f]+)"/.exec(page)![1]!;
    const r = await app.inject({ url: css, headers: { 'accept-encoding': 'br' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/assets/manifest.json')).statusCode).toBe(404);
  });

  it('compresses pages', async () => {
    const r = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(r.headers['content-encoding']).toBe('gzip');
  });

  it('refuses a bad answer in the guide with a page naming the question and what is allowed', async () => {
    const r = await app.inject('/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=police&request=arrest_civil&basis=warrant');
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('basis was “warrant”');
    expect(r.body).toContain('judicial_warrant');
    expect((await app.inject('/guide?actor.jurisdiction=us/md/atlantis')).statusCode).toBe(400);
    expect((await app.inject('/guide?colour=blue')).body).toContain('colour was “blue”');
  });

  it('remembers the place on the device and preselects it next time', async () => {
    const first = await app.inject('/guide?actor.jurisdiction=us/md/montgomery-county/takoma-park');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^trustrules_place=us\/md\/montgomery-county\/takoma-park;.*HttpOnly/);
    const again = await app.inject({ url: '/guide', headers: { cookie: cookie.split(';')[0]! } });
    expect(again.body).toMatch(/value="us\/md\/montgomery-county\/takoma-park" checked/);
    expect(again.body).toContain('Last time on this device you chose Takoma Park (Montgomery County).');
  });

  it('names places in Spanish on Spanish pages, and finds them by their Spanish names', async () => {
    const cookie = 'trustrules_place=us/md/montgomery-county/takoma-park';
    const again = (await app.inject({ url: '/guide?lang=es', headers: { cookie } })).body;
    expect(again).toContain('La última vez, en este dispositivo, eligió Takoma Park (Condado de Montgomery).');
    expect(again).not.toContain('(Montgomery County)');
    const found = (await app.inject('/guide?lang=es&q=condado+de+prince+george')).body;
    expect(found).toMatch(/value="us\/md\/prince-georges-county" checked/);
    expect(found).toContain('1 lugar coincide con «condado de prince george».');
    expect(found).toMatch(/Condado de Prince George(&#39;|&#x27;|')s<\/label>/);
    const office = (await app.inject('/guide?lang=es&actor.jurisdiction=us/md/montgomery-county')).body;
    expect(office).toContain('Solo aparecen las oficinas que tiene este gobierno: Condado de Montgomery.');
  });

  it('answers with decide\'s outcome and serves the offline copy of the same corpus', async () => {
    const r = await app.inject('/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer');
    expect(r.body).toContain('data-outcome="prohibited"');
    expect(r.body).toContain('id="record-contact"');
    const data = JSON.parse((await app.inject('/guide/offline.json')).body) as { policyVersion: string; corpus: { instruments: unknown[] } };
    expect(r.headers['x-policy-version']).toBe(data.policyVersion);
    expect(data.corpus.instruments.length).toBeGreaterThan(50);
    const sw = await app.inject('/sw.js');
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.body).toContain("importScripts('/assets/guide-offline.js')");
  });

  it('names the lawyers to call by the government, without repeating "City" (Baltimore City) or mixing languages', async () => {
    const q = 'date=2019-03-01&actor.agency=police&request=inquire_status&purpose=other';
    const city = await app.inject(`/guide?${q}&actor.jurisdiction=us/md/baltimore-city`);
    expect(city.body).toContain('The Baltimore City Attorney or town counsel');
    expect(city.body).not.toContain('City City');
    const cityEs = await app.inject(`/guide?${q}&actor.jurisdiction=us/md/baltimore-city&lang=es`);
    expect(cityEs.body).toContain('Al abogado de la ciudad de Baltimore');
    const county = await app.inject('/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer&lang=es');
    expect(county.body).toContain('Oficina del Abogado del Condado de Baltimore');
  });

  it('puts no inline script or style on any page (the CSP allows files only)', async () => {
    expect(inlineCode('<p style="x"><script>1</script>')).toHaveLength(2);
    for (const url of pagesToCheck) expect({ url, inline: inlineCode((await app.inject(url)).body) }).toEqual({ url, inline: [] });
  });
});
