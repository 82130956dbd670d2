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
