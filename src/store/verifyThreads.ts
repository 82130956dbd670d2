// Where `log verify` does its per-row work (checkChunk): worker threads from the built package, so that the rows of
// one chunk are checked and hashed while the verifier's thread reads the next and folds the tree from the one before;
// under the test runner (sources, not dist/: a worker thread cannot load .ts files) the same function in this thread.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { reuseCopyBytes } from './database.js';
import { checkChunk, type CheckedChunk } from './verifyChunk.js';
import type { ChunkTask } from './verifyWorker.js';

/** Checks chunks somewhere: answers come back in any order, each for the chunk it was asked about. */
export interface ChunkChecker {
  /** Checks one chunk. The bytes are handed over: the caller must not use them again (they may be moved to a thread). */
  check(bytes: Uint8Array): Promise<CheckedChunk>;
  /** Stops the threads; checks still running are refused. */
  close(): Promise<void>;
  /** Worker threads (0: in this thread). */
  readonly threads: number;
}

/**
 * Threads by default: two, or one on a single core. The rows' work is the larger part (the strict scan and the leaf
 * hash, against the tree's node hashes and the reading), so two threads beside the verifier's own measured faster
 * than one even on two cores (BENCHMARKS.md, "log verify in worker threads").
 */
export function defaultVerifyThreads(): number {
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

/** Whether this module runs from the sources (the test runner), where a worker thread cannot load them. */
export const fromSources = import.meta.url.endsWith('.ts');

/** The checker in this thread: `checkChunk` itself, one chunk after another. */
export function inProcessChecker(): ChunkChecker {
  return {
    threads: 0,
    check: async (bytes) => {
      const checked = checkChunk(bytes);
      // checkChunk keeps nothing of the bytes (it copies what it hands on): their memory can be filled again
      reuseCopyBytes(bytes);
      return checked;
    },
    close: async () => undefined,
  };
}

interface Answer {
  readonly id: number;
  readonly checked?: CheckedChunk;
  readonly error?: { readonly name: string; readonly message: string };
  /** The chunk's bytes, sent back: their memory is filled by a later copy. */
  readonly bytes?: Uint8Array;
}

/** Bytes this small may share their memory with other buffers (Node's pool): copied, not moved, to a thread. */
const POOLED = 8192;

/**
 * `threads` worker threads (verifyWorker.js beside this file), chunks given to them in turn. A thread that fails
 * refuses every check it holds, with its error.
 */
export function threadedChecker(threads: number): ChunkChecker {
  const url = new URL('./verifyWorker.js', import.meta.url);
  const waiting = new Map<number, { resolve: (c: CheckedChunk) => void; reject: (e: unknown) => void; worker: Worker }>();
  let closed = false;
  const fail = (worker: Worker, e: unknown) => {
    for (const [id, w] of waiting) {
      if (w.worker !== worker) continue;
      waiting.delete(id);
      w.reject(e);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.trunc(threads)) }, () => {
    const worker = new Worker(url);
    worker.on('message', (a: Answer) => {
      if (a.bytes) reuseCopyBytes(a.bytes);
      const w = waiting.get(a.id);
      if (!w) return;
      waiting.delete(a.id);
      if (a.checked) {
        w.resolve(a.checked);
      } else {
        const e = new Error(a.error?.message ?? 'the check of a chunk failed');
        e.name = a.error?.name ?? 'Error';
        w.reject(e);
      }
    });
    worker.on('error', (e) => fail(worker, e));
    worker.on('exit', (code) => fail(worker, new Error(`a log verify thread stopped (exit ${code})`)));
    return worker;
  });
  let nextId = 0;
  return {
    threads: workers.length,
    check(bytes) {
      if (closed) return Promise.reject(new Error('the log verify threads are stopped'));
      const id = nextId++;
      const worker = workers[id % workers.length]!;
      // Moved, not copied, unless the bytes might share their memory with others.
      const own = bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength > POOLED ? bytes : new Uint8Array(bytes);
      return new Promise<CheckedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker });
        worker.postMessage({ id, bytes: own } satisfies ChunkTask, [own.buffer as ArrayBuffer]);
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The checker `log verify` uses: `threads` worker threads (default `defaultVerifyThreads()`), 0 for this thread. */
export function chunkChecker(threads?: number): ChunkChecker {
  const n = threads ?? (fromSources ? 0 : defaultVerifyThreads());
  return n > 0 ? threadedChecker(n) : inProcessChecker();
}
