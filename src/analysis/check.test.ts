// `check` walks a corpus opened lazily one jurisdiction's chain at a time: the same report as over the corpus loaded
// whole, holding no more than one chain of folders at once.
import { describe, expect, it } from 'vitest';
import type { Corpus } from '../policy/corpus.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from '../policy/load.js';
import { checkCorpus } from './check.js';
import { fixtureRoot } from './fixtures/corpus.js';

describe('check, walked folder by folder', () => {
  for (const [name, root] of [['the fixture corpus (with findings)', fixtureRoot], ['the bundled corpus', defaultPoliciesRoot]] as const) {
    it(`gives ${name} the same report as a whole load`, () => {
      const whole = checkCorpus(loadCorpusOrThrow(root, { tests: true }));
      const walked = checkCorpus(loadCorpusOrThrow(root, { lazy: true, cache: false }));
      expect(walked).toEqual(whole);
      expect(whole.diagnostics.length + whole.acknowledged.length).toBeGreaterThan(0);
    });
  }

  it('holds one chain of folders at a time', () => {
    const lazy = loadCorpusOrThrow(fixtureRoot, { lazy: true, cache: false });
    const held = new Set<string>();
    let most = 0;
    const tracked = Object.assign(Object.create(lazy) as Corpus, {
      instrumentsOf: (j: string) => {
        held.add(j);
        most = Math.max(most, held.size);
        return lazy.instrumentsOf!(j);
      },
      release: (keep: (folder: string) => boolean) => {
        for (const f of held) if (!keep(f)) held.delete(f);
        lazy.release!(keep);
      },
    });
    expect(checkCorpus(tracked)).toEqual(checkCorpus(loadCorpusOrThrow(fixtureRoot, { tests: true })));
    const deepest = Math.max(...[...lazy.jurisdictions.keys()].map((j) => j.split('/').length));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(deepest);
  });
});

describe('check on Spanish prose', () => {
  it('reports an instrument summary or event note without its Spanish version, and nothing once it has one', () => {
    const corpus = loadCorpusOrThrow(fixtureRoot, { tests: true });
    const [first] = corpus.instruments.values();
    const withText = (es: boolean): Corpus => {
      const ins = {
        ...first!,
        summary: 'A summary.',
        ...(es ? { translations: { es: { summary: 'Un resumen.' } } } : {}),
        events: first!.events.map((e, i) => (i === 0 ? { ...e, note: 'A note.', ...(es ? { translations: { es: { note: 'Una nota.' } } } : { translations: { es: { note: ' ' } } }) } : e)),
      };
      return { ...corpus, instruments: new Map([...corpus.instruments].map(([id, i]) => [id, i === first ? ins : i])) };
    };
    const untranslated = (c: Corpus) => checkCorpus(c).diagnostics.filter((d) => d.code === 'untranslated' && d.message.startsWith(`${first!.id}: `)).map((d) => [d.severity, d.position.file, d.message]);
    const e0 = first!.events[0]!;
    expect(untranslated(withText(false))).toEqual([
      ['error', first!.file, `${first!.id}: no es summary (translations.es.summary); a page in es would show the English`],
      ['error', first!.file, `${first!.id}: no es note of event 1 (${e0.type} ${e0.date}) (events[0].translations.es.note); a page in es would show the English`],
    ]);
    expect(untranslated(withText(true))).toEqual([]);
  });
});
