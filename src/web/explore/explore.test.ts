// The Explorer's models and pages on the real corpus: the tree holds every jurisdiction once; a jurisdiction's page
// lists exactly the provisions the engine binds for its agencies on the date, inherited ones included, with quotes.
import { describe, expect, it } from 'vitest';
import { EnginePool } from '../../app/pool.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from '../../policy/load.js';
import { jurisdictionTree, jurisdictionView, searchJurisdictions, type InstrumentView, type TreeNode } from './model.js';
import { historySvg, jurisdictionMain, treeMain } from './render.js';
import { provisionAnchor } from './parts.js';
import { testWords } from './testWords.js';

const corpus = loadCorpusOrThrow(process.env.TRUSTRULES_POLICIES ?? defaultPoliciesRoot, { tests: true });
const engines = new EnginePool(corpus);
const engine = engines.base;

describe('the jurisdiction tree', () => {
  it('holds every jurisdiction exactly once, each under its parent', () => {
    const seen: string[] = [];
    const walk = (nodes: readonly TreeNode[], parent: string | null) => {
      for (const n of nodes) {
        expect(n.jurisdiction.parent).toBe(parent);
        seen.push(n.jurisdiction.id);
        walk(n.children, n.jurisdiction.id);
      }
    };
    walk(jurisdictionTree(corpus), null);
    expect(seen.sort()).toEqual([...corpus.jurisdictions.keys()].sort());
  });

  it('is searched by name, accents and case aside', () => {
    expect(searchJurisdictions(corpus, 'takoma').map((j) => j.id)).toEqual(['us/md/montgomery-county/takoma-park']);
    expect(searchJurisdictions(corpus, 'PRINCE GEORGE').map((j) => j.id)).toContain('us/md/prince-georges-county');
    expect(searchJurisdictions(corpus, '   ')).toEqual([]);
  });

  it('renders as nested lists with links, and a search form that works without script', () => {
    const w = testWords(corpus, 'es', true);
    const page = treeMain(w, jurisdictionTree(corpus), 'hyatts', searchJurisdictions(corpus, 'hyatts'), undefined).text;
    expect(page).toContain('<form class="usa-form explore-search" method="get" action="/explore" role="search"><input type="hidden" name="lang" value="es">');
    expect(page).toContain('href="/explore/us/md/prince-georges-county/hyattsville?lang=es"');
    expect(page).toContain('1 jurisdicción coincide con «hyatts»');
    expect(page.match(/<li data-name=/g)!.length).toBe(corpus.jurisdictions.size);
  });
});

