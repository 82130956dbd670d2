// Where the analysis endpoints' work runs: a small bounded pool of worker threads (piscina), so that the event loop
// that answers POST /v1/decide never computes a table; each task has a time budget (anonymous callers 30 s, from
// arrival to the last byte), a reader that stops reading is cut off, and a full queue is a 503 that says when to retry.
// Under the test runner (sources, not dist/) the work runs in process, exactly the same code, without the thread.
import os from 'node:os';
import { Readable } from 'node:stream';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { contractErrorOf, type ContractError } from '../app/errors.js';
import type { EnginePool } from '../app/pool.js';
import { chunkStream } from '../app/output.js';
import type { Corpus } from '../policy/corpus.js';
import { lazyCorpusStats } from '../policy/lazyCorpus.js';
import { analysisAnswer, type AnalysisBounds, type AnalysisTask } from './analysisWork.js';
import type { WorkerMessage } from './analysisWire.js';
import type { AnalysisWorkerData } from './analysisWorker.js';

/** An analysis answer: a whole body (refusals, errors, small answers) or a stream. */
export type AnalysisResult =
  | { readonly status: number; readonly contentType: string; readonly body: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: 200; readonly contentType: string; readonly stream: Readable };

/** Runs analysis tasks somewhere other than (or, in tests, like) the request's own handler. */
export interface AnalysisRunner {
  /** Runs a task; `signal` aborts it (the client went away). Never rejects for a refusal: that is a result. */
  run(task: AnalysisTask, signal?: AbortSignal): Promise<AnalysisResult>;
  /** Stops the threads (tasks still running are cut). */
  close(): Promise<void>;
  /** Worker threads (0: in process). */
  readonly threads: number;
}

/** Most tasks waiting for a thread before new ones are answered 503. */
export const DEFAULT_ANALYSIS_QUEUE = 32;
/** How long a reader may leave a stream unread before it is cut (its thread is needed). */
export const STALL_MS = 30_000;

const JSON_TYPE = 'application/json; charset=utf-8';

/** Threads by default: one fewer than the cores (the event loop keeps one), at least one, at most four. */
export function defaultAnalysisThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

const refusal = (e: ContractError, headers?: Record<string, string>): AnalysisResult => ({
  status: e.httpStatus, contentType: JSON_TYPE, body: JSON.stringify(e.body()), ...(headers ? { headers } : {}),
});

const failure = (requestId = ''): AnalysisResult => ({
  status: 500, contentType: JSON_TYPE,
  body: JSON.stringify({ error: { path: '(server)', given: null, message: `internal error${requestId}; see the server log` } }),
});

/** The refusal of a task over its time budget before its answer began. */
function overBudget(task: AnalysisTask): AnalysisResult {
  const seconds = task.bounds.budgetMs / 1000;
  const error = {
    path: '(request)', given: `${task.kind} over ${seconds} s`, allowed: [`at most ${seconds} s${task.anonymous ? ' without a token' : ''}`],
    message: `this ${task.kind} took longer than the ${seconds} s a request may take${task.anonymous ? ' without a token' : ''}; `
      + 'ask for less (one jurisdiction, agency= and request= to narrow it)'
      + (task.anonymous ? ', or send Authorization: Bearer <token>' : ''),
  };
  return { status: task.anonymous ? 403 : 503, contentType: JSON_TYPE, body: JSON.stringify({ error }) };
}

/** The work in this thread: for the test runner, which runs the sources (a worker thread cannot load .ts files). */
export function inProcessAnalysis(corpus: Corpus, pool: EnginePool): AnalysisRunner {
  return {
    threads: 0,
    async run(task) {
      try {
        const answer = analysisAnswer(corpus, pool, task);
        return { status: 200, contentType: answer.contentType, stream: chunkStream(answer.chunks) };
      } catch (e) {
        const r = contractErrorOf(e, corpus);
        if (r) return refusal(r);
        throw e;
      }
    },
    close: async () => undefined,
  };
}

/** How the thread pool is set up. */
export interface ThreadedAnalysisOptions {
  readonly threads: number;
  readonly queue?: number;
  readonly workerData: AnalysisWorkerData;
  /** The worker's compiled file (default: analysisWorker.js beside this module). */
  readonly filename?: string;
  /** Where defects are reported (the server's log). */
  readonly onDefect?: (message: string) => void;
  /** How long a reader may leave a stream unread (default STALL_MS). */
  readonly stallMs?: number;
}

