// `explain` of real Maryland cases, in English and in Spanish, read as a clerk would read them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { loadCorpusOrThrow } from '../../policy/load.js';
import { packageRoot } from '../../vocabulary/vocabulary.js';
import { decideScenario, wordsFor } from './decisions.js';
import { explainText } from './explain.js';
import type { Lang } from './messages.js';

const corpus = loadCorpusOrThrow(`${packageRoot}policies`);
const engine = new Engine(corpus);
const explain = (file: string, lang: Lang) => {
  const scenario = engine.codec.parse(JSON.parse(readFileSync(`${packageRoot}docs/seeds/${file}`, 'utf8')));
  return explainText(decideScenario(engine, scenario, lang), engine.codec.toJson(scenario), wordsFor(corpus, lang));
};

describe('explain', () => {
  it('explains the Montgomery 2019 custody-access case in English', () => {
    const text = explain('montgomery-2019-custody-access.json', 'en');
    expect(text).toMatch(/^PROHIBITED\n/);
    expect(text).toContain('Situation: Corrections, Montgomery County, on 2019-08-01: access to a person in custody (basis: ICE detainer (Form I-247A); matter: Civil immigration; setting: Custody).');
    expect(text).toContain('Because:\n  Executive Order 135-19');
    expect(text).toContain('  • if the basis were a judicial warrant or a court order: permitted');
    expect(text).toMatch(/Policy version sha256:[0-9a-f]{64}$/);
  });

  it('explains it in Spanish: headings, situation, reasons and dates in Spanish; quotes as enacted', () => {
    const text = explain('montgomery-2019-custody-access.json', 'es');
    const quote = corpus.provisions.get('montgomery-eo-135-19#no-custody-access')!.quote;
    expect(text).toMatch(/^PROHIBIDO\n/);
    expect(text).toContain('Situación: Servicios correccionales, Condado de Montgomery, el 1 de agosto de 2019: acceso a una persona bajo custodia');
    expect(text).toContain('Por qué:');
    expect(text).toContain('— lo prohíbe (según fuentes secundarias)');
    expect(text.replace(/\s+/g, ' ')).toContain(`«${quote.replace(/\s+/g, ' ')}»`);
    expect(text).toContain('Qué cambiaría la respuesta:');
    expect(text.replace(/\s+/g, ' ')).toContain('si el documento presentado fuera una orden judicial u otra orden de un tribunal: permitido');
    expect(text).toContain('entra en vigor el 1 de noviembre de 2019');
    expect(text).not.toMatch(/\b(not yet in force|would change|Because|Source:)\b/);
  });
});

describe('a paraphrase', () => {
  it('is passed through the decision and never put between quotation marks, in any language', async () => {
    const { fixtureRoot } = await import('../../engine/fixtures/fixtureRoot.js');
    const fixture = loadCorpusOrThrow(fixtureRoot);
    const ref = 'alpha-order#no-holds';
    const p = { ...fixture.provisions.get(ref)!, paraphrase: true };
    const ins = fixture.instruments.get(p.instrument)!;
    const changed = {
      ...fixture,
      provisions: new Map([...fixture.provisions, [ref, p]]),
      instruments: new Map([...fixture.instruments, [ins.id, { ...ins, provisions: ins.provisions.map((x) => (x.ref === ref ? p : x)) }]]),
    };
    const e = new Engine(changed);
    const s = e.codec.parse({ date: '2018-01-10', actor: { jurisdiction: 'us/md/alpha-county', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' });
    for (const lang of ['en', 'es'] as const) {
      const d = decideScenario(e, s, lang);
      expect(d.governing[0]).toMatchObject({ provision: 'no-holds', paraphrase: true });
      const text = explainText(d, e.codec.toJson(s), wordsFor(changed, lang));
      expect(text).toContain(lang === 'en' ? `In substance: ${p.quote}` : `En esencia: ${p.quote}`);
      expect(text).not.toMatch(/[“«]shall not cause to be detained/);
    }
    expect(decideScenario(new Engine(fixture), s, 'en').governing[0]).not.toHaveProperty('paraphrase');
  });
});
