// Contact log benchmarks over the in-memory node store: appends, inclusion and consistency proofs at 1M records (against
// recomputing them from the leaves, the peer), and `log verify` of 1M records (against bare canonicalise-and-hash).
//   npx tsc -p bench/tsconfig.json && node dist-bench/bench/log/log-bench.js        # BENCH_LOG_N=1000000 by default
// Prints a human summary on stderr and one JSON object as the last line of stdout.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type Checkpoint,
  type Hash,
  type LogEntry,
  MemoryNodeStore,
  NoteSigner,
  NoteVerifier,
  TreeBuilder,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  leafData,
  leafHash,
  nodeHash,
  rootHash,
  signCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
} from '../../src/log/index.js';
import { buildTlogcheck } from '../../test/go/tlogcheck.js';
import { mulberry32 as prng } from '../lib/scenarios.js';
import { median } from '../lib/timing.js';

const N = Number(process.env.BENCH_LOG_N ?? 1_000_000);
const PROOFS = Number(process.env.BENCH_LOG_PROOFS ?? 20_000);
const BATCH = 32; // leaves per append, as a group commit of 32 clients would hand them over
const CHECKPOINT_EVERY = 100; // one signed checkpoint per this many records in the verify run
const log = (m: string) => process.stderr.write(`${m}\n`);

const AGENTS = ['ice_ero', 'ice_hsi', 'cbp', 'other_federal', 'unknown'];
const ACTIONS = ['declined', 'complied', 'partially_complied', 'referred_to_supervisor', 'referred_to_counsel'];
/** A stored contact record as the store would read it back (section 7 fields, its decision, who recorded it). */
function record(i: number) {
  return {
    id: `01JQ${i.toString(36).padStart(10, '0')}`,
    recorded_at: new Date(1_773_000_000_000 + i * 1000).toISOString(),
    occurred_at: '2026-03-10T14:05:00-05:00',
    scenario: { jurisdiction: 'us/md/alpha-county', agency: 'corrections', request: 'detain_past_release', date: '2026-03-10', facts: { judicial_warrant: i % 3 === 0 } },
    agent: AGENTS[i % 5],
    action: ACTIONS[(i >> 2) % 5],
    site: `site-${i % 40}`,
    decision: { outcome: i % 2 ? 'prohibited' : 'allowed', policy_version: 'p-2026-03-01', governing: ['alpha-order#no-holds'] },
    deviation: i % 17 === 0,
    recorded_by: `user-${i % 50}`,
  };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const stats = (us: number[]) => {
  const s = [...us].sort((a, b) => a - b);
  return { medianUs: median(s), p99Us: s[Math.floor(s.length * 0.99)]!, maxUs: s[s.length - 1]!, meanUs: s.reduce((a, b) => a + b, 0) / s.length };
};
const fmt = (x: { medianUs: number; p99Us: number; meanUs: number }) => `median ${x.medianUs.toFixed(1)} µs, mean ${x.meanUs.toFixed(1)} µs, p99 ${x.p99Us.toFixed(1)} µs`;

// 1. The records' leaf data (real-shaped records with 32-byte salts, canonicalised), kept as the store would keep them
// (the bytes verbatim), and their leaf hashes, appended in batches.
const salts = randomBytes(32 * N);
const saltOf = (i: number) => salts.subarray(32 * i, 32 * i + 32);
const leaves = Buffer.alloc(32 * N);
const offsets = new Float64Array(N + 1);
let stored = Buffer.alloc(600 * N);
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  const d = leafData(record(i), saltOf(i));
  if (offsets[i]! + d.length > stored.length) {
    const bigger = Buffer.alloc(stored.length * 2);
    stored.copy(bigger);
    stored = bigger;
  }
  stored.set(d, offsets[i]!);
  offsets[i + 1] = offsets[i]! + d.length;
  leaves.set(leafHash(d), 32 * i);
}
const leafMs = performance.now() - t0;
const storedOf = (i: number) => stored.subarray(offsets[i]!, offsets[i + 1]!);
const leafOf = (i: number): Hash => leaves.subarray(32 * i, 32 * i + 32);
const store = new MemoryNodeStore();
t0 = performance.now();
for (let at = 0; at < N; at += BATCH) {
  const batch: Hash[] = [];
  for (let i = at; i < Math.min(N, at + BATCH); i++) batch.push(leafOf(i));
  await store.append(batch);
}
const appendMs = performance.now() - t0;
const root = await rootHash(N, store);
log(`leaves: ${N} records canonicalised and hashed in ${leafMs.toFixed(0)} ms; appended in batches of ${BATCH} in ${appendMs.toFixed(0)} ms (${((N / appendMs) * 1000).toFixed(0)} leaves/s)`);

