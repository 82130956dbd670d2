// RFC 9162 section 2.1 hashing for the contact log: leaf and node hashes, and the exact bytes a record's leaf hashes.
import { createHash, hash as digest, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import { LogError } from './errors.js';

/** A SHA-256 digest: 32 bytes. */
export type Hash = Uint8Array;

/** Size in bytes of every hash in the log. */
export const HASH_SIZE = 32;

/** Size in bytes of the random salt mixed into each record's leaf. */
export const SALT_SIZE = 32;

// One reused input buffer per shape: the one-shot crypto.hash over it is about twice as fast as createHash per call,
// which is what keeps `log verify` of a million records within seconds.
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);
let leafInput = Buffer.alloc(1024);

/** The hash of a leaf, `SHA-256(0x00 || data)` (RFC 9162 2.1.1). */
export function leafHash(data: Uint8Array): Hash {
  if (leafInput.length < data.length + 1) leafInput = Buffer.alloc(2 * (data.length + 1));
  leafInput[0] = 0x00;
  leafInput.set(data, 1);
  return digest('sha256', leafInput.subarray(0, data.length + 1), 'buffer');
}

/**
 * The hash of a leaf whose data is the UTF-8 of `text`: `leafHash` without first copying the text into bytes of its
 * own (what `log verify` reads back from a database is text).
 */
export function leafHashOfText(text: string): Hash {
  // At most 3 UTF-8 bytes per UTF-16 unit: only a text that might not fit is measured.
  if (leafInput.length < 3 * text.length + 1) {
    const need = Buffer.byteLength(text, 'utf8') + 1;
    if (leafInput.length < need) leafInput = Buffer.alloc(2 * need);
  }
  leafInput[0] = 0x00;
  const written = leafInput.write(text, 1, 'utf8');
  return digest('sha256', leafInput.subarray(0, written + 1), 'buffer');
}

/**
 * A hash as 32 latin1 characters, one a byte: the form `log verify` folds a million leaves in, because node:crypto
 * hands a digest back as such a string in a quarter of the time it takes to make a Buffer of it (0.3 against 1.1 µs).
 */
export type HashText = string;

/** `leafHash(data)` as HashText. */
export function leafHashText(data: Uint8Array): HashText {
  if (leafInput.length < data.length + 1) leafInput = Buffer.alloc(2 * (data.length + 1));
  leafInput[0] = 0x00;
  leafInput.set(data, 1);
  return digest('sha256', leafInput.subarray(0, data.length + 1), 'binary');
}

/** `nodeHash(left, right)` on HashText (each exactly HASH_SIZE characters below 256). */
export function nodeHashText(left: HashText, right: HashText): HashText {
  NODE_INPUT.write(left, 1, HASH_SIZE, 'latin1');
  NODE_INPUT.write(right, 1 + HASH_SIZE, HASH_SIZE, 'latin1');
  return digest('sha256', NODE_INPUT, 'binary');
}

/** A hash's bytes as HashText. */
export function hashText(h: Hash): HashText {
  if (h.length !== HASH_SIZE) throw new LogError('hash', `${h.length} bytes`, `${HASH_SIZE} bytes`, 'not a SHA-256 hash');
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('latin1');
}

/** HashText as bytes. */
export function hashBytes(t: HashText): Hash {
  return Buffer.from(t, 'latin1');
}

/** Whether `t` is the hash `h` (compared character by byte: no string or Buffer made). */
export function sameHashText(t: HashText, h: Hash): boolean {
  if (t.length !== HASH_SIZE || h.length !== HASH_SIZE) return false;
  for (let i = 0; i < HASH_SIZE; i++) if (t.charCodeAt(i) !== h[i]) return false;
  return true;
}

/** The hash of an interior node, `SHA-256(0x01 || left || right)` (RFC 9162 2.1.1). */
export function nodeHash(left: Hash, right: Hash): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new LogError('hash', `${left.length}+${right.length} bytes`, `${HASH_SIZE} bytes each`, 'a node hashes two SHA-256 hashes');
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_SIZE);
  return digest('sha256', NODE_INPUT, 'buffer');
}

/** The hash of the empty tree, `SHA-256()` (RFC 9162 2.1.1). */
export function emptyTreeHash(): Hash {
  return createHash('sha256').digest();
}

/** A fresh random salt for one record (never reused: it is what keeps a leaf hash from revealing the record). */
export function newSalt(): Uint8Array {
  return randomBytes(SALT_SIZE);
}

/**
 * The leaf data of a record: the UTF-8 bytes of the RFC 8785 canonical JSON of
 * `{"record": <record>, "salt": "<standard base64 of the salt>"}`.
 * Canonical JSON sorts the keys, so the bytes are the same whatever order the record's fields were built in;
 * the salt (SALT_SIZE random bytes per record) means a leaf hash cannot be checked against a guessed record.
 */
export function leafData(record: unknown, salt: Uint8Array): Uint8Array {
  if (salt.length !== SALT_SIZE) {
    throw new LogError('salt', `${salt.length} bytes`, `${SALT_SIZE} bytes`, `a record's salt is ${SALT_SIZE} random bytes`);
  }
  let text: string | undefined;
  try {
    text = canonicalize({ record, salt: Buffer.from(salt).toString('base64') });
  } catch (e) {
    throw new LogError('record', String((e as Error).message), 'JSON values (no NaN, Infinity, lone surrogates or cycles)', 'the record cannot be written as canonical JSON');
  }
  if (text === undefined) throw new LogError('record', typeof record, 'a JSON value', 'the record cannot be written as canonical JSON');
  return Buffer.from(text, 'utf8');
}

/** The leaf hash of a record with its salt: `leafHash(leafData(record, salt))`. */
export function recordLeafHash(record: unknown, salt: Uint8Array): Hash {
  return leafHash(leafData(record, salt));
}

/** Standard base64 of a hash, as checkpoints and proofs carry it. */
export function encodeHash(h: Hash): string {
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64');
}

/** Parses a standard-base64 hash, refusing anything that is not exactly HASH_SIZE bytes in canonical base64. */
export function decodeHash(text: string, path = 'hash'): Hash {
  const b = Buffer.from(text, 'base64');
  if (b.length !== HASH_SIZE || b.toString('base64') !== text) {
    throw new LogError(path, text, `standard base64 of ${HASH_SIZE} bytes`, 'not a SHA-256 hash in base64');
  }
  return b;
}

/** Whether two hashes are the same bytes. */
export function sameHash(a: Hash, b: Hash): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
