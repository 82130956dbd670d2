// What an analysis worker says to the main thread over a task's MessagePort (and the main thread answers "more" or
// "stop"): a refusal, or a head, chunks and an end; or that it failed.

/** One message from an analysis worker. */
export type WorkerMessage =
  /** Refused before any chunk: an HTTP status and the contract error body. */
  | { readonly type: 'refused'; readonly status: number; readonly body: unknown }
  /** The answer starts: its content type. */
  | { readonly type: 'head'; readonly contentType: string }
  /** The next piece of the answer's text. */
  | { readonly type: 'chunk'; readonly text: string }
  /** The answer is complete. */
  | { readonly type: 'end' }
  /** A defect in the analysis: logged, answered 500 (or the stream cut). */
  | { readonly type: 'failed'; readonly message: string };
