// Nesting is measured without recursion: values nested far past what the stack allows are measured, named and
// excerpted; values within the bound pass untouched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonExcerpt, MAX_NESTING, nestingError, nestingPath, tooDeep } from './nesting.js';

/** `depth` arrays, one inside the other, as JSON.parse builds them (it does not recurse). */
const brackets = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('tooDeep', () => {
  it('finds the path and depth of 200,000 nested arrays inside an object', () => {
    const value = { date: '2019-06-01', basis: brackets(200_000) };
    const found = tooDeep(value)!;
    expect(found.path.slice(0, 2)).toEqual(['basis', 0]);
    expect(found.path).toHaveLength(MAX_NESTING);
    expect(found.depth).toBe(200_001);
  });

  it('passes a value exactly at the bound and refuses one level more', () => {
    expect(tooDeep(brackets(MAX_NESTING))).toBeUndefined();
    expect(tooDeep(brackets(MAX_NESTING + 1))?.depth).toBe(MAX_NESTING + 1);
    expect(tooDeep('x')).toBeUndefined();
    expect(tooDeep(null)).toBeUndefined();
  });

  it('agrees with a recursive measure on random JSON', () => {
    const depthOf = (v: unknown): number =>
      typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0;
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (v, limit) => {
      expect(tooDeep(v, limit) !== undefined).toBe(depthOf(v) > limit);
    }), { seed: 11, numRuns: 500 });
  });
});

describe('nestingPath', () => {
  it('names the field, not the run of indices under it, and cuts long paths', () => {
    expect(nestingPath(['basis', 0, 0, 0])).toBe('basis');
    expect(nestingPath([0, 'scenario', 'basis', 0])).toBe('0.scenario.basis');
    expect(nestingPath([0, 0, 0])).toBe('(body)');
    expect(nestingPath([0, 0], '(input)')).toBe('(input)');
    expect(nestingPath(Array.from({ length: 20 }, () => 'a'))).toBe('a.a.a.a.a.a.a.a.…');
  });
});

describe('jsonExcerpt', () => {
  it('is JSON.stringify for small values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
      const text = JSON.stringify(v);
      if (text.length <= 80) expect(jsonExcerpt(v)).toBe(text);
      else expect(jsonExcerpt(v)).toBe(`${text.slice(0, 77)}...`);
    }), { seed: 11, numRuns: 500 });
  });

  it('writes the start of values too deep or too large for JSON.stringify', () => {
    expect(jsonExcerpt(brackets(100_000))).toBe(`${'['.repeat(77)}...`);
    expect(jsonExcerpt(Array.from({ length: 1_000_000 }, (_, i) => i))).toMatch(/^\[0,1,2,.*\.\.\.$/);
    expect(jsonExcerpt('x'.repeat(10_000_000))).toHaveLength(80);
  });
});

describe('nestingError', () => {
  it('is the contract error object: field path, what was sent there, the bound', () => {
    const e = nestingError({ basis: brackets(5000) }, '(body)')!;
    expect(e.path).toBe('basis');
    expect(e.given).toBe(`${'['.repeat(77)}...`);
    expect(e.allowed).toEqual([`at most ${MAX_NESTING} levels of nested arrays and objects`]);
    expect(e.message).toMatch(/5001 levels deep/);
    expect(nestingError({ basis: 'ice_detainer' }, '(body)')).toBeUndefined();
  });
});
