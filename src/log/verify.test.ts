// `log verify`'s core on tampered logs: one changed byte, a deleted, swapped or duplicated record, a truncated table,
// rewritten leaves: each names the first bad index; an untouched log (with tombstones) verifies against every checkpoint.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, signCheckpoint } from './checkpoint.js';
import { type Hash, leafData, leafHash, leafHashText, newSalt } from './hash.js';
import { NoteSigner, NoteVerifier } from './note.js';
import { MemoryNodeStore, type NodeId, type NodeReader, TreeBuilder } from './tree.js';
import { type LogEntry, verifyLog } from './verify.js';

const ORIGIN = 'trustrules.test/contacts';

interface Row { index: number; data: Buffer | null; leafHash: Hash }

/** A log of n records with a checkpoint after every batch (as group commit hands them out). */
function makeLog(n: number, batch = 3) {
  const rows: Row[] = [];
  const checkpoints: Checkpoint[] = [];
  const tree = new TreeBuilder();
  for (let i = 0; i < n; i++) {
    const data = Buffer.from(leafData({ id: `c-${i}`, action: i % 2 ? 'declined' : 'complied', agent: 'cbp' }, newSalt()));
    const h = leafHash(data);
    rows.push({ index: i, data, leafHash: h });
    tree.push(h);
    if ((i + 1) % batch === 0 || i === n - 1) checkpoints.push({ origin: ORIGIN, size: i + 1, root: tree.root() });
  }
  return { rows, checkpoints };
}

const copy = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, data: r.data && Buffer.from(r.data) }));
async function* stream(rows: LogEntry[]): AsyncGenerator<LogEntry> {
  for (const r of rows) yield r;
}
const verify = (rows: LogEntry[], checkpoints: Checkpoint[]) => verifyLog(stream(rows), { checkpoints, origin: ORIGIN });