describe('a jurisdiction on a date', () => {
  const cases: [string, string][] = [
    ['us/md/montgomery-county/takoma-park', '2020-06-01'],
    ['us/md/frederick-county', '2019-06-01'],
    ['us/md/baltimore-city', '2026-11-15'],
  ];
  it.each(cases)('%s on %s lists exactly the provisions the engine binds, own and inherited', (id, date) => {
    const v = jurisdictionView(engines, id, date);
    const shown = new Set(v.groups.flatMap((g) => g.binding.flatMap((i) => i.binding.map((b) => b.provision.ref))));
    const expected = new Set<string>();
    for (const agency of v.agencies) for (const request of engine.vocabulary.requestIds) for (const p of engine.bindingProvisions(id, agency, request, date)) expected.add(p.ref);
    expect([...shown].sort()).toEqual([...expected].sort());
    // Each provision's agencies are those the engine binds it for.
    for (const g of v.groups) for (const i of g.binding) for (const b of i.binding) {
      for (const agency of b.agencies) expect(engine.vocabulary.requestIds.some((r) => engine.bindingProvisions(id, agency, r, date).some((p) => p.ref === b.provision.ref))).toBe(true);
    }
    const page = jurisdictionMain(testWords(corpus, 'en'), corpus, v, '2026-12-01').text;
    for (const ref of shown) {
      expect(page).toContain(`id="${provisionAnchor(ref)}"`);
      const quote = corpus.provisions.get(ref)!.quote;
      expect(page).toContain(quote.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    }
  });

  it('a city inherits its county\'s laws but not its county\'s executive orders', () => {
    const v = jurisdictionView(engines, 'us/md/montgomery-county/takoma-park', '2020-06-01');
    const county = v.groups.find((g) => g.issuer.id === 'us/md/montgomery-county')!;
    const bound = county.binding.map((i) => i.instrument.kind);
    expect(bound).not.toContain('executive_order');
    expect(county.other.map((i) => i.instrument.id)).toContain('montgomery-eo-135-19');
    expect(v.groups.map((g) => g.relation)).toEqual(['own', 'inherited', 'inherited', 'inherited']);
  });

  it('shows each provision\'s policy tests with their results, in Spanish too', () => {
    const v = jurisdictionView(engines, 'us/md/montgomery-county', '2020-06-01');
    const eo = v.groups[0]!.binding.find((i) => i.instrument.id === 'montgomery-eo-135-19')!;
    expect(eo.tests.length).toBeGreaterThan(0);
    expect(eo.tests.every((t) => t.passed)).toBe(true);
    const page = jurisdictionMain(testWords(corpus, 'es'), corpus, v, '2026-12-01').text;
    expect(page).toContain('Sus propios instrumentos');
    expect(page).toContain('Heredados de Maryland (Estado)');
    expect(page).toMatch(/Sus pruebas de normas \(\d+ casos, \d+ pasan\)/);
    expect(page).toContain('<blockquote class="provision__quote" lang="en">');
    expect(page).not.toMatch(/\sstyle\s*=|<script|<style[\s>]/);
  });

  it('shows a town\'s note in Spanish on its Spanish page, and no English note', () => {
    const id = 'us/md/montgomery-county/poolesville';
    const j = corpus.jurisdictions.get(id)!;
    const v = jurisdictionView(engines, id, '2026-12-01');
    const es = jurisdictionMain(testWords(corpus, 'es'), corpus, v, '2026-12-01').text;
    const en = jurisdictionMain(testWords(corpus, 'en'), corpus, v, '2026-12-01').text;
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(es).toContain(`<p class="jurisdiction__note">${escape(j.translations!.es!.note!)}</p>`);
    expect(es).toContain('Pueblo de Poolesville (GEOID del Censo 2462850). No se conoce ningún instrumento propio');
    expect(es).not.toContain(escape(j.note!));
    expect(es).not.toContain('No instrument of its own is known');
    expect(en).toContain(`<p class="jurisdiction__note">${escape(j.note!)}</p>`);
    expect(en).not.toContain('No se conoce');
  });

  it('marks English data on a Spanish page as English: a note with no translation, history notes, summaries', () => {
    const id = 'us/md/montgomery-county';
    const j = corpus.jurisdictions.get(id)!;
    const v = jurisdictionView(engines, id, '2020-06-01');
    // The same page were the files without their Spanish: the jurisdiction's note, summaries and event notes.
    const untranslated = (iv: InstrumentView): InstrumentView => {
      const { translations: _, ...instrument } = iv.instrument;
      return { ...iv, instrument, events: iv.events.map(({ translations: __, ...ev }) => ev) };
    };
    const groups = v.groups.map((g) => ({ ...g, binding: g.binding.map(untranslated), other: g.other.map(untranslated) }));
    const bare = { ...v, groups, jurisdiction: { ...j, translations: { es: { name: j.translations!.es!.name! } } } };
    const es = jurisdictionMain(testWords(corpus, 'es'), corpus, bare, '2026-12-01').text;
    expect(es).toContain(`<p class="jurisdiction__note" lang="en">${j.note}</p>`);
    const eo = corpus.instruments.get('montgomery-eo-135-19')!;
    expect(es).toContain(`<h4 id="h-montgomery-eo-135-19" lang="en">${eo.title}</h4>`);
    expect(es).toContain('<p class="instrument__summary" lang="en">');
    expect(es).toMatch(/<span class="history-list__note" lang="en">/);
    // A paraphrase's label is the page's words; only the English text it introduces is marked. Any instrument with a
    // paraphrase (no verbatim text found) will do, shown on its jurisdiction's page on a day it is in force.
    const ins = [...corpus.instruments.values()].find((i) => i.inForce.length && i.provisions.some((p) => p.paraphrase))!;
    expect(ins, 'an instrument in force at some time with a paraphrase').toBeDefined();
    const paraphrase = ins.provisions.find((p) => p.paraphrase)!;
    const paraphrased = jurisdictionMain(testWords(corpus, 'es'), corpus, jurisdictionView(engines, ins.jurisdiction, ins.inForce[0]!.from), '2026-12-01').text;
    expect(paraphrased).toContain(`<p class="provision__quote provision__quote--paraphrase">En esencia`);
    expect(paraphrased).toContain(`<span lang="en">${paraphrase.quote.slice(0, 30)}`);
    // On the English page nothing is marked: the page's own language.
    const en = jurisdictionMain(testWords(corpus, 'en'), corpus, v, '2026-12-01').text;
    expect(en).not.toMatch(/lang="en"/);
    expect(en).toContain('<p class="instrument__summary">');
  });

  it('shows an instrument\'s summary and its history notes in Spanish on a Spanish page, its title in English', () => {
    const id = 'us/md/montgomery-county';
    const v = jurisdictionView(engines, id, '2020-06-01');
    const es = jurisdictionMain(testWords(corpus, 'es'), corpus, v, '2026-12-01').text;
    const en = jurisdictionMain(testWords(corpus, 'en'), corpus, v, '2026-12-01').text;
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    const eo = corpus.instruments.get('montgomery-eo-135-19')!;
    const noted = eo.events.find((ev) => ev.note)!;
    expect(es).toContain(`<p class="instrument__summary">${escape(eo.translations!.es!.summary)}</p>`);
    expect(es).toContain(`<span class="history-list__note">${escape(noted.translations!.es!.note)}</span>`);
    expect(es).not.toContain(escape(eo.summary!));
    expect(es).toContain(`<h4 id="h-montgomery-eo-135-19" lang="en">${eo.title}</h4>`);
    expect(en).toContain(`<p class="instrument__summary">${escape(eo.summary!)}</p>`);
    expect(en).toContain(`<span class="history-list__note">${escape(noted.note!)}</span>`);
  });

  it('draws an instrument\'s history with a labelled SVG whose description states every interval', () => {
    const ins = corpus.instruments.get('montgomery-eo-135-19')!;
    const svg = historySvg(testWords(corpus, 'en'), ins, '2026-12-01', 'x').text;
    expect(svg).toMatch(/^<svg class="history" viewBox="0 0 640 56" role="img" aria-labelledby="x-t x-d"/);
    expect(svg.match(/<rect class="history__in-force"/g)!.length).toBe(ins.inForce.length);
    expect(svg).toContain(`in force from ${ins.inForce[0]!.from}`);
  });
});