// 2. Proofs at size N (and at random sizes near N), timed one by one (wall clock), and the CPU time of the whole
// loop (on a shared machine the CPU time is what the work costs; the wall clock adds the waits for a core).
const rand = prng(9162);
const incUs: number[] = [];
const conUs: number[] = [];
const asked: { m: number; size: number; first: number }[] = [];
const proofsCpu = process.cpuUsage();
for (let k = 0; k < PROOFS; k++) {
  const size = k % 2 ? N : N - Math.floor(rand() * 1000);
  const m = Math.floor(rand() * size);
  const first = 1 + Math.floor(rand() * size);
  let t = performance.now();
  await inclusionProof(m, size, store);
  incUs.push((performance.now() - t) * 1000);
  t = performance.now();
  await consistencyProof(first, size, store);
  conUs.push((performance.now() - t) * 1000);
  if (k % 10 === 0) asked.push({ m, size, first });
}
const cpuPerProofUs = cpuMs(process.cpuUsage(proofsCpu)) * 1000 / (2 * PROOFS);
for (const { m, size, first } of asked) {
  const r = await rootHash(size, store);
  const ok = verifyInclusion(m, size, leafOf(m), await inclusionProof(m, size, store), r)
    && verifyConsistency(first, size, await rootHash(first, store), r, await consistencyProof(first, size, store));
  if (!ok) throw new Error('a proof did not verify');
}
const checked = asked.length;
const inclusion = stats(incUs);
const consistency = stats(conUs);
log(`inclusion proof at ${N}: ${fmt(inclusion)}`);
log(`consistency proof at ${N}: ${fmt(consistency)}  (${checked} of each verified); CPU time per proof ${cpuPerProofUs.toFixed(1)} µs`);

// 2b. The peer: the same proof without stored nodes, recomputing the subtree hashes from the leaves (what the
// stored nodes save). The sibling hashes of leaf m in a tree of N leaves need every other leaf hashed up.
function recomputedInclusion(m: number, n: number): Hash[] {
  // The same proof plan, each element hashed up from its leaves instead of read from stored nodes.
  return inclusionPlan(m, n).groups.map((g) => {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    const b = new TreeBuilder();
    for (let i = first.index * 2 ** first.level; i < (last.index + 1) * 2 ** last.level; i++) b.push(leafOf(i));
    return b.root();
  });
}
const peerUs: number[] = [];
for (let k = 0; k < 3; k++) {
  const m = Math.floor(rand() * N);
  const t = performance.now();
  const p = recomputedInclusion(m, N);
  peerUs.push((performance.now() - t) * 1000);
  if (!verifyInclusion(m, N, leafOf(m), p, root)) throw new Error('the recomputed proof did not verify');
}
const peer = stats(peerUs);
log(`peer, inclusion proof recomputed from the leaves at ${N}: ${fmt(peer)}; stored nodes are ${(peer.medianUs / inclusion.medianUs).toFixed(0)}x faster`);

// 2c. The other peer: Go's golang.org/x/mod/sumdb/tlog (ProveRecord, ProveTree) over its own in-memory hash store.
const go = spawnSync(buildTlogcheck(), ['-bench', String(N), '-proofs', String(Math.min(PROOFS, 5000))], { encoding: 'utf8', maxBuffer: 1 << 20 });
if (go.status !== 0) throw new Error(`tlogcheck -bench failed: ${go.stderr}`);
const goPeer = JSON.parse(go.stdout) as { appendMs: number; inclusionMedianUs: number; consistencyMedianUs: number };
log(`peer, Go tlog at ${N}: inclusion median ${goPeer.inclusionMedianUs.toFixed(1)} µs, consistency median ${goPeer.consistencyMedianUs.toFixed(1)} µs, ${N} appends in ${goPeer.appendMs.toFixed(0)} ms`);

