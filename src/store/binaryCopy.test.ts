// Sql.copyOut and BinaryCopyReader on both databases: every type `log verify` reads comes back exactly as the text
// protocol gives it (NULLs, empty and non-ASCII text, bytea, booleans, bigints, timestamps to the millisecond), a
// transaction's copy sees its own writes, bigint arrays are read element by element, text written as a literal
// comes back as it was, a bad COPY fails as an error, and bytes cut short are refused, not misread; a copy of many
// megabytes is the rows the driver's rows give, also into memory given back, and one failing halfway is an error
// that leaves the next copy right (PGlite handed its rows out with the next one's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryCopyError, BinaryCopyReader } from './binaryCopy.js';
import { openDatabase, reuseCopyBytes, sqlLiteral, type Database } from './database.js';
import { databaseKinds, freshStore, type TestStore } from './testDatabases.js';

const ROWS = [
  { i: 0, t: 'plain', b: '\\x00ff10', f: true, at: '2026-03-10T08:00:00-05:00' },
  { i: 2 ** 40 + 7, t: 'Montgomery — condado de Ñuñoa 🗽', b: '\\x', f: false, at: '1999-12-31T23:59:59.999Z' },
  { i: 3, t: '', b: null, f: null, at: '2026-03-10T08:00:00.123456Z' },
  { i: 4, t: null, b: '\\xdeadbeef', f: true, at: null },
];

