// The stored-node tree against RFC 9162's own recursive definitions (MTH, PATH, PROOF), exhaustively for small trees
// and by seeded property tests for larger ones, plus tampered proofs that must not verify.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Hash, emptyTreeHash, leafHash, leafHashOfText, nodeHash } from './hash.js';
import {
  type NodeId,
  MemoryNodeStore,
  consistencyPlan,
  inclusionPlan,
  TreeBuilder,
  consistencyProof,
  inclusionProof,
  rootFromInclusionProof,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './tree.js';

// RFC 9162 2.1.1-2.1.4, transcribed literally (recursion over the leaf list, no stored nodes).
const k = (n: number) => { let x = 1; while (x * 2 < n) x *= 2; return x; };
function MTH(d: Hash[]): Hash {
  if (d.length === 0) return emptyTreeHash();
  if (d.length === 1) return d[0]!;
  const s = k(d.length);
  return nodeHash(MTH(d.slice(0, s)), MTH(d.slice(s)));
}
function PATH(m: number, d: Hash[]): Hash[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...PATH(m, d.slice(0, s)), MTH(d.slice(s))] : [...PATH(m - s, d.slice(s)), MTH(d.slice(0, s))];
}
function SUBPROOF(m: number, d: Hash[], b: boolean): Hash[] {
  if (m === d.length) return b ? [] : [MTH(d)];
  const s = k(d.length);
  return m <= s ? [...SUBPROOF(m, d.slice(0, s), b), MTH(d.slice(s))] : [...SUBPROOF(m - s, d.slice(s), false), MTH(d.slice(0, s))];
}
const PROOF = (m: number, d: Hash[]) => SUBPROOF(m, d, true);

