// The engine pool: one engine per what-if, defaults merged with the request's, bad what-ifs refused by name.
import { describe, expect, it } from 'vitest';
import { fixtureRoot } from '../engine/fixtures/fixtureRoot.js';
import { loadCorpusOrThrow } from '../policy/load.js';
import { ContractError } from './errors.js';
import { API_WHAT_IF, CLI_WHAT_IF, EnginePool, engineFor } from './pool.js';
import { wordsFor } from './presentation/decisions.js';

const corpus = loadCorpusOrThrow(fixtureRoot);
const refusal = (run: () => unknown): ContractError => {
  try {
    run();
  } catch (e) {
    if (e instanceof ContractError) return e;
    throw e;
  }
  throw new Error('expected a ContractError');
};

describe('EnginePool', () => {
  it('hands out one engine per what-if, whatever the order of the ids', () => {
    const pool = new EnginePool(corpus);
    expect(pool.get()).toBe(pool.base);
    const a = pool.get(['state-bill', 'alpha-mou']);
    expect(pool.get(['alpha-mou', 'state-bill'])).toBe(a);
    expect(a).not.toBe(pool.base);
    expect(a.assumptions).toEqual({ in_force: ['alpha-mou', 'state-bill'], not_in_force: [] });
  });

  it('lets a request override the defaults for an instrument both name', () => {
    const pool = new EnginePool(corpus, { defaults: { assumeInForce: ['state-bill'] } });
    expect(pool.base.assumptions).toEqual({ in_force: ['state-bill'], not_in_force: [] });
    expect(pool.get([], ['state-bill']).assumptions).toEqual({ in_force: [], not_in_force: ['state-bill'] });
    expect(pool.under({ assumeNotInForce: ['state-bill'] }).get()).toBe(pool.get([], ['state-bill']));
  });

  it('refuses unknown instruments (with near ids) and an instrument assumed both ways, naming the parameter', () => {
    const api = new EnginePool(corpus, { names: API_WHAT_IF });
    const unknown = refusal(() => api.get(['state-bil']));
    expect(unknown.code).toBe('unknown_instrument');
    expect(unknown.error).toMatchObject({ path: 'assume_in_force', given: 'state-bil', did_you_mean: ['state-bill'] });
    const both = refusal(() => new EnginePool(corpus, { names: CLI_WHAT_IF }).get(['state-bill'], ['state-bill']));
    expect(both.code).toBe('conflicting_what_if');
    expect(both.error.path).toBe('assume-not-in-force');
    expect(both.error.message).toMatch(/both name "state-bill"/);
    expect(refusal(() => new EnginePool(corpus, { defaults: { assumeInForce: ['nope'] } })).error.path).toBe('assume-in-force');
  });

  it('keeps at most `capacity` what-if engines, dropping the least recently used', () => {
    const pool = new EnginePool(corpus, { capacity: 1 });
    const a = pool.get(['state-bill']);
    pool.get(['alpha-mou']);
    expect(pool.get(['state-bill'])).not.toBe(a);
  });
});

describe('EnginePool kept decisions', () => {
  it('bounds what each what-if engine keeps, while the base engine keeps the engine default', () => {
    const pool = new EnginePool(corpus, { whatIfKeptDecisions: 3 });
    const whatIf = pool.get(['state-bill']);
    const en = wordsFor(corpus, 'en');
    const j = [...corpus.jurisdictions.keys()].sort();
    const agencies = whatIf.vocabulary.agencyIds;
    const requests = whatIf.vocabulary.requestIds;
    let asked = 0;
    for (const jurisdiction of j) {
      for (const agency of agencies) {
        for (const request of requests) {
          const scenario = { date: '2024-07-01', actor: { jurisdiction, agency }, request };
          whatIf.decide(scenario, en);
          pool.base.decide(scenario, en);
          asked++;
          expect(whatIf.keptDecisions).toBeLessThanOrEqual(3);
        }
      }
    }
    expect(asked).toBeGreaterThan(10);
    // The base engine kept more than the what-if's bound: the bound is the what-if's alone.
    expect(pool.base.keptDecisions).toBeGreaterThan(3);
  });
});

describe('engineFor', () => {
  it('is the pool\'s engine for the what-if: the base engine for none, one engine per what-if, a view\'s what-if added', () => {
    const pool = new EnginePool(corpus, { names: CLI_WHAT_IF });
    expect(engineFor(pool, {})).toBe(pool.base);
    expect(engineFor(pool, { assumeInForce: [], assumeNotInForce: undefined })).toBe(pool.base);
    const assumed = engineFor(pool, { assumeInForce: ['state-bill'] });
    expect(assumed).toBe(pool.get(['state-bill']));
    expect(assumed.assumptions).toEqual({ in_force: ['state-bill'], not_in_force: [] });
    expect(engineFor(pool.under({ assumeInForce: ['state-bill'] }), { assumeNotInForce: ['alpha-mou'] })).toBe(pool.get(['state-bill'], ['alpha-mou']));
  });

  it('refuses a bad what-if with the pool\'s error, naming the surface\'s parameter', () => {
    const cli = refusal(() => engineFor(new EnginePool(corpus, { names: CLI_WHAT_IF }), { assumeNotInForce: ['nope'] }));
    expect(cli.code).toBe('unknown_instrument');
    expect(cli.error.path).toBe('assume-not-in-force');
    const api = refusal(() => engineFor(new EnginePool(corpus), { assumeInForce: ['state-bill'], assumeNotInForce: ['state-bill'] }));
    expect(api.code).toBe('conflicting_what_if');
    expect(api.error.path).toBe('assume_not_in_force');
  });
});
