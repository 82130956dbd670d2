// The kept-decision table's own arithmetic: keys that tell fact vectors apart, the count, the clear at the bound,
// and a release that drops one jurisdiction's decisions only. (Decisions kept by a real engine: presentation tests.)
import { describe, expect, it } from 'vitest';
import type { Cell } from './cell.js';
import type { Decision } from './decision.js';
import { KeptDecisions, keptEntryFor } from './kept.js';

/** Only what keptEntryFor reads of a cell: its read facts. */
const reading = (...facts: number[]) => ({ readFacts: facts }) as unknown as Cell;
const decision = (n: number) => Object.freeze({ outcome: 'no_rule', n }) as unknown as Decision;

describe('kept decisions table', () => {
  it('keys every vector of the union of the cells\' read facts apart, and ignores facts no cell reads', () => {
    const counts = [2, 3, 2, 4];
    const entry = keptEntryFor(0, [reading(0, 2), reading(2, 3)], counts)!;
    expect(entry.facts).toEqual([0, 2, 3]);
    const seen = new Map<number, string>();
    for (let a = -1; a < 2; a++) for (let c = -1; c < 2; c++) for (let d = -1; d < 4; d++) {
      for (const b of [-1, 0, 2]) {
        const key = entry.index(Int8Array.from([a, b, c, d]));
        const vector = `${a},${c},${d}`;
        expect(seen.get(key) ?? vector).toBe(vector);
        seen.set(key, vector);
      }
    }
    expect(seen.size).toBe(3 * 3 * 5);
  });

  it('keeps no key past the small integers', () => {
    expect(keptEntryFor(0, [reading(...Array.from({ length: 20 }, (_, i) => i))], Array(20).fill(3))).toBeUndefined();
  });

  it('counts, clears everything at the bound, and releases one jurisdiction\'s decisions', () => {
    const kept = new KeptDecisions(5);
    const a = keptEntryFor(1, [reading(0)], [3])!, b = keptEntryFor(2, [reading(0)], [3])!;
    kept.keep(a, 0, 1, decision(1));
    kept.keep(a, 1, 1, decision(2));
    const third = decision(3);
    kept.keep(b, 0, 2, third);
    kept.keep(b, 0, 2, third);
    expect(kept.size).toBe(3);
    kept.release(1);
    expect(kept.size).toBe(1);
    expect(a.size).toBe(0);
    expect(b.map(0)?.get(2)).toBe(third);
    for (let k = 0; k < 4; k++) kept.keep(a, 0, k, decision(k));
    expect(kept.size).toBe(5);
    kept.keep(b, 0, 3, decision(9));
    expect(kept.size).toBe(1);
    expect(a.size).toBe(0);
    expect([...b.map(0)!.keys()]).toEqual([3]);
    // Slots past the two fields are kept apart too.
    const tenth = decision(10);
    kept.keep(b, 4, 3, tenth);
    expect(b.map(4)?.get(3)).toBe(tenth);
    expect(b.map(0)?.get(3)).not.toBe(tenth);
    expect(b.map(3)).toBeUndefined();
    expect(kept.size).toBe(2);
    const none = new KeptDecisions(0);
    none.keep(a, 0, 0, decision(0));
    expect(none.size).toBe(0);
  });
});
