// The strict record scanner agrees with JSON.parse wherever it accepts: on canonical records (as the log writes them),
// on every prefix and on thousands of random one-byte edits of one; it declines whitespace, escapes, non-ASCII,
// duplicate or unsorted keys and malformed numbers. Its timestamp reader agrees with Date.parse wherever it answers.
import { describe, expect, it } from 'vitest';
import { leafData, newSalt } from '../log/hash.js';
import { Field, FieldType, RecordFields, isoTimestampMs, wordIsPlain } from './recordFields.js';

const record = {
  action: 'declined', agent: 'ice_ero', deviation: false, id: '19d63be5-21bd-49d9-b6a8-147a8cb4e6f9', index: 1234567,
  decision: { governing: ['md-cp-5-104#no-prolonged-hold', 'montgomery-eo-135-19#no-detainer-holds'], outcome: 'prohibited', policy_version: 'sha256:ea09', score: -1.5e-3 },
  occurred_at: '2026-03-10T08:00:00-05:00', recorded_at: '2026-12-02T04:33:27.157Z', recorded_by: 'u_CRIlCiuGshGd',
  scenario: { actor: { agency: 'police', jurisdiction: 'us/md/montgomery-county' }, basis: 'ice_detainer', date: '2026-03-10', request: 'detain_past_release' },
  corrects: null, flags: [true, false, null, [], {}],
};
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const canonical = leafData(record, newSalt());

/** The wanted fields as JSON.parse gives them, in the scanner's terms. */
const PATHS: [number, string[]][] = [
  [Field.RECORD, ['record']], [Field.INDEX, ['record', 'index']], [Field.ID, ['record', 'id']], [Field.TOMBSTONE, ['record', 'tombstone']],
  [Field.OCCURRED_AT, ['record', 'occurred_at']], [Field.RECORDED_BY, ['record', 'recorded_by']], [Field.DEVIATION, ['record', 'deviation']],
  [Field.CORRECTS, ['record', 'corrects']], [Field.AGENT, ['record', 'agent']], [Field.ACTION, ['record', 'action']],
  [Field.SCENARIO, ['record', 'scenario']], [Field.ACTOR, ['record', 'scenario', 'actor']],
  [Field.JURISDICTION, ['record', 'scenario', 'actor', 'jurisdiction']], [Field.AGENCY, ['record', 'scenario', 'actor', 'agency']],
  [Field.REQUEST, ['record', 'scenario', 'request']], [Field.BASIS, ['record', 'scenario', 'basis']],
  [Field.DECISION, ['record', 'decision']], [Field.OUTCOME, ['record', 'decision', 'outcome']],
];

function typeOf(v: unknown): number {
  if (v === undefined) return FieldType.ABSENT;
  if (v === null) return FieldType.NULL;
  if (v === true) return FieldType.TRUE;
  if (v === false) return FieldType.FALSE;
  if (typeof v === 'string') return FieldType.STRING;
  if (typeof v === 'number') return FieldType.NUMBER;
  return Array.isArray(v) ? FieldType.ARRAY : FieldType.OBJECT;
}

