// The /practice page through the real server builder and the bundled corpus: both languages, a chart and a table
// for every facility, rule changes marked, no script needed, and the accessibility basics checked in the markup.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = buildServer();
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const ids = (html: string, re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!);

describe('GET /practice', () => {
  it('renders in English with a chart and a table per facility, and marks Prince George\'s 2014 change', async () => {
    const r = await app.inject({ url: '/practice' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    const html = r.body;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<h1>Policy against practice: ICE detainers in Maryland</h1>');
    const svgs = ids(html, /<svg id="([^"]+)"/g);
    // Every placed Maryland facility of NPR's facility-year rows has a yearly chart: 22 Maryland names, less the
    // U.S. Marshals (federal).
    expect(svgs.filter((s) => s.startsWith('y-')).length).toBe(21);
    expect(svgs).toContain('y-prince-georges-county-detention-center');
    expect(svgs).toContain('m-montgomery-county-detention-center');
    // Each chart is an image with a title and description it points to, and has a table of the same data.
    for (const id of svgs) {
      expect(html).toContain(`<svg id="${id}" viewBox="0 0 640 220" width="100%" role="img" aria-labelledby="${id}-t ${id}-d"`);
      expect(html).toContain(`<title id="${id}-t">`);
      expect(html).toContain(`<desc id="${id}-d">`);
    }
    expect((html.match(/<table>/g) ?? []).length).toBe(svgs.length);
    expect((html.match(/<caption>/g) ?? []).length).toBe(svgs.length);
    const pg = html.slice(html.indexOf('<svg id="y-prince-georges-county-detention-center"'));
    expect(pg.slice(0, pg.indexOf('</svg>'))).toContain('class="marker"');
    expect(pg).toContain('2014-10-01: a hold goes from “permitted” to “prohibited”');
    expect(html).toContain('“ANNE ARUNDEL COUNTY PD, SD”, EDGEWATER: names two agencies');
    expect(html).toContain('<a href="/practice?lang=es" hreflang="es" lang="es">En español</a>');
  });

  it('renders in Spanish from ?lang=es and from Accept-Language', async () => {
    for (const r of [await app.inject({ url: '/practice?lang=es' }), await app.inject({ url: '/practice', headers: { 'accept-language': 'es-MX,es;q=0.9' } })]) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-language']).toBe('es');
      expect(r.body).toMatch(/<html lang="es">/);
      expect(r.body).toContain('La norma frente a la práctica');
      expect(r.body).toContain('2014-10-01: retener pasa de «permitido» a «prohibido»');
      expect(r.body).toContain('«BAL D D &amp; P», BALTIMORE: abreviatura no identificada');
      expect(r.body).not.toContain('Declines against the rules');
    }
  });

  it('refuses a language it has no catalog for with the contract error', async () => {
    const r = await app.inject({ url: '/practice?lang=fr' });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: expect.objectContaining({ path: 'lang', given: 'fr', allowed: ['en', 'es'] }) });
  });
});
