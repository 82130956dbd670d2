// The independent check: Go's note.Open, tlog.CheckRecord and tlog.CheckTree (Debian's golang-golang-x-mod-dev) verify
// this implementation's checkpoints and proofs for every tree size 1..300, and reject tampered ones. Never skipped:
// if Go cannot be installed and built, this fails and says why.
import { describe, expect, it } from 'vitest';
import { type TlogConsistency, type TlogInclusion, buildTlogcheck, runTlogcheck } from '../../test/go/tlogcheck.js';
import { signCheckpoint } from './checkpoint.js';
import { encodeHash, leafData, leafHash, newSalt } from './hash.js';
import { NoteSigner } from './note.js';
import { MemoryNodeStore, consistencyProof, inclusionProof, rootHash } from './tree.js';

const ORIGIN = 'trustrules.test/contacts';
const N = 300;

// Records shaped like contact records, each with its own salt, appended in uneven batches as group commit would.
async function log() {
  const signer = NoteSigner.generate(ORIGIN);
  const store = new MemoryNodeStore();
  const leaves: Buffer[] = [];
  const agents = ['ice_ero', 'ice_hsi', 'cbp', 'other_federal', 'unknown'];
  for (let i = 0; i < N; i++) {
    const record = { id: `c-${i}`, occurred_at: '2026-03-10T14:05:00-05:00', agent: agents[i % 5], action: 'declined', jurisdiction: 'us/md/alpha-county', n: i };
    leaves.push(leafHash(leafData(record, newSalt())) as Buffer);
  }
  const checkpoints: string[] = [];
  for (let at = 0, b = 1; at < N; b = (b % 7) + 1) {
    const batch = leaves.slice(at, at + b);
    await store.append(batch);
    at += batch.length;
    // A checkpoint for every size, as if each record were committed alone (sizes between batches are roots of prefixes).
  }
  for (let n = 1; n <= N; n++) checkpoints.push(signCheckpoint({ origin: ORIGIN, size: n, root: await rootHash(n, store) }, signer));
  return { signer, store, leaves, checkpoints };
}

describe('Go (golang.org/x/mod/sumdb) verifies the log', () => {
  it('builds the Go checker', () => {
    expect(buildTlogcheck()).toMatch(/tlogcheck-[0-9a-f]{16}$/);
  });

  it('accepts every checkpoint, inclusion proof and consistency proof for every tree size 1..300, equal to Go\'s own', async () => {
    const { signer, store, leaves, checkpoints } = await log();
    const inclusion: TlogInclusion[] = [];
    const consistency: TlogConsistency[] = [];
    for (let n = 1; n <= N; n++) {
      // Every leaf of the small trees; for larger ones the first, last, middle and a spread of leaves.
      const indexes = n <= 64 ? [...Array(n).keys()] : [...new Set([0, 1, n - 2, n - 1, n >> 1, ...Array.from({ length: 12 }, (_, j) => Math.floor((j * 7919 + n * 31) % n))])];
      for (const m of indexes) inclusion.push({ index: m, size: n, leaf_hash: encodeHash(leaves[m]!), proof: (await inclusionProof(m, n, store)).map(encodeHash) });
      const froms = n <= 64 ? [...Array(n).keys()].map((x) => x + 1) : [...new Set([1, 2, n - 1, n, n >> 1, ...Array.from({ length: 12 }, (_, j) => 1 + Math.floor((j * 104729 + n * 17) % n))])];
      for (const m of froms) consistency.push({ from: m, to: n, proof: (await consistencyProof(m, n, store)).map(encodeHash) });
    }
    const { status, output } = await runTlogcheck({ key: signer.verifierKey(), origin: ORIGIN, checkpoints, leaves: leaves.map(encodeHash), inclusion, consistency });
    expect(output.errors).toEqual([]);
    expect(status).toBe(0);
    expect(output.checked).toMatchObject({ checkpoints: N, roots: N, inclusion: inclusion.length, consistency: consistency.length });
    expect(inclusion.length).toBeGreaterThan(5000);
    expect(consistency.length).toBeGreaterThan(5000);
  });

  it('rejects exactly the tampered items: a flipped proof hash, a wrong index, a changed leaf, a forged or foreign checkpoint', async () => {
    const { signer, store, leaves, checkpoints } = await log();
    const flip = (b64: string) => { const b = Buffer.from(b64, 'base64'); b[5]! ^= 0x10; return b.toString('base64'); };
    const inc = async (tag: string, m: number, n: number) => ({ tag, index: m, size: n, leaf_hash: encodeHash(leaves[m]!), proof: (await inclusionProof(m, n, store)).map(encodeHash) });
    const con = async (tag: string, m: number, n: number) => ({ tag, from: m, to: n, proof: (await consistencyProof(m, n, store)).map(encodeHash) });
    const goodInc = await inc('good inclusion', 77, 200);
    const flipped = await inc('flipped inclusion', 77, 200);
    flipped.proof[3] = flip(flipped.proof[3]!);
    const wrongIndex = { ...(await inc('wrong index', 77, 200)), index: 78 };
    const changedLeaf = { ...(await inc('changed leaf', 12, 300)), leaf_hash: flip(encodeHash(leaves[12]!)) };
    const goodCon = await con('good consistency', 100, 300);
    const flippedCon = await con('flipped consistency', 100, 300);
    flippedCon.proof[0] = flip(flippedCon.proof[0]!);
    const shortCon = await con('short consistency', 37, 251);
    shortCon.proof.pop();
    // A checkpoint whose size was edited after signing, and one signed by another key with the same name.
    const forged = checkpoints[9]!.replace(/^(.*\n)10\n/, '$111\n');
    const foreign = signCheckpoint({ origin: ORIGIN, size: 5, root: await rootHash(6, store) }, NoteSigner.generate(ORIGIN));
    const { status, output } = await runTlogcheck({
      key: signer.verifierKey(),
      origin: ORIGIN,
      checkpoints: [...checkpoints, forged, foreign],
      inclusion: [goodInc, flipped, wrongIndex, changedLeaf],
      consistency: [goodCon, flippedCon, shortCon],
    });
    expect(status).toBe(1);
    const tags = output.errors.map((e) => e.split(':')[0]);
    expect(tags).toEqual(['checkpoint 300', 'checkpoint 301', 'flipped inclusion', 'wrong index', 'changed leaf', 'flipped consistency', 'short consistency']);
    expect(output.checked).toMatchObject({ checkpoints: N, inclusion: 1, consistency: 1 });
  });
});
