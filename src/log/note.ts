// Signed notes (c2sp.org/signed-note) with Ed25519 keys in the encodings of Go's golang.org/x/mod/sumdb/note:
// signer key `PRIVATE+KEY+<name>+<hash>+<base64(0x01||seed)>`, verifier key `<name>+<hash>+<base64(0x01||pubkey)>`.
import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { LogError } from './errors.js';

/** The signature algorithm byte for Ed25519 in signed-note keys. */
const ALG_ED25519 = 0x01;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const SIG_PREFIX = '\u2014 '; // "— ": em dash, space

/** Whether `name` can name a note key: non-empty, valid UTF-8, no Unicode space and no `+` (Go's `isValidName`: its
 *  `unicode.IsSpace` is exactly the White_Space property). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\p{White_Space}+]|\p{Cs}/u.test(name);
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) throw new LogError('name', name, 'a non-empty name without spaces or "+"', 'not a valid note key name');
}

/** The key hash: the first 4 bytes (big-endian) of SHA-256(name || "\n" || 0x01 || public key). */
export function keyHash(name: string, publicKey: Uint8Array): number {
  const sum = createHash('sha256').update(name, 'utf8').update('\n').update(Buffer.from([ALG_ED25519])).update(publicKey).digest();
  return sum.readUInt32BE(0);
}

