// A quote must say where it was read; a paraphrase is exempt; untranslated instructions and jurisdiction notes are reported.
import { describe, expect, it } from 'vitest';
import { loadCorpusOrThrow } from './load.js';
import {
  instrumentTextProblems, jurisdictionTextDiagnostics, missingInstrumentTranslations, missingNoteTranslations, missingTranslations, provisionTextDiagnostics, quoteSourceProblem,
} from './quotes.js';

describe('quoteSourceProblem', () => {
  it('accepts an address or an official citation', () => {
    expect(quoteSourceProblem({ source: 'https://law.justia.com/cases/federal/appellate-courts/ca4/12-1980/' })).toBeUndefined();
    expect(quoteSourceProblem({ source: "Washington Post, 2019-07-22, washingtonpost.com/…/no-cooperation-with-ice/…" })).toBeUndefined();
    expect(quoteSourceProblem({ source: 'Crim. Proc. § 5-104(b)(3)' })).toBeUndefined();
    expect(quoteSourceProblem({ source: '8 U.S.C. 1373(a)' })).toBeUndefined();
    expect(quoteSourceProblem({ source: '725 F.3d 451' })).toBeUndefined();
  });
  it('rejects a quote whose source names no place it can be read, unless it is marked a paraphrase', () => {
    expect(quoteSourceProblem({ source: 'Washington Post, 2019-07-22 (seed article 002)' })).toMatch(/no address or citation/);
    expect(quoteSourceProblem({ source: 'research digest § 9'.replace('§', 'section') })).toMatch(/paraphrase: true/);
    // The digest's own section sign is no official citation: a sentence read only there is a paraphrase.
    expect(quoteSourceProblem({ source: 'Research digest § 6 (reported sentence)' })).toMatch(/paraphrase: true/);
    expect(quoteSourceProblem({ source: 'research digest §4, citing Baltimore Sun 2020-10-09' })).toMatch(/no address/);
    expect(quoteSourceProblem({ source: 'Crim. Proc. § 5-104(b)(3), cited in the research digest § 10' })).toBeUndefined();
    expect(quoteSourceProblem({ source: 'Research digest, section 9', paraphrase: true })).toBeUndefined();
  });
});

describe('missingTranslations', () => {
  it('reports a missing or blank Spanish instruction', () => {
    expect(missingTranslations({})).toEqual(['es']);
    expect(missingTranslations({ translations: { es: { instruction: '  ' } } })).toEqual(['es']);
    expect(missingTranslations({ translations: { es: { instruction: 'No pregunte.' } } })).toEqual([]);
  });
});

describe('the corpus', () => {
  it('has no quote that does not say where it was read', () => {
    const corpus = loadCorpusOrThrow(undefined, { tests: false });
    expect(provisionTextDiagnostics(corpus, { translations: false }).map((d) => d.message)).toEqual([]);
  });

  it('gives every provision a Spanish instruction, and check fails on one without', () => {
    const corpus = loadCorpusOrThrow(undefined, { tests: false });
    expect(provisionTextDiagnostics(corpus).map((d) => d.message)).toEqual([]);
    const [first] = corpus.provisions.values();
    const stripped = new Map(corpus.provisions);
    stripped.set(first!.ref, { ...first!, translations: { es: { instruction: ' ' } } });
    const found = provisionTextDiagnostics({ ...corpus, provisions: stripped });
    expect(found.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['error', 'untranslated', `${first!.ref}: no es instruction (translations.es.instruction); staff reading in es would see the English`],
    ]);
  });
});

describe('jurisdiction notes in Spanish', () => {
  it('reports a note with a missing or blank Spanish version, and nothing for a jurisdiction without a note', () => {
    expect(missingNoteTranslations({ note: 'No instrument known.' })).toEqual(['es']);
    expect(missingNoteTranslations({ note: 'No instrument known.', translations: { es: { name: 'Condado de Kent', note: ' ' } } })).toEqual(['es']);
    expect(missingNoteTranslations({ note: 'No instrument known.', translations: { es: { note: 'No se conoce ningún instrumento.' } } })).toEqual([]);
    expect(missingNoteTranslations({})).toEqual([]);
  });

  it('gives every jurisdiction note of the corpus a Spanish version, and check fails on one without', () => {
    const corpus = loadCorpusOrThrow(undefined, { tests: false });
    expect(jurisdictionTextDiagnostics(corpus).map((d) => d.message)).toEqual([]);
    const j = corpus.jurisdictions.get('us/md/kent-county')!;
    const stripped = new Map(corpus.jurisdictions);
    stripped.set(j.id, { ...j, translations: { es: { name: j.translations!.es!.name! } } });
    const found = jurisdictionTextDiagnostics({ jurisdictions: stripped });
    expect(found.map((d) => [d.severity, d.code, d.position.file, d.message])).toEqual([
      ['error', 'untranslated', j.file, 'us/md/kent-county: no es note (translations.es.note); a page in es would show the English note'],
    ]);
  });
});

describe('instrument summaries and event notes in Spanish', () => {
  it('reports a summary or an event note with a missing or blank Spanish version, and nothing for text that is not there', () => {
    const events = [{ note: 'Signed.' }, {}, { note: 'In force.', translations: { es: { note: 'En vigor.' } } }, { note: 'Amended.', translations: { es: { note: ' ' } } }];
    expect(missingInstrumentTranslations({ summary: 'A law.', events })).toEqual([{ lang: 'es', text: 'summary' }, { lang: 'es', text: 0 }, { lang: 'es', text: 3 }]);
    expect(missingInstrumentTranslations({ summary: 'A law.', translations: { es: { summary: 'Una ley.' } }, events: events.slice(1, 3) })).toEqual([]);
    expect(missingInstrumentTranslations({ events: [] })).toEqual([]);
  });

  it('gives every summary and event note of the corpus a Spanish version', () => {
    const corpus = loadCorpusOrThrow(undefined, { tests: false });
    expect([...corpus.instruments.values()].flatMap(instrumentTextProblems).map((d) => d.message)).toEqual([]);
  });

  it('says which text of which instrument lacks it, as an error of its file', () => {
    const corpus = loadCorpusOrThrow(undefined, { tests: false });
    const ins = corpus.instruments.get('montgomery-eo-135-19')!;
    const noted = ins.events.findIndex((e) => e.note);
    const bare = { ...ins, translations: undefined, events: ins.events.map((e, i) => (i === noted ? { ...e, translations: undefined } : e)) };
    const ev = ins.events[noted]!;
    expect(instrumentTextProblems(bare).map((d) => [d.severity, d.code, d.position.file, d.message])).toEqual([
      ['error', 'untranslated', ins.file, 'montgomery-eo-135-19: no es summary (translations.es.summary); a page in es would show the English'],
      ['error', 'untranslated', ins.file, `montgomery-eo-135-19: no es note of event ${noted + 1} (${ev.type} ${ev.date}) (events[${noted}].translations.es.note); a page in es would show the English`],
    ]);
  });
});