describe('verifyLog', () => {
  it('accepts an untouched log, with tombstones that keep their leaf, against every checkpoint', async () => {
    const { rows, checkpoints } = makeLog(50);
    const withTombstones = copy(rows).map((r) => (r.index % 11 === 4 ? { ...r, data: null } : r));
    const result = await verify(withTombstones, checkpoints);
    expect(result).toMatchObject({ ok: true, size: 50, checkpoints: checkpoints.length, signedSize: 50 });
    // A record appended after the last checkpoint is reported as not yet signed, not as an error.
    const { rows: more } = makeLog(1);
    const tail = await verify([...rows, { ...more[0]!, index: 50 }], checkpoints);
    expect(tail).toMatchObject({ ok: true, size: 51, signedSize: 50 });
  });

  it('takes a leaf the store already hashed and compared in place of the data, and holds it to the checkpoints', async () => {
    const { rows, checkpoints } = makeLog(30);
    const asLeaf = (r: Row): LogEntry => ({ index: r.index, leaf: leafHashText(r.data!) });
    // every other record as a leaf: the same tree as from the data
    const mixed = rows.map((r) => (r.index % 2 ? asLeaf(r) : r));
    expect(await verify(mixed, checkpoints)).toMatchObject({ ok: true, size: 30, checkpoints: checkpoints.length });
    // a leaf that is not the record's (a store that got it wrong) is caught by the first checkpoint over it
    const wrong = rows.map((r) => (r.index === 13 ? { index: 13, leaf: leafHashText(rows[14]!.data!) } : asLeaf(r)));
    expect(await verify(wrong, checkpoints)).toMatchObject({ ok: false, index: 12, problem: 'checkpoint_mismatch', checkpoint: 15 });
  });

  it('opens signed checkpoints with the verifier key, and refuses a bad signature as bad input', async () => {
    const { rows, checkpoints } = makeLog(20);
    const signer = NoteSigner.generate(ORIGIN);
    const verifier = NoteVerifier.parse(signer.verifierKey());
    const notes = checkpoints.map((c) => signCheckpoint(c, signer));
    expect(await verifyLog(rows, { checkpoints: notes, verifier, origin: ORIGIN })).toMatchObject({ ok: true, checkpoints: notes.length });
    const forged = [...notes];
    forged[2] = forged[2]!.replace('\n9\n', '\n8\n');
    await expect(verifyLog(rows, { checkpoints: forged, verifier })).rejects.toThrow(/invalid signature/);
    await expect(verifyLog(rows, { checkpoints: notes })).rejects.toThrow(/verifier key/);
    await expect(verifyLog(rows, { checkpoints: [...checkpoints].reverse() })).rejects.toThrow(/increasing size/);
  });

  it('names the first bad index for each tamper, every time (seeded)', async () => {
    const { rows, checkpoints } = makeLog(120, 4);
    const store = new MemoryNodeStore();
    await store.append(rows.map((r) => r.leafHash));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('byte', 'delete', 'swap', 'truncate', 'duplicate', 'rewrite', 'swap-no-leaves'),
        fc.integer({ min: 0, max: 119 }),
        fc.integer({ min: 0, max: 119 }),
        fc.nat(),
        async (kind, a0, b0, byte) => {
          const t = copy(rows);
          const [a, b] = [Math.min(a0, b0), Math.max(a0, b0)];
          let expected: { index: number; problem: string };
          let entries: LogEntry[] = t;
          switch (kind) {
            case 'byte': {
              const d = t[a]!.data!;
              d[byte % d.length]! ^= 0x01;
              expected = { index: a, problem: 'altered' };
              break;
            }
            case 'delete':
              t.splice(a, 1);
              expected = { index: a, problem: 'removed' };
              break;
            case 'swap': {
              if (a === b) return;
              // Swap the record contents (and their stored leaves: the rows moved, indexes kept).
              const [x, y] = [t[a]!, t[b]!];
              t[a] = { ...y, index: a };
              t[b] = { ...x, index: b };
              expected = { index: a, problem: 'checkpoint_mismatch' };
              break;
            }
            case 'swap-no-leaves': {
              if (a === b) return;
              const [x, y] = [t[a]!, t[b]!];
              entries = t.map((r, i) => ({ index: i, data: (i === a ? y : i === b ? x : r).data }));
              expected = { index: a, problem: 'checkpoint_mismatch' };
              break;
            }
            case 'truncate':
              t.length = a;
              expected = { index: a, problem: 'removed' };
              break;
            case 'duplicate':
              t.splice(a + 1, 0, { ...t[a]! });
              expected = { index: a, problem: 'reordered' };
              break;
            case 'rewrite': {
              // Content and stored leaf both rewritten: only the signed checkpoints can tell.
              const d = Buffer.from(leafData({ id: 'forged' }, newSalt()));
              t[a] = { index: a, data: d, leafHash: leafHash(d) };
              expected = { index: a, problem: 'checkpoint_mismatch' };
              break;
            }
          }
          const r = await verify(entries, checkpoints);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          if (r.problem === 'checkpoint_mismatch') {
            // The checkpoint mismatch names the first index no matching checkpoint vouches for: at or before the change,
            // and after every checkpoint smaller than it.
            const vouched = Math.max(0, ...checkpoints.filter((c) => c.size <= expected.index).map((c) => c.size));
            expect({ index: r.index, problem: r.problem }).toEqual({ index: vouched, problem: expected.problem });
            expect(r.checkpoint).toBeGreaterThan(expected.index);
          } else {
            expect({ index: r.index, problem: r.problem }).toEqual(expected);
          }
          expect(r.message).toContain(String(r.index));
          // With the node table beside the records, every tamper of the records is named exactly.
          const exact = await verifyLog(stream(entries), { checkpoints, origin: ORIGIN, storedNodes: store });
          expect(exact).toMatchObject({ ok: false, index: expected.index, problem: expected.problem === 'checkpoint_mismatch' ? 'altered' : expected.problem });
        },
      ),
      { seed: 1962, numRuns: 300 },
    );
  });

  it('swapping two records whose stored leaves stayed behind names the first of them as altered', async () => {
    const { rows, checkpoints } = makeLog(30);
    const t = copy(rows);
    [t[7]!.data, t[19]!.data] = [t[19]!.data, t[7]!.data];
    expect(await verify(t, checkpoints)).toMatchObject({ ok: false, index: 7, problem: 'altered' });
  });

  it('two signed checkpoints of one size with different roots are a fork, located after the last smaller checkpoint', async () => {
    const { rows, checkpoints } = makeLog(30);
    const other = makeLog(30).checkpoints;
    const forked = [...checkpoints.filter((c) => c.size <= 12), other.find((c) => c.size === 12)!, ...checkpoints.filter((c) => c.size > 12)];
    const r = await verify(rows, forked);
    expect(r).toMatchObject({ ok: false, index: 9, problem: 'checkpoint_mismatch', checkpoint: 12 });
    expect(r.ok || r.message).toMatch(/forked/);
    // The same checkpoint twice is no fork.
    expect(await verify(rows, [...checkpoints, checkpoints[3]!].sort((a, b) => a.size - b.size))).toMatchObject({ ok: true });
  });

  it('an emptied table fails at index 0; a tombstone without its leaf fails where it is', async () => {
    const { rows, checkpoints } = makeLog(10);
    expect(await verify([], checkpoints)).toMatchObject({ ok: false, index: 0, problem: 'removed', checkpoint: 3 });
    const t = copy(rows);
    t[4] = { index: 4, data: null, leafHash: null as unknown as Hash };
    expect(await verify(t, checkpoints)).toMatchObject({ ok: false, index: 4, problem: 'no_leaf' });
    t[4] = { index: 4, data: null, leafHash: rows[4]!.leafHash.subarray(0, 31) };
    expect(await verify(t, checkpoints)).toMatchObject({ ok: false, index: 4, problem: 'altered' });
    expect(await verify([], [])).toMatchObject({ ok: true, size: 0, checkpoints: 0 });
  });

  it('with the stored nodes, names a changed record exactly even without its leaf, and a wrong or missing interior node', async () => {
    const { rows, checkpoints } = makeLog(5000, 250);
    const store = new MemoryNodeStore();
    await store.append(rows.map((r) => r.leafHash));
    const bare = (t: Row[]): LogEntry[] => t.map((r) => ({ index: r.index, data: r.data }));
    const opts = (storedNodes: NodeReader) => ({ checkpoints, origin: ORIGIN, storedNodes });
    expect(await verifyLog(bare(rows), opts(store))).toMatchObject({ ok: true, size: 5000 });
    for (const i of [0, 1, 2047, 4096, 4999]) {
      const t = copy(rows);
      t[i]!.data![10]! ^= 1;
      expect(await verifyLog(bare(t), opts(store))).toMatchObject({ ok: false, index: i, problem: 'altered' });
    }
    // Two records swapped, leaves left in the node table: the first of them.
    const t = copy(rows);
    [t[1000]!.data, t[3000]!.data] = [t[3000]!.data, t[1000]!.data];
    expect(await verifyLog(bare(t), opts(store))).toMatchObject({ ok: false, index: 1000, problem: 'altered' });
    // A store whose node (level 3, index 200) over records 1600..1607 is wrong, or missing.
    const corrupt = (target: NodeId, missing: boolean): NodeReader => ({
      get: async (ids) => {
        if (missing && ids.some((id) => id.level === target.level && id.index === target.index)) throw new Error('no such node');
        return (await store.get(ids)).map((h, i) => (ids[i]!.level === target.level && ids[i]!.index === target.index ? Buffer.alloc(32) : h));
      },
    });
    expect(await verifyLog(bare(rows), opts(corrupt({ level: 3, index: 200 }, false)))).toMatchObject({ ok: false, index: 1600, problem: 'node_mismatch' });
    const gone = await verifyLog(bare(rows), opts(corrupt({ level: 12, index: 0 }, true)));
    expect(gone).toMatchObject({ ok: false, index: 0, problem: 'node_mismatch' });
    expect(gone.ok || gone.message).toMatch(/records 0 to 4095 .*missing/);
  });
});
