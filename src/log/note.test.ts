// Signed notes and checkpoints: Go's note package test vectors, malformed notes it rejects, key files that keep the
// key secret, and checkpoints that round-trip and refuse other logs and other keys.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { LogError } from './errors.js';
import { leafHash } from './hash.js';
import { loadNoteSigner, loadOrCreateNoteSigner, saveNoteSigner } from './keyFile.js';
import { NoteSigner, NoteVerifier, openNote } from './note.js';

// From golang.org/x/mod/sumdb/note's example_test.go (Debian golang-golang-x-mod-dev 0.7.0).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
/** A fixed signer key for the key-file tests (seed bytes (37 i + 11) mod 256; its base64 has no "+"). */
const ONE_SKEY = 'PRIVATE+KEY+one.example/log+4f33a1af+AQswVXqfxOkOM1h9osfsETZbgKXK7xQ5XoOozfIXPGGG';
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'trustrules-log-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('signed notes, as Go signs and opens them', () => {
  it('signs Go\'s example note byte for byte and derives its verifier key', () => {
    const s = NoteSigner.fromPrivateKeyText(PETER_SKEY);
    expect(s.verifierKey()).toBe(PETER_VKEY);
    expect(s.sign(TEXT)).toBe(`${TEXT}\n${PETER_SIG}`);
    expect(s.privateKeyText()).toBe(PETER_SKEY);
  });

  it('opens Go\'s example note and refuses the malformed ones Go refuses', () => {
    const v = NoteVerifier.parse(PETER_VKEY);
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [v])).toEqual({ text: TEXT, verified: [{ name: 'PeterNeumann', keyHash: 0xc74f20a3 }], unverified: [] });
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${TEXT}\n${PETER_SIG}`,
      `\ud800${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
    ];
    for (const m of bad) expect(() => openNote(m, [v]), JSON.stringify(m)).toThrow(/malformed note/);
    // A changed text, or a changed signature, by the known key is an invalid signature.
    expect(() => openNote(`${TEXT.replace('answer', 'Answer')}\n${PETER_SIG}`, [v])).toThrow(/invalid signature/);
    expect(() => openNote(`${TEXT}\n${PETER_SIG.replace('ZJku', 'ZJkv')}`, [v])).toThrow(/invalid signature/);
    // Signed only by an unknown key: not verified.
    const other = NoteSigner.generate('PeterNeumann');
    expect(() => openNote(other.sign(TEXT), [v])).toThrow(/not signed by a known key/);
    // Two signatures, one known: verified, the other listed as unverified.
    const both = `${TEXT}\n${PETER_SIG}${other.sign(TEXT).split('\n\n')[1]}`;
    expect(openNote(both, [v]).unverified).toEqual([{ name: 'PeterNeumann', keyHash: other.keyHash }]);
  });

  it('refuses keys with a wrong hash, algorithm or length, and names with spaces or "+"', () => {
    expect(() => NoteVerifier.parse(PETER_VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/hash does not match/);
    expect(() => NoteVerifier.parse(PETER_VKEY.replace('+ARpc', '+AhpC'))).toThrow(LogError);
    expect(() => NoteVerifier.parse('PeterNeumann+c74f20a3')).toThrow(LogError);
    expect(() => NoteSigner.fromPrivateKeyText(PETER_SKEY.replace('c74f20a3', '00000000'))).toThrow(/hash does not match/);
    expect(() => NoteSigner.fromPrivateKeyText(PETER_SKEY.slice(0, -4))).toThrow(LogError);
    expect(() => NoteSigner.generate('two words')).toThrow(/name/);
    expect(() => NoteSigner.generate('a+b')).toThrow(/name/);
    expect(() => NoteSigner.generate('')).toThrow(/name/);
  });

  it('never shows the private key when the signer is printed, logged or serialised', () => {
    const s = NoteSigner.fromPrivateKeyText(PETER_SKEY);
    const seed = PETER_SKEY.split('+').pop()!;
    for (const shown of [String(s), inspect(s), inspect({ s }, { depth: 5, showHidden: true }), JSON.stringify(s), JSON.stringify({ s })]) {
      expect(shown).not.toContain(seed);
      expect(shown).not.toContain('PRIVATE');
    }
    try {
      NoteSigner.fromPrivateKeyText(PETER_SKEY.replace('c74f20a3', '00000000'));
    } catch (e) {
      expect(JSON.stringify((e as LogError).body())).not.toContain(seed);
    }
  });

  it('signs and opens any text a note can carry (seeded)', () => {
    const s = NoteSigner.generate('trustrules.test/log');
    const v = NoteVerifier.parse(s.verifierKey());
    const line = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((x) => !/[\x00-\x1f]/.test(x));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const text = `${lines.join('\n')}\n`;
        if (text.includes('\n\n') || text === '\n') return;
        expect(openNote(s.sign(text), [v]).text).toBe(text);
      }),
      { seed: 8032, numRuns: 200 },
    );
  });
});

