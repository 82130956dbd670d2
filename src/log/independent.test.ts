// The independent check: Go's note.Open, tlog.CheckRecord and tlog.CheckTree (Debian's golang-golang-x-mod-dev) verify
// this implementation's checkpoints and proofs for every tree size 1..300, and reject tampered ones. Never skipped:
// if Go cannot be installed and built, this fails and says why.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TlogConsistency, type TlogInclusion, type TlogReceipt, buildTlogcheck, runTlogcheck } from '../../test/go/tlogcheck.js';
import { signCheckpoint } from './checkpoint.js';
import { type Hash, encodeHash, leafData, leafHash, newSalt } from './hash.js';
import { NoteSigner, NoteVerifier, openNote } from './note.js';
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

/** Serves the contract's public log endpoints (section 7) from a node store, as the server does, for tlogcheck's server mode. */
function logServer(store: MemoryNodeStore, checkpoint: () => string, key: string, token: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    const n = (k: string) => Number(u.searchParams.get(k));
    const answer = async () => {
      if (u.pathname === '/v1/log/key') return send(200, `${key}\n`);
      if (u.pathname === '/v1/log/checkpoint') return send(200, checkpoint());
      if (u.pathname === '/v1/log/consistency') return send(200, JSON.stringify({ proof: (await consistencyProof(n('from'), n('to'), store)).map(encodeHash) }));
      if (u.pathname === '/v1/log/inclusion') {
        if (req.headers.authorization !== `Bearer ${token}`) return send(401, '{}');
        const [leaf] = await store.get([{ level: 0, index: n('index') }]);
        return send(200, JSON.stringify({ leaf_hash: encodeHash(leaf!), proof: (await inclusionProof(n('index'), n('size'), store)).map(encodeHash) }));
      }
      return send(404, '{}');
    };
    answer().catch((e: Error) => send(400, JSON.stringify({ error: { message: e.message } })));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('tlogcheck against a running server, across restarts', () => {
  it('checks every receipt and every checkpoint seen against the current tree, and catches a rewritten history', async () => {
    const signer = NoteSigner.generate(ORIGIN);
    const store = new MemoryNodeStore();
    let head = '';
    const receipts: TlogReceipt[] = [];
    const seen: string[] = [];
    // Each round: append a few records (each answered with a receipt), then "restart" the server on a new port.
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < 3 + round * 5; k++) {
        const leaf = leafHash(leafData({ round, k }, newSalt()));
        const root = await store.append([leaf]);
        head = signCheckpoint({ origin: ORIGIN, size: store.size, root }, signer);
        receipts.push({ checkpoint: head, index: store.size - 1, leaf_hash: encodeHash(leaf), inclusion_proof: (await inclusionProof(store.size - 1, store.size, store)).map(encodeHash) });
      }
      const { url, server } = await logServer(store, () => head, signer.verifierKey(), 'auditor-token');
      try {
        const { status, output } = await runTlogcheck({ server: url, token: 'auditor-token', origin: ORIGIN, key: signer.verifierKey(), checkpoints: seen, receipts });
        expect(output.errors).toEqual([]);
        expect(status).toBe(0);
        expect(output.current_size).toBe(store.size);
        expect(output.checked.receipts).toBe(receipts.length);
        // One consistency proof per earlier checkpoint and receipt smaller than the head, one inclusion per receipt.
        expect(output.checked.server_proofs).toBeGreaterThan(receipts.length);
        seen.push(output.current!);
      } finally {
        await new Promise((r) => server.close(r));
      }
    }

    // A server that rewrote record 2 and re-signed everything with the same key: the old receipts and checkpoints
    // are not consistent with its tree.
    const forged = new MemoryNodeStore();
    const leaves = (await store.get([...Array(store.size).keys()].map((index) => ({ level: 0, index })))) as Hash[];
    leaves[2] = leafHash(Buffer.from('rewritten'));
    const forgedRoot = await forged.append(leaves);
    const forgedHead = signCheckpoint({ origin: ORIGIN, size: forged.size, root: forgedRoot }, signer);
    const { url, server } = await logServer(forged, () => forgedHead, signer.verifierKey(), 'auditor-token');
    try {
      const { status, output } = await runTlogcheck({ server: url, token: 'auditor-token', origin: ORIGIN, checkpoints: seen, receipts });
      expect(status).toBe(1);
      expect(output.errors.some((e) => /^server consistency \d+ to \d+: tlog.CheckTree/.test(e))).toBe(true);
      expect(output.errors.some((e) => /^server inclusion 2 in \d+: the server's leaf hash/.test(e))).toBe(true);
      // Receipts of records 0 and 1 were signed before the change: only consistency (not their own proofs) fails.
      expect(output.errors.filter((e) => /^receipt/.test(e))).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('notes: this parser and Go\'s note.Open agree', () => {
  it('on valid notes and on thousands of mutated ones, accepting the same and reading the same text (seeded)', async () => {
    const signer = NoteSigner.generate(ORIGIN);
    const other = NoteSigner.generate(ORIGIN);
    const verifier = NoteVerifier.parse(signer.verifierKey());
    const root = leafHash(Buffer.from('root'));
    const base = [
      signCheckpoint({ origin: ORIGIN, size: 12, root }, signer),
      signCheckpoint({ origin: ORIGIN, size: 0, root, extensions: ['an extension line'] }, signer),
      // Two signatures, the known one second; the same signature twice; only another key's signature.
      `${other.sign('a\nb\n')}${signer.sign('a\nb\n').split('\n\n')[1]}`,
      `${signer.sign('x\n')}${signer.sign('x\n').split('\n\n')[1]}`,
      other.sign('y\n'),
    ];
    // Mutations a note can suffer: a character replaced, inserted or deleted, a line doubled or dropped.
    const alphabet = ['\n', ' ', '—', '-', '+', '=', 'A', '/', 'é', '\u2028', '\ufeff', '\u00a0', '\t', '\r', '\x01', '\x7f', '0', '9', 'x'];
    const mutation = fc.tuple(fc.constantFrom('replace', 'insert', 'delete', 'dupline', 'dropline'), fc.nat(), fc.constantFrom(...alphabet));
    const notes: string[] = [...base];
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.array(mutation, { minLength: 1, maxLength: 3 }), (note, ms) => {
        let t = note;
        for (const [op, at, ch] of ms) {
          const i = at % (t.length + 1);
          if (op === 'replace') t = t.slice(0, i) + ch + t.slice(i + 1);
          else if (op === 'insert') t = t.slice(0, i) + ch + t.slice(i);
          else if (op === 'delete') t = t.slice(0, i) + t.slice(i + 1);
          else {
            const lines = t.split('\n');
            const j = at % lines.length;
            lines.splice(j, op === 'dupline' ? 0 : 1, ...(op === 'dupline' ? [lines[j]!] : []));
            t = lines.join('\n');
          }
        }
        notes.push(t);
      }),
      { seed: 8032, numRuns: 3000 },
    );
    const { output } = await runTlogcheck({ key: signer.verifierKey(), notes });
    const go = output.opened!;
    expect(go).toHaveLength(notes.length);
    const ts = notes.map((n) => {
      try {
        return openNote(n, [verifier]).text;
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    });
    const disagree = notes.map((n, i) => ({ note: n, go: go[i]!, ts: ts[i]! })).filter((x) => x.go.startsWith('error: ') !== x.ts.startsWith('error: ') || (!x.go.startsWith('error: ') && x.go !== x.ts));
    expect(disagree).toEqual([]);
    // The mutations must exercise both sides: many notes refused, and some still valid.
    expect(go.filter((g) => !g.startsWith('error: ')).length).toBeGreaterThan(50);
    expect(go.filter((g) => g.startsWith('error: ')).length).toBeGreaterThan(1000);
  });
});