/** Fails unless every wanted field the scan found is what JSON.parse finds (the scan having accepted `bytes`). */
function expectSameAsJsonParse(f: RecordFields, bytes: Uint8Array): void {
  const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  for (const [slot, path] of PATHS) {
    let v: unknown = parsed;
    for (const k of path) v = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    // a field inside something that is not an object is not looked for: absent, as JSON.parse's `?.` reads it
    expect(f.type[slot], path.join('.')).toBe(typeOf(v));
    if (typeof v === 'string') expect(Buffer.from(bytes.subarray(f.start[slot], f.end[slot])).toString('latin1'), path.join('.')).toBe(v);
    if (slot === Field.INDEX && typeof v === 'number') expect(f.index).toBe(v);
  }
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RecordFields', () => {
  const f = new RecordFields();

  it('finds every wanted field of a canonical record as JSON.parse does, also inside a larger buffer', () => {
    expect(f.scan(canonical, 0, canonical.length)).toBe(true);
    expectSameAsJsonParse(f, canonical);
    expect(f.index).toBe(1234567);
    const padded = new Uint8Array(canonical.length + 10);
    padded.set(canonical, 5);
    expect(f.scan(padded, 5, 5 + canonical.length)).toBe(true);
    expect(Buffer.from(padded.subarray(f.start[Field.AGENCY], f.end[Field.AGENCY])).toString()).toBe('police');
  });

  it('declines what is not in its narrow form, though JSON.parse may accept it', () => {
    const text = Buffer.from(canonical).toString('utf8');
    const declined = [
      text.replace('"agent":', '"agent": '), // whitespace
      text.replace('ice_ero', 'ice\\u005fero'), // an escape
      text.replace('police', 'políce'), // not ASCII
      text.replace('"action":"declined",', '"action":"declined","action":"complied",'), // a key twice
      text.replace('"action":"declined","agent":"ice_ero"', '"agent":"ice_ero","action":"declined"'), // keys out of order
      text.replace('"agency":"police","jurisdiction"', '"jurisdiction":"x","agency":"police","jurisdiction"'), // out of order below
      `${text} `, `${text}{}`, text.slice(0, -1), // trailing or missing bytes
      text.replace('1234567', '01234567'), text.replace('1234567', '1234567.0'), text.replace('1234567', '1e6'),
      text.replace('1234567', '-1'), text.replace('1234567', '1234567890123456'), // the index: only plain exact integers
      text.replace('-0.0015', '-.0015'), text.replace('-0.0015', '-0.0015e'), text.replace('-0.0015', '-'), text.replace('-0.0015', '+1'),
      text.replace('true', 'tru'), text.replace('null,[]', 'nul,[]'), text.replace('false,null', 'fals,null'), text.replace('[]', '[,]'),
      text.replace('"flags":[', `"flags":${'['.repeat(70)}${']'.repeat(70)},"x":[`), // deeper than it reads
    ];
    for (const d of declined) expect(f.scan(bytesOf(d), 0, Buffer.byteLength(d)), d).toBe(false);
    // keys in order but not all wanted ones, and values of other types: accepted, reported as they are
    const other = '{"record":{"agent":7,"id":null,"index":0,"scenario":[1]},"salt":"x"}';
    expect(f.scan(bytesOf(other), 0, other.length)).toBe(true);
    expectSameAsJsonParse(f, bytesOf(other));
  });

  it('declines every prefix of a record', () => {
    for (let n = 0; n < canonical.length; n++) expect(f.scan(canonical, 0, n)).toBe(false);
  });

  it('agrees with JSON.parse on every random edit it accepts (and never accepts what JSON.parse refuses)', () => {
    const next = random(8);
    const alphabet = bytesOf('{}[]":,0123456789-+.eEtrufalsn \\x\u00e9\t');
    let accepted = 0;
    for (let k = 0; k < 5_000; k++) {
      const b = Uint8Array.from(canonical);
      const edits = 1 + Math.floor(next() * 3);
      let bytes: Uint8Array = b;
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * bytes.length);
        const c = alphabet[Math.floor(next() * alphabet.length)]!;
        const kind = next();
        if (kind < 0.5) bytes[at] = c;
        else if (kind < 0.75) bytes = Buffer.concat([bytes.subarray(0, at), Uint8Array.of(c), bytes.subarray(at)]);
        else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
      }
      if (!f.scan(bytes, 0, bytes.length)) continue;
      accepted++;
      expectSameAsJsonParse(f, bytes);
    }
    // the test means something only if many edits were accepted (an edit inside a string or a digit often is)
    expect(accepted).toBeGreaterThan(250);
  });
});