describe('key files', () => {
  it('creates the key once, owner-only, and reads the same key back', () => {
    const file = path.join(tmp(), 'sub', 'log.key');
    const a = loadOrCreateNoteSigner(file, 'trustrules.test/log');
    expect(a.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^PRIVATE\+KEY\+trustrules\.test\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
    const b = loadOrCreateNoteSigner(file, 'trustrules.test/log');
    expect(b.created).toBe(false);
    expect(b.signer.verifierKey()).toBe(a.signer.verifierKey());
    expect(() => saveNoteSigner(file, NoteSigner.generate('trustrules.test/log'))).toThrow(/EEXIST/);
    expect(loadNoteSigner(file).verifierKey()).toBe(a.signer.verifierKey());
  });

  it('refuses a key of another name and a damaged file, without quoting it', () => {
    // A fixed key (not a random one): the secret looked for in the error below is the same every run.
    const file = path.join(tmp(), 'log.key');
    saveNoteSigner(file, NoteSigner.fromPrivateKeyText(ONE_SKEY));
    expect(loadOrCreateNoteSigner(file, 'one.example/log').created).toBe(false);
    expect(() => loadOrCreateNoteSigner(file, 'two.example/log')).toThrow(/named one\.example\/log, not two\.example\/log/);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/.....\n$/, 'AAAA=\n'));
    // The seed field as it still stands in the damaged file (all but its last five characters).
    const secret = ONE_SKEY.split('+')[4]!.slice(0, -5);
    expect(readFileSync(file, 'utf8')).toContain(secret);
    try {
      loadNoteSigner(file);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LogError);
      expect(JSON.stringify((e as LogError).body())).not.toContain(secret);
      expect(String((e as LogError).message)).not.toContain(secret);
    }
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const signer = NoteSigner.generate('trustrules.test/log');
  const verifier = NoteVerifier.parse(signer.verifierKey());
  const root = leafHash(Buffer.from('x'));

  it('formats origin, size and base64 root, each line ending in a newline, then the signature', () => {
    const note = signCheckpoint({ origin: 'trustrules.test/log', size: 42, root }, signer);
    const [body, sigs] = note.split('\n\n');
    expect(`${body}\n`).toBe(`trustrules.test/log\n42\n${Buffer.from(root).toString('base64')}\n`);
    expect(sigs).toMatch(/^— trustrules\.test\/log [A-Za-z0-9+/]{91}=\n$/);
    expect(openCheckpoint(note, verifier, 'trustrules.test/log')).toEqual({ origin: 'trustrules.test/log', size: 42, root, extensions: [] });
  });

  it('keeps extension lines and refuses malformed bodies', () => {
    const c = { origin: 'o', size: 0, root, extensions: ['ext one'] };
    expect(parseCheckpoint(formatCheckpoint(c))).toEqual(c);
    const r64 = Buffer.from(root).toString('base64');
    for (const bad of [`o\n01\n${r64}\n`, `o\n-1\n${r64}\n`, `o\n1\n${r64}`, `o\n1\n`, `\n1\n${r64}\n`, `o\n1\nAAAA\n`, `o\n1\n${r64}\n\n`, `o\n1.0\n${r64}\n`]) {
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow(LogError);
    }
  });

  it('refuses another origin, another key, and a changed size or root', () => {
    const note = signCheckpoint({ origin: 'trustrules.test/log', size: 7, root }, signer);
    expect(() => openCheckpoint(note, verifier, 'other.test/log')).toThrow(/another log/);
    const other = NoteSigner.generate('trustrules.test/log');
    expect(() => openCheckpoint(note, NoteVerifier.parse(other.verifierKey()))).toThrow(/not signed by a known key/);
    expect(() => openCheckpoint(note.replace('\n7\n', '\n8\n'), verifier)).toThrow(/invalid signature/);
  });
});
