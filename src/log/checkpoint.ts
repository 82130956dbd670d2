// Checkpoints of the contact log in the C2SP tlog-checkpoint format (c2sp.org/tlog-checkpoint), signed as notes:
// `<origin>\n<size>\n<base64 root>\n`, optional extension lines, then the signature block.
import { LogError } from './errors.js';
import { type Hash, decodeHash, encodeHash } from './hash.js';
import { type NoteSigner, type NoteVerifier, openNote } from './note.js';

/** A tree head: the log's origin, its size and its root hash (plus any extension lines, kept verbatim). */
export interface Checkpoint {
  /** The log's origin line (a schema-less URL naming the log, also the signing key's name). */
  readonly origin: string;
  /** Number of leaves. */
  readonly size: number;
  /** RFC 9162 root hash of those leaves. */
  readonly root: Hash;
  /** Extension lines after the root, without their newlines (none by default). */
  readonly extensions?: readonly string[];
}

/** The checkpoint's note text (the signed body): origin, size, base64 root, extension lines, each ending in a newline. */
export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin === '' || /[\n\r]/.test(c.origin)) throw new LogError('origin', c.origin, 'a non-empty single line', 'not a checkpoint origin');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new LogError('size', String(c.size), 'a whole number ≥ 0', 'not a tree size');
  const ext = c.extensions ?? [];
  for (const e of ext) if (e === '' || /[\n\r]/.test(e)) throw new LogError('extensions', e, 'non-empty single lines', 'not a checkpoint extension line');
  return [c.origin, String(c.size), encodeHash(c.root), ...ext].map((l) => `${l}\n`).join('');
}

/** Parses a checkpoint's note text (not its signatures: use `openCheckpoint` for a signed note). */
export function parseCheckpoint(text: string): Checkpoint {
  const bad = (path: string, given: string, allowed: string): never => {
    throw new LogError(path, given, allowed, 'not a tlog checkpoint');
  };
  if (!text.endsWith('\n')) bad('checkpoint', JSON.stringify(text.slice(-20)), 'text ending in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) bad('checkpoint', `${lines.length} lines`, 'origin, size and root lines');
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') bad('origin', origin, 'a non-empty origin line');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) bad('size', size, 'a decimal tree size without leading zeros');
  if (extensions.some((e) => e === '')) bad('extensions', '(empty line)', 'non-empty extension lines');
  return { origin, size: Number(size), root: decodeHash(root, 'root'), extensions };
}

/** Signs a checkpoint with the log's key: the whole note, as `GET /v1/log/checkpoint` serves it. */
export function signCheckpoint(c: Checkpoint, signer: NoteSigner): string {
  return signer.sign(formatCheckpoint(c));
}

/**
 * Opens a signed checkpoint: the note must carry a valid signature by `verifier`, and (when given) the origin must be
 * `origin`. Throws a LogError otherwise.
 */
export function openCheckpoint(note: string, verifier: NoteVerifier, origin?: string): Checkpoint {
  const opened = openNote(note, [verifier]);
  const c = parseCheckpoint(opened.text);
  if (origin !== undefined && c.origin !== origin) throw new LogError('origin', c.origin, origin, 'the checkpoint is for another log');
  return c;
}