/** Splits at the first `count - 1` plus signs (the last field, base64, may itself contain "+"), as Go's chop does. */
function chop(text: string, count: number): string[] | null {
  const out: string[] = [];
  let rest = text;
  for (let i = 1; i < count; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return null;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Standard padded base64 as Go's `base64.StdEncoding` reads it (unused low bits need not be zero), or null. */
function base64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

function rawPublicKey(key: KeyObject): Buffer {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

/** A note signing key (Ed25519). The seed never appears in `inspect`, `toString` or `JSON.stringify` of this object. */
export class NoteSigner {
  readonly #key: KeyObject;
  /** The key name (for checkpoints: the log's origin). */
  readonly name: string;
  /** The 32-bit key hash that signature lines and the verifier key carry. */
  readonly keyHash: number;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;

  private constructor(name: string, key: KeyObject) {
    checkName(name);
    this.#key = key;
    this.name = name;
    this.publicKey = rawPublicKey(key);
    this.keyHash = keyHash(name, this.publicKey);
  }

  /** A new random key named `name`. */
  static generate(name: string): NoteSigner {
    return new NoteSigner(name, generateKeyPairSync('ed25519').privateKey);
  }

  /** Parses a signer key `PRIVATE+KEY+<name>+<8 hex hash>+<base64(0x01||seed)>`, checking the hash against the derived public key. */
  static fromPrivateKeyText(text: string): NoteSigner {
    const refuse = (why: string): never => {
      throw new LogError('key', '(private key, not shown)', 'PRIVATE+KEY+<name>+<8 hex digits>+<base64 of 0x01 and a 32-byte seed>', `not a note signer key: ${why}`);
    };
    const parts = chop(text.trim(), 5);
    if (parts === null || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') refuse('it must have five "+"-separated fields starting PRIVATE+KEY');
    const [, , name, hash, b64] = parts as [string, string, string, string, string];
    if (!isValidKeyName(name)) refuse('bad name');
    if (!/^[0-9a-fA-F]{8}$/.test(hash)) refuse('the key hash must be 8 hex digits');
    const raw = base64(b64);
    if (raw === null || raw.length !== 33 || raw[0] !== ALG_ED25519) refuse('the key must be base64 of 0x01 and a 32-byte Ed25519 seed');
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw!.subarray(1)]), format: 'der', type: 'pkcs8' });
    raw!.fill(0);
    const signer = new NoteSigner(name, key);
    if (signer.keyHash !== Number.parseInt(hash, 16)) refuse('the key hash does not match the key');
    return signer;
  }

  /** The encoded signer key, for the key file only: it is the secret, never log or send it. */
  privateKeyText(): string {
    const seed = Buffer.from(this.#key.export({ format: 'jwk' }).d!, 'base64url');
    const text = `PRIVATE+KEY+${this.name}+${hex8(this.keyHash)}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`;
    seed.fill(0);
    return text;
  }

  /** The public verifier key `<name>+<8 hex hash>+<base64(0x01||public key)>` (what GET /v1/log/key serves). */
  verifierKey(): string {
    return encodeVerifierKey(this.name, this.publicKey);
  }

  /** Signs a note's text (which must end in a newline) and returns the whole note: text, blank line, signature line. */
  sign(text: string): string {
    if (!text.endsWith('\n')) throw new LogError('text', JSON.stringify(text.slice(-20)), 'text ending in a newline', 'a note text must end with a newline');
    checkNoteText(text);
    const sig = sign(null, Buffer.from(text, 'utf8'), this.#key);
    const hash = Buffer.alloc(4);
    hash.writeUInt32BE(this.keyHash);
    return `${text}\n${SIG_PREFIX}${this.name} ${Buffer.concat([hash, sig]).toString('base64')}\n`;
  }

  /** Never the key: only its public identity. */
  toString(): string {
    return `NoteSigner(${this.verifierKey()})`;
  }

  /** Never the key: only its public identity. */
  toJSON(): { name: string; verifierKey: string } {
    return { name: this.name, verifierKey: this.verifierKey() };
  }

  /** Never the key: only its public identity. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Encodes a verifier key `<name>+<8 hex key hash>+<base64(0x01 || public key)>`. */
export function encodeVerifierKey(name: string, publicKey: Uint8Array): string {
  checkName(name);
  return `${name}+${hex8(keyHash(name, publicKey))}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64')}`;
}

/** A parsed verifier key. */
export class NoteVerifier {
  readonly #key: KeyObject;

  private constructor(
    /** The key name. */
    readonly name: string,
    /** The 32-bit key hash. */
    readonly keyHash: number,
    /** The raw 32-byte Ed25519 public key. */
    readonly publicKey: Uint8Array,
  ) {
    this.#key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
  }

  /** Parses `<name>+<8 hex hash>+<base64(0x01||public key)>`, checking the hash as Go's `note.NewVerifier` does. */
  static parse(text: string): NoteVerifier {
    const refuse = (why: string): never => {
      throw new LogError('key', text, '<name>+<8 hex digits>+<base64 of 0x01 and a 32-byte Ed25519 public key>', `not a note verifier key: ${why}`);
    };
    const parts = chop(text.trim(), 3);
    if (parts === null) refuse('it must have three "+"-separated fields');
    const [name, hash, b64] = parts as [string, string, string];
    if (!isValidKeyName(name)) refuse('bad name');
    if (!/^[0-9a-fA-F]{8}$/.test(hash)) refuse('the key hash must be 8 hex digits');
    const raw = base64(b64);
    if (raw === null || raw.length !== 33 || raw[0] !== ALG_ED25519) refuse('the key must be base64 of 0x01 and a 32-byte Ed25519 public key');
    const pub = raw!.subarray(1);
    const kh = keyHash(name, pub);
    if (kh !== Number.parseInt(hash, 16)) refuse('the key hash does not match the key');
    return new NoteVerifier(name, kh, Uint8Array.from(pub));
  }

  /** The encoded verifier key. */
  toString(): string {
    return encodeVerifierKey(this.name, this.publicKey);
  }

  /** Whether `sig` (64 bytes) is this key's Ed25519 signature of `text`. */
  verify(text: string, sig: Uint8Array): boolean {
    return sig.length === 64 && verify(null, Buffer.from(text, 'utf8'), this.#key, sig);
  }
}

/** A signature line of a note. */
export interface NoteSignature {
  /** The key name on the line. */
  readonly name: string;
  /** The key hash on the line. */
  readonly keyHash: number;
}

/** An opened note: its text (ending in a newline), the signatures verified, and those by keys not given. */
export interface OpenedNote {
  /** The signed text, ending with a newline. */
  readonly text: string;
  /** Signatures verified by one of the given keys. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys not among those given (not checked). */
  readonly unverified: readonly NoteSignature[];
}

function checkNoteText(msg: string): void {
  // eslint-disable-next-line no-control-regex
  if (/\p{Cs}|[\x00-\x09\x0b-\x1f]/u.test(msg)) {
    throw new LogError('note', JSON.stringify(msg.slice(0, 80)), 'UTF-8 text with no control characters but newlines', 'malformed note');
  }
}

/**
 * Opens a signed note as Go's `note.Open` does: the text is everything up to the last blank line, each line after it is
 * `— <name> <base64(4-byte key hash || signature)>`; a signature by a known key must verify, and at least one must.
 */
export function openNote(msg: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  checkNoteText(msg);
  const malformed = (why: string): never => {
    throw new LogError('note', JSON.stringify(msg.slice(0, 80)), 'a signed note: text, a blank line, signature lines "— <name> <base64>"', `malformed note: ${why}`);
  };
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line before the signatures');
  const text = msg.slice(0, split + 1);
  const sigs = msg.slice(split + 2);
  if (sigs.length === 0 || !sigs.endsWith('\n')) malformed('the signature block must end with a newline');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const lines = sigs.slice(0, -1).split('\n');
  if (lines.length > 100) malformed('too many signatures');
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) malformed('a signature line must start with "— "');
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? '' : rest.slice(space + 1);
    const raw = base64(b64);
    if (!isValidKeyName(name) || b64 === '' || raw === null || raw.length < 5) malformed('bad signature line');
    const hash = raw!.readUInt32BE(0);
    const sig: NoteSignature = { name, keyHash: hash };
    const keys = verifiers.filter((v) => v.name === name && v.keyHash === hash);
    if (keys.length === 0) {
      if (!unverified.some((u) => u.name === name && u.keyHash === hash)) unverified.push(sig);
      continue;
    }
    if (verified.some((u) => u.name === name && u.keyHash === hash)) continue;
    if (!keys[0]!.verify(text, raw!.subarray(4))) {
      throw new LogError('note', name, `a valid signature by ${keys[0]!.toString()}`, `invalid signature by ${name}`);
    }
    verified.push(sig);
  }
  if (verified.length === 0) {
    throw new LogError('note', unverified.map((u) => `${u.name}+${hex8(u.keyHash)}`).join(', ') || '(no signatures)', verifiers.map((v) => v.toString()).join(', '), 'the note is not signed by a known key');
  }
  return { text, verified, unverified };
}
