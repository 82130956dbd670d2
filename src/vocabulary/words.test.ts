// The vocabulary's words in each language cover every id, and a translation that misses one is refused.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { languageWords, vocabulary } from './vocabulary.js';
import { translatedWords, VocabularyWordsError } from './words.js';

const v = vocabulary();

describe('vocabulary words', () => {
  for (const lang of ['en', 'es']) {
    it(`cover every agency, request, fact and value in ${lang}`, () => {
      const w = languageWords(lang);
      for (const a of v.agencyIds) expect(w.agency(a).plural.length, a).toBeGreaterThan(0);
      for (const r of v.requestIds) expect(w.request(r).label.length, r).toBeGreaterThan(0);
      for (const f of v.facts) {
        expect(w.fact(f.id).question.length, f.id).toBeGreaterThan(0);
        for (const value of f.values) expect(w.value(f.id, value.id).short.length, `${f.id}.${value.id}`).toBeGreaterThan(0);
      }
    });
  }

  it('read English from vocabulary.yaml itself: every fact a name and every value a short form, none made from ids', () => {
    for (const f of v.facts) {
      expect(f.name, f.id).toBeDefined();
      for (const value of f.values) expect(value.short, `${f.id}.${value.id}`).toBeDefined();
    }
  });

  it('read Spanish from vocabulary/es.yaml, booleans included', () => {
    const es = languageWords('es');
    expect(es.agency('police').label).toBe('Policía');
    expect(es.value('basis', 'judicial_warrant').short).toBe('una orden judicial');
    expect(es.value('serious_offense', true).label).toBe('Sí');
    expect(languageWords('en').value('basis', 'ice_detainer').short).toBe('an ICE detainer');
    expect(languageWords('en').agency('executive').plural).toBe('other executive departments');
  });

  it('refuse a translation that misses an id or names one the vocabulary lacks', () => {
    const es = parse(readFileSync(fileURLToPath(new URL('../../vocabulary/es.yaml', import.meta.url)), 'utf8')) as { facts: { basis: { values: Record<string, unknown> } }; agencies: Record<string, unknown> };
    delete es.facts.basis.values['court_order'];
    es.agencies['fbi'] = { label: 'FBI', plural: 'el FBI', description: 'x' };
    expect(() => translatedWords(v, es)).toThrow(VocabularyWordsError);
    expect(() => translatedWords(v, es)).toThrow(/missing value of basis: court_order.*agency fbi is not in the vocabulary|agency fbi is not in the vocabulary.*missing value of basis: court_order/);
  });
});