const leaves = (n: number, tag = 'leaf') => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${tag} ${i}`)));
const hex = (hs: Hash[]) => hs.map((h) => Buffer.from(h).toString('hex'));
const flip = (h: Hash, bit = 0) => { const c = Uint8Array.from(h); c[bit >> 3]! ^= 1 << (bit & 7); return c; };

async function storeOf(d: Hash[], batches: number[] = [d.length]): Promise<MemoryNodeStore> {
  const s = new MemoryNodeStore();
  let at = 0;
  for (const b of batches) {
    await s.append(d.slice(at, at + b));
    at += b;
  }
  if (at < d.length) await s.append(d.slice(at));
  return s;
}

describe('RFC 9162 hashing', () => {
  it('uses the 0x00 leaf and 0x01 node prefixes (RFC 6962 test vector: the empty leaf)', () => {
    expect(Buffer.from(leafHash(new Uint8Array())).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(Buffer.from(emptyTreeHash()).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('the leaf hash of a text', () => {
  it('is the leaf hash of its UTF-8 bytes, for any text, short or longer than the buffer it reuses', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
      expect(Buffer.from(leafHashOfText(text)).toString('hex')).toBe(Buffer.from(leafHash(Buffer.from(text, 'utf8'))).toString('hex'));
    }));
    const long = 'é€😀'.repeat(5000);
    expect(Buffer.from(leafHashOfText(long)).equals(Buffer.from(leafHash(Buffer.from(long, 'utf8'))))).toBe(true);
  });
});

describe('tree over stored nodes = RFC 9162 definitions', () => {
  it('root, every inclusion proof and every consistency proof, for every size 1..70', async () => {
    const d = leaves(70);
    const s = await storeOf(d, [1, 2, 3, 5, 8, 13, 21]);
    for (let n = 1; n <= 70; n++) {
      const root = MTH(d.slice(0, n));
      expect(hex([await rootHash(n, s)])).toEqual(hex([root]));
      for (let m = 0; m < n; m++) {
        const p = await inclusionProof(m, n, s);
        expect(hex(p)).toEqual(hex(PATH(m, d.slice(0, n))));
        expect(verifyInclusion(m, n, d[m]!, p, root)).toBe(true);
      }
      for (let m = 1; m <= n; m++) {
        const p = await consistencyProof(m, n, s);
        expect(hex(p)).toEqual(hex(PROOF(m, d.slice(0, n))));
        expect(verifyConsistency(m, n, MTH(d.slice(0, m)), root, p)).toBe(true);
      }
    }
  });

  it('any batching of appends gives the same nodes and the same roots (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }), async (batches) => {
        const n = batches.reduce((a, b) => a + b, 0);
        const d = leaves(n, 'batch');
        const s = await storeOf(d, batches);
        expect(s.size).toBe(n);
        const b = new TreeBuilder();
        for (let i = 0; i < n; i++) {
          b.push(d[i]!);
          if (i % 7 === 0 || i === n - 1) expect(hex([b.root()])).toEqual(hex([await rootHash(i + 1, s)]));
        }
        expect(hex([b.root()])).toEqual(hex([MTH(d)]));
      }),
      { seed: 9162, numRuns: 60 },
    );
  });

  it('proofs in larger trees match PATH and PROOF (seeded)', async () => {
    const d = leaves(1500, 'big');
    const s = await storeOf(d, [700, 1, 299, 500]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 0, max: 1499 }), fc.integer({ min: 1, max: 1500 }), async (n, mi, mc) => {
        const m = mi % n;
        const first = ((mc - 1) % n) + 1;
        const root = MTH(d.slice(0, n));
        const p = await inclusionProof(m, n, s);
        expect(hex(p)).toEqual(hex(PATH(m, d.slice(0, n))));
        expect(verifyInclusion(m, n, d[m]!, p, root)).toBe(true);
        const c = await consistencyProof(first, n, s);
        expect(hex(c)).toEqual(hex(PROOF(first, d.slice(0, n))));
        expect(verifyConsistency(first, n, MTH(d.slice(0, first)), root, c)).toBe(true);
      }),
      { seed: 6962, numRuns: 150 },
    );
  });
});

describe('proof plans at sizes up to 2^52 (no 32-bit arithmetic anywhere)', () => {
  // RFC 9162's PATH and PROOF with each MTH(D[a:b]) written as its leaf range, so huge trees cost nothing to build.
  type Range = [number, number];
  function pathRanges(m: number, a: number, b: number): Range[] {
    if (b - a === 1) return [];
    const s = k(b - a);
    return m < a + s ? [...pathRanges(m, a, a + s), [a + s, b]] : [...pathRanges(m, a + s, b), [a, a + s]];
  }
  function subproofRanges(m: number, a: number, b: number, complete: boolean): Range[] {
    if (m === b - a) return complete ? [] : [[a, b]];
    const s = k(b - a);
    return m <= s ? [...subproofRanges(m, a, a + s, complete), [a + s, b]] : [...subproofRanges(m - s, a + s, b, false), [a, a + s]];
  }
  // A group of nodes must tile its range with complete, aligned subtrees, largest first.
  function groupRange(g: readonly NodeId[]): Range {
    let at = g[0]!.index * 2 ** g[0]!.level;
    const start = at;
    let last = Infinity;
    for (const id of g) {
      expect(id.index * 2 ** id.level).toBe(at);
      expect(id.level).toBeLessThan(last);
      last = id.level;
      at += 2 ** id.level;
    }
    return [start, at];
  }
  it('inclusion and consistency plans cover exactly the ranges RFC 9162 hashes (seeded)', () => {
    const size = fc.oneof(fc.integer({ min: 1, max: 2 ** 20 }), fc.integer({ min: 2 ** 31 - 5, max: 2 ** 33 }), fc.integer({ min: 1, max: 2 ** 52 }));
    fc.assert(
      fc.property(size, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n, x, y) => {
        const m = Math.min(n - 1, Math.floor(x * n));
        expect(inclusionPlan(m, n).groups.map(groupRange)).toEqual(pathRanges(m, 0, n));
        const first = Math.max(1, Math.min(n, Math.ceil(y * n)));
        expect(consistencyPlan(first, n).groups.map(groupRange)).toEqual(subproofRanges(first, 0, n, true));
      }),
      { seed: 5253, numRuns: 2000 },
    );
  });
});

describe('verifiers refuse what does not prove', () => {
  it('any flipped bit, dropped, added or reordered element, wrong index or wrong size fails (seeded)', async () => {
    const d = leaves(200, 'tamper');
    const s = await storeOf(d);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 200 }), fc.nat(), fc.nat(), fc.nat(255), async (n, mi, fi, bit) => {
        const m = mi % n;
        const root = MTH(d.slice(0, n));
        const p = await inclusionProof(m, n, s);
        if (p.length > 0) {
          const j = fi % p.length;
          expect(verifyInclusion(m, n, d[m]!, p.map((h, i) => (i === j ? flip(h, bit) : h)), root)).toBe(false);
          expect(verifyInclusion(m, n, d[m]!, p.slice(0, -1), root)).toBe(false);
          if (p.length > 1) expect(verifyInclusion(m, n, d[m]!, [...p].reverse(), root)).toBe(p.every((h) => Buffer.compare(h, p[0]!) === 0));
        }
        expect(verifyInclusion(m, n, d[m]!, [...p, d[0]!], root)).toBe(false);
        expect(verifyInclusion(m, n, flip(d[m]!, bit), p, root)).toBe(false);
        expect(verifyInclusion((m + 1) % n, n, d[m]!, p, root)).toBe(false);
        expect(verifyInclusion(m, n, d[m]!, p, flip(root, bit))).toBe(false);
        expect(verifyInclusion(n, n, d[m]!, p, root)).toBe(false);
        expect(rootFromInclusionProof(-1, n, d[0]!, p)).toBeNull();

        const first = (fi % (n - 1)) + 1; // 1..n-1
        const fr = MTH(d.slice(0, first));
        const c = await consistencyProof(first, n, s);
        expect(verifyConsistency(first, n, fr, root, c)).toBe(true);
        const j = mi % c.length;
        expect(verifyConsistency(first, n, fr, root, c.map((h, i) => (i === j ? flip(h, bit) : h)))).toBe(false);
        expect(verifyConsistency(first, n, flip(fr, bit), root, c)).toBe(false);
        expect(verifyConsistency(first, n, fr, flip(root, bit), c)).toBe(false);
        expect(verifyConsistency(first, n, fr, root, c.slice(0, -1))).toBe(false);
        expect(verifyConsistency(first, n, fr, root, [...c, d[1]!])).toBe(false);
        expect(verifyConsistency(first, n, fr, root, [])).toBe(false);
        // A different first tree (same size, one leaf changed) is not a prefix of this one.
        const other = [...d.slice(0, first)];
        other[m % first] = flip(other[m % first]!, bit);
        expect(verifyConsistency(first, n, MTH(other), root, c)).toBe(false);
      }),
      { seed: 2114, numRuns: 200 },
    );
  });

  it('equal sizes need an empty proof and equal roots; bad sizes are errors', async () => {
    const d = leaves(5);
    const s = await storeOf(d);
    const r = MTH(d);
    expect(verifyConsistency(5, 5, r, r, [])).toBe(true);
    expect(verifyConsistency(5, 5, r, r, [r])).toBe(false);
    expect(verifyConsistency(5, 5, r, flip(r), [])).toBe(false);
    expect(verifyConsistency(0, 5, r, r, [])).toBe(false);
    expect(verifyConsistency(6, 5, r, r, [])).toBe(false);
    await expect(consistencyProof(0, 5, s)).rejects.toMatchObject({ path: 'from' });
    await expect(consistencyProof(3, 2, s)).rejects.toMatchObject({ path: 'from' });
    await expect(inclusionProof(5, 5, s)).rejects.toMatchObject({ path: 'index', allowed: '0 to 4' });
    await expect(inclusionProof(0, 6, s)).rejects.toMatchObject({ path: 'node' });
    await expect(rootHash(6, s)).rejects.toMatchObject({ path: 'node' });
    expect(hex([await rootHash(0, s)])).toEqual(hex([emptyTreeHash()]));
  });

  it('a stored node cannot be overwritten with a different hash', async () => {
    const s = await storeOf(leaves(4));
    expect(() => s.put([{ level: 1, index: 0, hash: flip(leaves(1)[0]!) }])).toThrow(/cannot change/);
  });
});
