// Reads PostgreSQL's binary COPY format (what `Sql.copyOut` returns) field by field, straight from the bytes: no
// object per row or per column, which is what `log verify` of a million records spends its time on otherwise.
// Format: https://www.postgresql.org/docs/current/sql-copy.html ("Binary Format").

/** The 11 bytes every binary COPY starts with. */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** The type of bigint, as an array's header names its elements. */
const INT8_OID = 20;
/** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for timestamps. */
const PG_EPOCH_US = 946_684_800_000_000;

/** The copy's bytes are not what PostgreSQL writes (cut short, or not a binary COPY). */
export class BinaryCopyError extends Error {
  constructor(message: string) {
    super(`binary COPY: ${message}`);
    this.name = 'BinaryCopyError';
  }
}

/**
 * A cursor over a binary COPY: `nextRow()` moves to the next row, then each `field()` reads the next column, whose
 * bytes are then `bytes[start, end)`, and the typed readers decode them. Every length is checked against the bytes.
 */
export class BinaryCopyReader {
  readonly #view: DataView;
  /** The same bytes as a Buffer: its UTF-8 decoding measured faster than TextDecoder's on short texts. */
  readonly #buffer: Buffer;
  #at: number;
  /** Where the current field's bytes start (after `field()`). */
  start = 0;
  /** Where they end; `start === end` for an empty value. */
  end = 0;
  /** Whether the current field is NULL. */
  isNull = false;
  #fieldsLeft = 0;
  #markAt = 0;
  #markFieldsLeft = 0;

  constructor(readonly bytes: Uint8Array, readonly columns: number) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 19 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new BinaryCopyError('the bytes do not start with its signature');
    const extension = this.#view.getUint32(15);
    this.#at = 19 + extension;
    if (this.#at > bytes.length) throw new BinaryCopyError('its header is cut short');
  }

