// The declared public API: package.json's `exports` names dist/index.js, and index.ts gives what a program needs to
// load the corpus, decide, word the decision and analyse, each export defined.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('is declared in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });
  it('decides a scenario from the bundled corpus, in both languages', () => {
    for (const [name, value] of Object.entries(api)) expect(value, name).toBeDefined();
    const engine = new api.Engine(api.loadCorpusOrThrow());
    const scenario = { date: '2019-03-01', actor: { jurisdiction: 'us/md/baltimore-county', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' };
    expect(api.decide(engine, scenario).outcome).toBe('prohibited');
    expect(api.decide(engine, scenario, 'es').summary).not.toBe(api.decide(engine, scenario, 'en').summary);
    expect(new api.EnginePool(engine.corpus).get(['md-sb-791-2026'])).toBeInstanceOf(api.Engine);
  });
});