/** The pool of worker threads. */
export function threadedAnalysis(options: ThreadedAnalysisOptions): AnalysisRunner {
  const filename = options.filename ?? new URL('./analysisWorker.js', import.meta.url).href;
  const queue = options.queue ?? DEFAULT_ANALYSIS_QUEUE;
  // The queue is bounded here, before piscina (whose maxQueue also counts capacity it expects to free).
  const pool = new Piscina({ filename, minThreads: options.threads, maxThreads: options.threads, idleTimeout: 60_000, workerData: options.workerData });
  const busy: AnalysisResult = {
    status: 503, contentType: JSON_TYPE, headers: { 'retry-after': '5' },
    body: JSON.stringify({ error: {
      path: '(server)', given: null, allowed: ['retry after 5 s'],
      message: `every analysis thread is busy and ${queue} requests are waiting; retry in a few seconds`,
    } }),
  };
  const defect = options.onDefect ?? (() => undefined);
  // A thread that dies outside a task (it could not start) is reported, never an uncaught 'error' that ends the server.
  pool.on('error', (e: Error) => defect(`analysis thread: ${e.message}`));
  return {
    threads: options.threads,
    async run(task, signal) {
      if (pool.queueSize >= queue) return busy;
      const { port1, port2 } = new MessageChannel();
      const abort = new AbortController();
      let stream: Readable | undefined;
      let complete = false;
      let settle: (r: AnalysisResult) => void = () => undefined;
      const result = new Promise<AnalysisResult>((resolve) => (settle = resolve));
      let stall: NodeJS.Timeout | undefined;
      const budget = setTimeout(() => abort.abort(new Error('over budget')), task.bounds.budgetMs);
      const onClientGone = () => abort.abort(new Error('client gone'));
      const finish = () => {
        clearTimeout(budget);
        clearTimeout(stall);
        signal?.removeEventListener('abort', onClientGone);
        port1.close();
      };
      signal?.addEventListener('abort', onClientGone, { once: true });
      if (signal?.aborted) onClientGone();

      port1.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'refused':
            finish();
            settle({ status: m.status, contentType: JSON_TYPE, body: JSON.stringify(m.body) });
            return;
          case 'head':
            stream = new Readable({
              // Each read asks the worker for one more chunk; a reader that stops asking is cut after STALL_MS.
              read() {
                clearTimeout(stall);
                stall = setTimeout(() => abort.abort(new Error('reader stalled')), options.stallMs ?? STALL_MS);
                port1.postMessage('more');
              },
              destroy(err, done) {
                // Destroyed before the end (the client went away, or the stream was cut): stop the work too.
                if (!complete) {
                  port1.postMessage('stop');
                  abort.abort(new Error('stream closed'));
                }
                done(err);
              },
            });
            settle({ status: 200, contentType: m.contentType, stream });
            return;
          case 'chunk':
            stream?.push(m.text);
            return;
          case 'end':
            complete = true;
            finish();
            stream?.push(null);
            return;
          case 'failed':
            finish();
            defect(m.message);
            if (stream) stream.destroy(new Error('analysis failed'));
            else settle(failure());
        }
      });

      pool.run({ task, port: port2 }, { transferList: [port2], signal: abort.signal }).then(
        () => undefined,
        (e: Error) => {
          const reason = abort.signal.aborted ? (abort.signal.reason as Error | undefined)?.message : undefined;
          finish();
          if (stream) {
            // The answer had begun: all that can be done is to cut it (the client sees a truncated body).
            if (!stream.destroyed && !stream.readableEnded) stream.destroy(new Error(`analysis ${reason ?? 'failed'}`));
            return;
          }
          if (reason === 'over budget') return settle(overBudget(task));
          if (reason) return settle(failure());
          defect(e.message);
          settle(failure());
        },
      );
      return result;
    },
    close: () => pool.destroy(),
  };
}

/** What the server builds its runner from. */
export interface AnalysisRunnerSetup {
  readonly corpus: Corpus;
  readonly engines: EnginePool;
  /** The server's own what-if, which every worker's engines assume too. */
  readonly defaults: { readonly assumeInForce?: readonly string[] | undefined; readonly assumeNotInForce?: readonly string[] | undefined };
  readonly onDefect?: (message: string) => void;
  readonly options?: AnalysisOptions | undefined;
}

/** How a server runs analysis (ServerOptions.analysis). */
export interface AnalysisOptions {
  /** Worker threads: 0 runs in process; default defaultAnalysisThreads() from dist/, 0 from the sources (tests). */
  readonly threads?: number;
  /** Most requests waiting for a thread (default DEFAULT_ANALYSIS_QUEUE). */
  readonly queue?: number;
  /** How long a reader may leave a stream unread before it is cut (default STALL_MS). */
  readonly stallMs?: number;
  /** Bounds without a token, and with one (default ANONYMOUS_BOUNDS, TOKEN_BOUNDS). */
  readonly anonymous?: AnalysisBounds;
  readonly token?: AnalysisBounds;
}

/** The runner a server uses: threads from the built package, in process under the test runner or when asked. */
export function analysisRunnerFor(setup: AnalysisRunnerSetup): AnalysisRunner {
  const fromSources = import.meta.url.endsWith('.ts');
  const o = setup.options ?? {};
  const threads = o.threads ?? (fromSources ? 0 : defaultAnalysisThreads());
  if (threads <= 0) return inProcessAnalysis(setup.corpus, setup.engines);
  // Workers get a loaded corpus by structured clone (tens of ms); a corpus opened lazily (its parts read on demand), or
  // one that cannot be cloned, is opened from its folder by each worker on its first task.
  let workerData: AnalysisWorkerData;
  try {
    if (lazyCorpusStats(setup.corpus)) throw new Error('opened lazily');
    workerData = { corpus: structuredClone(setup.corpus), defaults: { assumeInForce: setup.defaults.assumeInForce ?? [], assumeNotInForce: setup.defaults.assumeNotInForce ?? [] } };
  } catch {
    workerData = { policies: setup.corpus.root, defaults: { assumeInForce: setup.defaults.assumeInForce ?? [], assumeNotInForce: setup.defaults.assumeNotInForce ?? [] } };
  }
  return threadedAnalysis({
    threads, workerData, ...(o.queue ? { queue: o.queue } : {}), ...(o.stallMs ? { stallMs: o.stallMs } : {}), ...(setup.onDefect ? { onDefect: setup.onDefect } : {}),
  });
}