  /**
   * Moves to the next row (past any field of this one left unread): false at the end of the copy. Throws on a row of
   * another width or bytes cut short.
   */
  nextRow(): boolean {
    while (this.#fieldsLeft > 0) this.field();
    if (this.#at + 2 > this.bytes.length) throw new BinaryCopyError('it ends without its trailer');
    const fields = this.#view.getInt16(this.#at);
    this.#at += 2;
    if (fields === -1) return false;
    if (fields !== this.columns) throw new BinaryCopyError(`a row of ${fields} columns, not ${this.columns}`);
    this.#fieldsLeft = fields;
    return true;
  }

  /** Moves to the row's next field and returns this reader (for `reader.field().text()`). */
  field(): this {
    if (this.#fieldsLeft-- <= 0) throw new BinaryCopyError('more fields read than the row has');
    if (this.#at + 4 > this.bytes.length) throw new BinaryCopyError('a field is cut short');
    const length = this.#view.getInt32(this.#at);
    this.#at += 4;
    this.isNull = length === -1;
    const size = this.isNull ? 0 : length;
    if (size < 0 || this.#at + size > this.bytes.length) throw new BinaryCopyError('a field is cut short');
    this.start = this.#at;
    this.end = this.#at + size;
    this.#at = this.end;
    return this;
  }

  /** Remembers where the reader stands in the row, to read the same fields again after `rewind()`. */
  mark(): void {
    this.#markAt = this.#at;
    this.#markFieldsLeft = this.#fieldsLeft;
  }

  /** Goes back to where `mark()` was called (in the same row). */
  rewind(): void {
    this.#at = this.#markAt;
    this.#fieldsLeft = this.#markFieldsLeft;
  }

  /** Whether the field is not NULL and its bytes are exactly `bytes[start, end)` of this copy. */
  bytesEqual(start: number, end: number): boolean {
    if (start < 0 || end > this.bytes.length) throw new BinaryCopyError('bytesEqual() takes a range of the same copy');
    if (this.isNull || end - start !== this.end - this.start) return false;
    const b = this.bytes;
    for (let i = this.start, j = start; j < end; i++, j++) if (b[i] !== b[j]) return false;
    return true;
  }

  /** Bytes `[start, end)` of this copy as latin1 text (one character a byte: exact for ASCII). */
  latin1(start: number, end: number): string {
    return this.#buffer.toString('latin1', start, end);
  }

  #sized(n: number, type: string): void {
    if (this.end - this.start !== n) throw new BinaryCopyError(`a ${type} field of ${this.end - this.start} bytes`);
  }

  /** The field as text (UTF-8), or null. */
  text(): string | null {
    return this.isNull ? null : this.#buffer.toString('utf8', this.start, this.end);
  }

  /** Bytes of this copy (a `bytea()` view of an earlier field) as UTF-8 text. */
  decode(view: Uint8Array): string {
    const at = view.byteOffset - this.bytes.byteOffset;
    if (view.buffer !== this.bytes.buffer || at < 0 || at + view.length > this.bytes.length) throw new BinaryCopyError('decode() takes a view into the same copy');
    return this.#buffer.toString('utf8', at, at + view.length);
  }

  /**
   * Whether the field is exactly `value` (a string, or null for NULL), comparing bytes where both are ASCII (no string
   * is decoded for the common case) and the decoded text otherwise.
   */
  textEquals(value: unknown): boolean {
    if (this.isNull) return value === null;
    if (typeof value !== 'string') return false;
    const n = this.end - this.start;
    if (value.length === n) {
      let i = 0;
      for (let o = this.start; i < n; i++, o++) {
        const c = this.bytes[o]!;
        const d = value.charCodeAt(i);
        if (c >= 0x80 || d >= 0x80) break; // not ASCII from here on: compared as decoded text below
        if (c !== d) return false; // the same so far, and an ASCII character differs
      }
      if (i === n) return true;
    }
    return this.text() === value;
  }

  /** The field's bytes (a view into the copy, not a copy), or null. */
  bytea(): Uint8Array | null {
    return this.isNull ? null : this.bytes.subarray(this.start, this.end);
  }

  /** A bigint field as a number (exact below 2^53), or null. */
  int8(): number | null {
    if (this.isNull) return null;
    this.#sized(8, 'bigint');
    return this.#view.getInt32(this.start) * 4294967296 + this.#view.getUint32(this.start + 4);
  }

  /** A boolean field, or null. */
  bool(): boolean | null {
    if (this.isNull) return null;
    this.#sized(1, 'boolean');
    return this.bytes[this.start] !== 0;
  }

  /**
   * A bigint[] field of one dimension with no NULL element: calls `each` with every element's high 32 bits (signed)
   * and low 32 bits (unsigned), in order, so that a caller can read two numbers packed into one bigint (or the value,
   * `high * 2 ** 32 + low`) without a BigInt. False (and no call) for a NULL field. Throws on any other array.
   */
  int8Elements(each: (high: number, low: number) => void): boolean {
    if (this.isNull) return false;
    const v = this.#view;
    let at = this.start;
    const end = this.end;
    if (end - at < 12) throw new BinaryCopyError('an array field is cut short');
    const dims = v.getInt32(at);
    if (v.getInt32(at + 4) !== 0) throw new BinaryCopyError('a bigint array holds NULL');
    if (v.getUint32(at + 8) !== INT8_OID) throw new BinaryCopyError(`an array of type ${v.getUint32(at + 8)}, not bigint (${INT8_OID})`);
    at += 12;
    if (dims === 0) {
      if (at !== end) throw new BinaryCopyError('an empty array with elements');
      return true;
    }
    if (dims !== 1) throw new BinaryCopyError(`an array of ${dims} dimensions, not one`);
    if (end - at < 8) throw new BinaryCopyError('an array field is cut short');
    const n = v.getInt32(at);
    at += 8;
    if (n < 0 || end - at !== 12 * n) throw new BinaryCopyError(`a bigint array of ${n} elements in ${end - at} bytes`);
    for (; at < end; at += 12) {
      if (v.getInt32(at) !== 8) throw new BinaryCopyError('a bigint array element not of 8 bytes');
      each(v.getInt32(at + 4), v.getUint32(at + 8));
    }
    return true;
  }

  /** A timestamptz field as milliseconds since 1970 (rounded down from its microseconds), or null. */
  timestampMs(): number | null {
    if (this.isNull) return null;
    this.#sized(8, 'timestamp');
    const us = this.#view.getInt32(this.start) * 4294967296 + this.#view.getUint32(this.start + 4);
    return Math.floor((us + PG_EPOCH_US) / 1000);
  }
}