describe('isoTimestampMs', () => {
  it('is Date.parse wherever it answers, and answers for the form records are written in', () => {
    const next = random(9);
    const pick = (a: number, b: number) => a + Math.floor(next() * (b - a + 1));
    const p2 = (x: number) => String(x).padStart(2, '0');
    let answered = 0;
    for (let k = 0; k < 50_000; k++) {
      const year = next() < 0.1 ? pick(0, 9999) : pick(1000, 2999);
      const zone = next() < 0.3 ? 'Z' : `${next() < 0.5 ? '+' : '-'}${p2(pick(0, 25))}:${p2(pick(0, 61))}`;
      const text = `${String(year).padStart(4, '0')}-${p2(pick(0, 13))}-${p2(pick(0, 32))}T${p2(pick(0, 25))}:${p2(pick(0, 61))}:${p2(pick(0, 61))}${zone}`;
      const ms = isoTimestampMs(bytesOf(text), 0, text.length);
      if (Number.isNaN(ms)) continue;
      answered++;
      expect(ms, text).toBe(Date.parse(text));
    }
    expect(answered).toBeGreaterThan(10_000);
    expect(isoTimestampMs(bytesOf('2026-03-10T08:00:00-05:00'), 0, 25)).toBe(Date.parse('2026-03-10T08:00:00-05:00'));
    for (const other of ['2026-03-29T08:00:00Z', '2026-03-10T08:00:00.5Z', '2026-03-10 08:00:00Z', '0999-03-10T08:00:00Z', '2026-03-10T08:00:00+0500']) {
      expect(isoTimestampMs(bytesOf(other), 0, other.length), other).toBeNaN();
    }
  });
});

describe('wordIsPlain', () => {
  const plain = (c: number) => c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c;
  const word = (b: number[]) => (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;

  it('is true exactly when no byte of the word can end a string or be refused in it: every byte at every place', () => {
    const fillers = [0x20, 0x41, 0x7e, 0x21, 0x5b, 0x5d, 0x23];
    for (const filler of fillers) {
      for (let place = 0; place < 4; place++) {
        for (let c = 0; c < 256; c++) {
          const b = [filler, filler, filler, filler];
          b[place] = c;
          expect(wordIsPlain(word(b)), `byte ${c} at ${place} among ${filler}`).toBe(plain(c));
        }
      }
    }
  });

  it('agrees with the bytes one by one on a million random words', () => {
    const next = random(7);
    for (let k = 0; k < 1_000_000; k++) {
      // mostly printable bytes, so that words of four plain bytes are common
      const b = [0, 1, 2, 3].map(() => (next() < 0.8 ? 0x20 + Math.floor(next() * 0x5f) : Math.floor(next() * 256)));
      if (wordIsPlain(word(b)) !== b.every(plain)) throw new Error(`wrong for ${b.join(',')}`);
    }
  });

  it('gives the scan the same answers whether the record\'s bytes start on a multiple of 4 or not', () => {
    const f = new RecordFields();
    const g = new RecordFields();
    const next = random(11);
    for (let k = 0; k < 2000; k++) {
      const bytes = Buffer.from(canonical);
      const at = Math.floor(next() * bytes.length);
      bytes[at] = [0x22, 0x5c, 0x7f, 0x1f, 0x80, 0x20, 0x41][k % 7]!;
      const aligned = new Uint8Array(bytes.length + 8);
      aligned.set(bytes, 4);
      const odd = new Uint8Array(aligned.buffer, 1, bytes.length + 4);
      odd.set(bytes, 3);
      const a = f.scan(aligned, 4, 4 + bytes.length);
      expect(g.scan(odd, 3, 3 + bytes.length)).toBe(a);
      if (!a) continue;
      for (let s = 0; s < f.type.length; s++) {
        expect(g.type[s]).toBe(f.type[s]);
        if (f.type[s] === FieldType.STRING) expect([g.start[s]! - 3, g.end[s]! - 3]).toEqual([f.start[s]! - 4, f.end[s]! - 4]);
      }
    }
  });
});
