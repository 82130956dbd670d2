// A worker thread of `log verify` (verifyThreads.ts): checks the chunks of stored records it is sent (checkChunk),
// one at a time in the order they come, and sends back what the tree needs from each, or the error that stopped it,
// with the chunk's memory for the next copy to fill.
import { parentPort } from 'node:worker_threads';
import { checkChunk } from './verifyChunk.js';

/** A chunk to check: its bytes (transferred, not copied) and the number its answer carries. */
export interface ChunkTask {
  readonly id: number;
  readonly bytes: Uint8Array;
}

parentPort?.on('message', (task: ChunkTask) => {
  try {
    const checked = checkChunk(task.bytes);
    parentPort!.postMessage({ id: task.id, checked, bytes: task.bytes }, [checked.indices.buffer as ArrayBuffer, checked.tombstoned.buffer as ArrayBuffer, task.bytes.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ id: task.id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(e) }, bytes: task.bytes }, [task.bytes.buffer as ArrayBuffer]);
  }
});
