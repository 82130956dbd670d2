// The view cache computes a view once per key and drops the least recently used one when full.
import { expect, it } from 'vitest';
import { ViewCache } from './viewCache.js';

it('computes once per key, keeps the recently used, and drops the oldest when full', () => {
  const cache = new ViewCache<number>(2);
  let made = 0;
  const make = (n: number) => () => (made++, n);
  expect(cache.get('a', make(1))).toBe(1);
  expect(cache.get('a', make(9))).toBe(1);
  cache.get('b', make(2));
  cache.get('a', make(9)); // a is now the most recent
  cache.get('c', make(3)); // drops b
  expect(cache.get('a', make(9))).toBe(1);
  expect(cache.get('b', make(4))).toBe(4);
  expect(made).toBe(4);
});