// 3. log verify of N records: hash each record's stored leaf data, compare with the stored leaf, check checkpoints.
const signer = NoteSigner.generate('bench.trustrules/contacts');
const verifier = NoteVerifier.parse(signer.verifierKey());
const checkpoints: Checkpoint[] = [];
{
  const b = new TreeBuilder();
  for (let i = 0; i < N; i++) {
    b.push(leafOf(i));
    if ((i + 1) % CHECKPOINT_EVERY === 0 || i === N - 1) checkpoints.push({ origin: signer.name, size: i + 1, root: b.root() });
  }
}
t0 = performance.now();
const notes = checkpoints.map((c) => signCheckpoint(c, signer));
const signMs = performance.now() - t0;
function* fromStored(): Generator<LogEntry> {
  for (let i = 0; i < N; i++) yield { index: i, data: storedOf(i), leafHash: leafOf(i) };
}
const cpu: Record<string, number> = {};
const timed = async (what: string, run: () => Promise<{ ok: boolean }>) => {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = await run();
  cpu[what] = cpuMs(process.cpuUsage(c));
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${what}: verify failed: ${JSON.stringify(r)}`);
  return ms;
};
const verifyMs = await timed('stored', () => verifyLog(fromStored(), { checkpoints, origin: signer.name }));
const verifySignedMs = await timed('signed', () => verifyLog(fromStored(), { checkpoints: notes, verifier, origin: signer.name }));
const verifyNodesMs = await timed('nodes', () => verifyLog(fromStored(), { checkpoints: notes, verifier, origin: signer.name, storedNodes: store }));
// From the records themselves: build each record object and canonicalise it again (a store that keeps only JSON
// columns pays this); building and canonicalising is timed apart from verify's own work.
let produceMs = 0;
function* fromRecords(): Generator<LogEntry> {
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const data = leafData(record(i), saltOf(i));
    produceMs += performance.now() - t;
    yield { index: i, data, leafHash: leafOf(i) };
  }
}
const verifyRecordsMs = await timed('records', () => verifyLog(fromRecords(), { checkpoints, origin: signer.name }));
// The peer: the least any verifier must do, one SHA-256 leaf hash of each stored record, nothing else.
t0 = performance.now();
const bareCpu = process.cpuUsage();
let x = 0;
for (let i = 0; i < N; i++) x ^= leafHash(storedOf(i))[0]!;
cpu.bare = cpuMs(process.cpuUsage(bareCpu));
const bareMs = performance.now() - t0;
log(`verify ${N} records from their stored leaf data, ${checkpoints.length} checkpoints: ${verifyMs.toFixed(0)} ms parsed; ${verifySignedMs.toFixed(0)} ms opening the signed notes (signing them took ${signMs.toFixed(0)} ms); ${verifyNodesMs.toFixed(0)} ms also comparing every stored node`);
log(`CPU time: verify ${cpu.stored!.toFixed(0)} ms parsed, ${cpu.signed!.toFixed(0)} ms signed, ${cpu.nodes!.toFixed(0)} ms with nodes`);
log(`peer, one leaf hash per stored record and nothing else: ${bareMs.toFixed(0)} ms, CPU ${cpu.bare.toFixed(0)} ms (verify is ${(verifyMs / bareMs).toFixed(2)}x that, CPU ${(cpu.stored! / cpu.bare).toFixed(2)}x)`);
log(`verify from the record objects, canonicalising each again: ${verifyRecordsMs.toFixed(0)} ms, of which ${produceMs.toFixed(0)} ms building and canonicalising`);

console.log(
  JSON.stringify({
    n: N,
    batch: BATCH,
    leafMs,
    appendMs,
    proofs: PROOFS,
    inclusion,
    consistency,
    peerRecomputedInclusion: peer,
    peerGo: goPeer,
    checkpoints: checkpoints.length,
    verifyMs,
    verifySignedMs,
    verifyNodesMs,
    verifyRecordsMs,
    verifyRecordsProduceMs: produceMs,
    bareLeafHashMs: bareMs,
    cpuPerProofUs,
    cpuMs: cpu,
    load: os.loadavg(),
    checksum: x,
  }),
);
