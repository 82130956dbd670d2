// The log's signing key on disk: one line, Go's note signer key encoding, created owner-only on first start.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LogError } from './errors.js';
import { NoteSigner } from './note.js';

/** Reads a signer key file (`PRIVATE+KEY+<name>+<hash>+<base64>`). The error never quotes the file's content. */
export function loadNoteSigner(file: string): NoteSigner {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw Object.assign(new LogError('key_file', file, 'a readable note signer key file', `cannot read the log key file: ${code}`, 'bad_config'), { cause: code });
  }
  try {
    return NoteSigner.fromPrivateKeyText(text);
  } catch (e) {
    throw new LogError('key_file', file, 'a file holding one note signer key PRIVATE+KEY+…', e instanceof LogError ? e.error.message : 'not a key', 'bad_config');
  }
}

/**
 * Writes a signer key file readable by its owner only; refuses to replace an existing file (a key is never lost).
 * The key is written and synced under a temporary name, then linked into place, so the file is never seen half-written.
 */
export function saveNoteSigner(file: string, signer: NoteSigner): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${signer.privateKeyText()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } finally {
    unlinkSync(tmp);
  }
  const d = openSync(dir, 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/**
 * The log's key: read from `file`, or generated with the name `name` and saved there when the file does not exist.
 * A file holding a key of another name is an error (the checkpoints would name another log). Safe if two processes
 * start at once: the file is created exclusively, and the loser reads the winner's key.
 */
export function loadOrCreateNoteSigner(file: string, name: string): { signer: NoteSigner; created: boolean } {
  let created = false;
  let signer: NoteSigner;
  try {
    signer = loadNoteSigner(file);
  } catch (e) {
    if (!(e instanceof LogError) || e.cause !== 'ENOENT') throw e;
    const fresh = NoteSigner.generate(name);
    try {
      saveNoteSigner(file, fresh);
      signer = fresh;
      created = true;
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== 'EEXIST') throw new LogError('key_file', file, 'a writable path', `cannot write the log key file: ${(w as NodeJS.ErrnoException).code ?? 'error'}`, 'bad_config');
      signer = loadNoteSigner(file);
    }
  }
  if (signer.name !== name) throw new LogError('key_file', file, `a key named ${name}`, `the log key file holds a key named ${signer.name}, not ${name}`, 'bad_config');
  return { signer, created };
}
