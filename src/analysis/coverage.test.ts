// Coverage: provisions exercised by the policy tests, and table rows a test case falls in.
import { describe, expect, it } from 'vitest';
import { fixtureCorpus } from './fixtures/corpus.js';
import { coverage } from './coverage.js';
import { EnginePool } from './policyTests.js';

const corpus = fixtureCorpus(true);

describe('coverage', () => {
  it('counts provisions governing in tests and rows exercised', () => {
    const pool = new EnginePool(corpus);
    const r = coverage(corpus, pool, '2018-06-01');
    expect(r.provisions.total).toBe(corpus.provisions.size);
    expect(r.provisions.exercised).toBe(2);
    expect(r.provisions.untested).toContain('alpha-order#no-notice');
    const hold = r.space.find((s) => s.jurisdiction === 'us/md/alpha-county' && s.request === 'detain_past_release')!;
    // The detainer case covers one row (corrections, ice_detainer, drugs); the judicial-warrant case leaves matter
    // unknown, so it covers every matter with a judicial warrant for corrections.
    expect(hold.exercised).toBe(1 + 9);
    expect(hold.outcomesExercised).toEqual(['permitted', 'prohibited']);
    // A test counts wherever the same provisions decide its actor's request: 2021 is in the same segment of Alpha
    // County's holds (nothing on holds changed since 2017); after the order's revocation in 2025 it is not.
    const later = (date: string) => coverage(corpus, pool, date).space.find((x) => x.jurisdiction === 'us/md/alpha-county' && x.request === 'detain_past_release')!.exercised;
    expect(later('2021-01-01')).toBe(hold.exercised);
    expect(later('2025-06-01')).toBe(0);
  });
});
