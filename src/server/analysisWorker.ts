// A worker thread of the analysis pool (analysisRunner.ts): its own corpus and engines, one task at a time, the answer
// sent back over the task's MessagePort in chunks, each only once the reader asked for more (back-pressure).
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { contractErrorOf } from '../app/errors.js';
import { batched } from '../app/output.js';
import { EnginePool, type WhatIf } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import { loadCorpusOrThrow } from '../policy/load.js';
import { vocabulary } from '../vocabulary/vocabulary.js';
import { analysisAnswer, type AnalysisTask } from './analysisWork.js';
import type { WorkerMessage } from './analysisWire.js';

/** What every worker is started with: the corpus (cloned) or the folder to load it from, and the server's what-if. */
export interface AnalysisWorkerData {
  readonly corpus?: Corpus;
  readonly policies?: string;
  readonly defaults?: WhatIf;
}

const data = workerData as AnalysisWorkerData;
vocabulary(); // registers the project vocabulary in this thread, as the main thread's start does
// Opened on the first task, lazily like the server's own corpus: a worker started with the server costs no corpus
// until an analysis needs one, and then reads the compiled folders back from the cache the server shares.
let opened: { corpus: Corpus; pool: EnginePool } | undefined;
const open = () => {
  if (opened) return opened;
  const corpus = data.corpus ?? loadCorpusOrThrow(data.policies, { lazy: true });
  return (opened = { corpus, pool: new EnginePool(corpus, { defaults: data.defaults ?? {} }) });
};

/** Chunks sent before the reader must ask for more: two in flight, so the socket never waits on the thread. */
const WINDOW = 2;

/** Runs one task, writing its answer to `port`; resolves once the last chunk is sent (or the reader went away). */
export default async function runAnalysis({ task, port }: { task: AnalysisTask; port: MessagePort }): Promise<void> {
  let credits = WINDOW;
  let closed = false;
  let wake: (() => void) | undefined;
  port.on('message', (m: 'more' | 'stop') => {
    if (m === 'stop') closed = true;
    else credits++;
    wake?.();
  });
  port.on('close', () => {
    closed = true;
    wake?.();
  });
  const send = (m: WorkerMessage) => port.postMessage(m);
  try {
    let answer;
    const { corpus, pool } = open();
    try {
      answer = analysisAnswer(corpus, pool, task);
    } catch (e) {
      const refusal = contractErrorOf(e, corpus);
      if (!refusal) throw e;
      send({ type: 'refused', status: refusal.httpStatus, body: refusal.body() });
      return;
    }
    send({ type: 'head', contentType: answer.contentType });
    for (const text of batched(answer.chunks)) {
      while (credits === 0 && !closed) await new Promise<void>((resolve) => (wake = resolve));
      if (closed) return;
      credits--;
      send({ type: 'chunk', text });
    }
    send({ type: 'end' });
  } catch (e) {
    // A defect: the main thread answers 500 (or cuts the stream) and logs it; the message carries no stack to a user.
    send({ type: 'failed', message: (e as Error).message ?? String(e) });
  } finally {
    port.close();
  }
}