describe.each(databaseKinds)('binary COPY on %s', (kind) => {
  let t: TestStore;
  let db: Database;
  beforeAll(async () => {
    t = await freshStore(kind);
    db = await openDatabase(t.config);
    await db.query('CREATE TABLE copy_probe (i bigint, t text, b bytea, f boolean, at timestamptz)');
    for (const r of ROWS) await db.query('INSERT INTO copy_probe VALUES ($1, $2, $3::text::bytea, $4, $5)', [r.i, r.t, r.b, r.f, r.at]);
  });
  afterAll(async () => {
    await db?.close();
    await t?.dispose();
  });

  it('reads every row and type as the text protocol does', async () => {
    const expected = await db.query<{ i: string; t: string | null; b: Uint8Array | null; f: boolean | null; ms: number | null }>(
      'SELECT i::text AS i, t, b, f, floor(extract(epoch FROM at) * 1000)::float8 AS ms FROM copy_probe ORDER BY copy_probe.i',
    );
    const r = new BinaryCopyReader(await db.copyOut('SELECT i, t, b, f, at FROM copy_probe ORDER BY i'), 5);
    const got = [];
    while (r.nextRow()) {
      const i = r.field().int8();
      const text = r.field().text();
      const sameText = r.textEquals(text) && !r.textEquals(`${text ?? ''}x`);
      const b = r.field().bytea();
      got.push({ i: String(i), t: text, b: b && Buffer.from(b).toString('hex'), f: r.field().bool(), ms: r.field().timestampMs(), sameText });
    }
    expect(got).toEqual(expected.map((e) => ({ ...e, b: e.b && Buffer.from(e.b).toString('hex'), ms: e.ms === null ? null : Number(e.ms), sameText: true })));
    expect(got.map((g) => g.t)).toEqual(['plain', '', null, ROWS[1]!.t]);
  });

  it('compares text without decoding it, exactly', async () => {
    const r = new BinaryCopyReader(await db.copyOut("SELECT t FROM copy_probe WHERE i = 1099511627783"), 1);
    expect(r.nextRow()).toBe(true);
    r.field();
    expect(r.textEquals(ROWS[1]!.t)).toBe(true);
    expect(r.textEquals(ROWS[1]!.t!.replace('Ñ', 'N'))).toBe(false);
    expect(r.textEquals(null)).toBe(false);
    expect(r.textEquals(7)).toBe(false);
    expect(r.nextRow()).toBe(false);
  });

  it('compares a field with other bytes of the copy, and reads a row\'s fields again after a rewind', async () => {
    const r = new BinaryCopyReader(await db.copyOut("SELECT t, 'plain', t, NULL::text FROM copy_probe WHERE i = 0"), 4);
    expect(r.nextRow()).toBe(true);
    r.field();
    const [s, e] = [r.start, r.end];
    r.mark();
    expect(r.field().bytesEqual(s, e)).toBe(true);
    expect(r.field().bytesEqual(s, e - 1)).toBe(false);
    expect(r.latin1(s, e)).toBe('plain');
    r.rewind();
    expect(r.field().text()).toBe('plain');
    r.field();
    expect(r.field().bytesEqual(s, s)).toBe(false); // NULL is not the empty text
    expect(() => r.bytesEqual(0, r.bytes.length + 1)).toThrow(BinaryCopyError);
    expect(r.nextRow()).toBe(false);
  });

  it('sees a transaction\'s own writes, and fails a bad COPY as an error', async () => {
    const n = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO copy_probe (i, t) VALUES (99, 'in the transaction')");
      const r = new BinaryCopyReader(await tx.copyOut('SELECT t FROM copy_probe WHERE i = 99'), 1);
      const seen: (string | null)[] = [];
      while (r.nextRow()) seen.push(r.field().text());
      await tx.query('DELETE FROM copy_probe WHERE i = 99');
      return seen;
    });
    expect(n).toEqual(['in the transaction']);
    await expect(db.copyOut('SELECT no_such_column FROM copy_probe')).rejects.toThrow(/no_such_column/);
    // the connection is still good afterwards
    expect(new BinaryCopyReader(await db.copyOut('SELECT 1::bigint'), 1).nextRow()).toBe(true);
  });

  it('reads bigint arrays element by element, as high and low 32 bits, and refuses other arrays', async () => {
    const elements = async (select: string) => {
      const r = new BinaryCopyReader(await db.copyOut(select), 1);
      expect(r.nextRow()).toBe(true);
      const got: [number, number][] = [];
      const present = r.field().int8Elements((high, low) => got.push([high, low]));
      expect(r.nextRow()).toBe(false);
      return present ? got : null;
    };
    expect(await elements("SELECT ARRAY[0, 1, 4294967295, 4294967296, -1, (7::bigint << 32) | 181, (-3::bigint << 32) | 2147483647, 9007199254740991]::bigint[]")).toEqual([
      [0, 0], [0, 1], [0, 4294967295], [1, 0], [-1, 4294967295], [7, 181], [-3, 2147483647], [2097151, 4294967295],
    ]);
    expect(await elements('SELECT array_agg(i ORDER BY i) FROM copy_probe')).toEqual([[0, 0], [0, 3], [0, 4], [256, 7]]);
    expect(await elements("SELECT '{}'::bigint[]")).toEqual([]);
    expect(await elements('SELECT NULL::bigint[]')).toBeNull();
    await expect(elements("SELECT ARRAY[1, NULL]::bigint[]")).rejects.toThrow(/NULL/);
    await expect(elements("SELECT ARRAY[1, 2]::integer[]")).rejects.toThrow(/not bigint/);
    await expect(elements("SELECT '{{1},{2}}'::bigint[]")).rejects.toThrow(/dimensions/);
  });

  it('writes any text as a literal a parameterless COPY reads back exactly', async () => {
    const texts = ["us/md/prince-george's", 'back\\slash \\\' and \'\'', "E'x'", '$$ -- ;', 'Ñuñoa 🗽', ''];
    const r = new BinaryCopyReader(await db.copyOut(`SELECT ${texts.map(sqlLiteral).join(', ')}`), texts.length);
    expect(r.nextRow()).toBe(true);
    expect(texts.map(() => r.field().text())).toEqual(texts);
    expect(() => sqlLiteral('a\0b')).toThrow(/U\+0000/);
  });

  it('reads a copy of many megabytes as the rows the driver gives, again into memory given back', async () => {
    const select = "SELECT g::bigint, repeat(md5(g::text), 1 + g % 40) FROM generate_series(1, 20000) g ORDER BY g";
    const expected = await db.query<{ n: string; repeat: string }>(select.replace('g::bigint', 'g::text AS n'));
    for (let round = 0; round < 2; round++) {
      const bytes = await db.copyOut(select);
      expect(bytes.length).toBeGreaterThan(10_000_000);
      const r = new BinaryCopyReader(bytes, 2);
      let n = 0;
      while (r.nextRow()) {
        const e = expected[n++]!;
        if (String(r.field().int8()) !== e.n || r.field().text() !== e.repeat) throw new Error(`row ${n} differs`);
      }
      expect(n).toBe(20000);
      reuseCopyBytes(bytes);
    }
  });

  it('fails a copy that breaks halfway as an error, and the connection goes on', async () => {
    // rows are sent before the row that divides by zero
    await expect(db.copyOut("SELECT repeat('x', 1000), 1 / (5000 - g) FROM generate_series(1, 10000) g")).rejects.toThrow(/division by zero/);
    const r = new BinaryCopyReader(await db.copyOut("SELECT 'after'::text"), 1);
    expect(r.nextRow() && r.field().text()).toBe('after');
  });

  it('refuses bytes cut short, of another width or not a binary COPY', async () => {
    const bytes = await db.copyOut('SELECT i, t FROM copy_probe ORDER BY i');
    const readAll = (b: Uint8Array, columns = 2) => {
      const r = new BinaryCopyReader(b, columns);
      while (r.nextRow()) {
        r.field();
        r.field();
      }
    };
    expect(() => readAll(bytes)).not.toThrow();
    expect(() => readAll(bytes.subarray(0, bytes.length - 1))).toThrow(BinaryCopyError);
    expect(() => readAll(bytes.subarray(0, 40))).toThrow(BinaryCopyError);
    expect(() => readAll(bytes, 3)).toThrow(/columns/);
    expect(() => readAll(new TextEncoder().encode('1\tplain\n'))).toThrow(/signature/);
    const r = new BinaryCopyReader(bytes, 2);
    r.nextRow();
    expect(() => r.field().bool()).toThrow(/boolean/);
    r.field();
    expect(() => r.field()).toThrow(/more fields/);
  });
});
