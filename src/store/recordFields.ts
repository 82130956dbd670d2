// Finds the fields `log verify`'s row self-check compares with the query columns straight in a stored record's bytes,
// without JSON.parse (40 % of the verifier's time at a million records): a strict scanner that accepts only a narrow,
// canonical form of JSON, for which what it finds is exactly what JSON.parse would give, and declines everything else.

/** What a field found in the record is (ABSENT: the key is not there). */
export const FieldType = { ABSENT: 0, STRING: 1, NUMBER: 2, TRUE: 3, FALSE: 4, NULL: 5, OBJECT: 6, ARRAY: 7 } as const;

/**
 * The fields the self-check reads, by their place in `{"record": {...}, "salt": ...}`. Each is a slot of the scan's
 * result; its parent is the object it is a key of.
 */
export const Field = {
  ROOT: 0, RECORD: 1, INDEX: 2, ID: 3, TOMBSTONE: 4, OCCURRED_AT: 5, RECORDED_BY: 6, DEVIATION: 7, CORRECTS: 8,
  AGENT: 9, ACTION: 10, SCENARIO: 11, ACTOR: 12, JURISDICTION: 13, AGENCY: 14, REQUEST: 15, BASIS: 16, DECISION: 17,
  OUTCOME: 18,
} as const;
const SLOTS = 19;

/** For each object slot, its wanted keys (ASCII) and the slots they fill. */
const CHILDREN: readonly (readonly (readonly [string, number])[])[] = (() => {
  const c: [string, number][][] = Array.from({ length: SLOTS }, () => []);
  c[Field.ROOT] = [['record', Field.RECORD]];
  c[Field.RECORD] = [
    ['index', Field.INDEX], ['id', Field.ID], ['tombstone', Field.TOMBSTONE], ['occurred_at', Field.OCCURRED_AT],
    ['recorded_by', Field.RECORDED_BY], ['deviation', Field.DEVIATION], ['corrects', Field.CORRECTS], ['agent', Field.AGENT],
    ['action', Field.ACTION], ['scenario', Field.SCENARIO], ['decision', Field.DECISION],
  ];
  c[Field.SCENARIO] = [['actor', Field.ACTOR], ['request', Field.REQUEST], ['basis', Field.BASIS]];
  c[Field.ACTOR] = [['jurisdiction', Field.JURISDICTION], ['agency', Field.AGENCY]];
  c[Field.DECISION] = [['outcome', Field.OUTCOME]];
  return c;
})();
const CHILD_BYTES = CHILDREN.map((list) => list.map(([name, slot]) => ({ bytes: Uint8Array.from(name, (ch) => ch.charCodeAt(0)), slot })));

/** Deeper than this, the scanner declines (JSON.parse, which has no such limit, then decides). */
const MAX_DEPTH = 64;
/** Integers of at most this many digits are exact as numbers: the index is read only when it has no more. */
const MAX_INDEX_DIGITS = 15;

/**
 * A reusable scanner of one record's bytes at a time. `scan` accepts only JSON in which
 * - there is no whitespace between tokens, and every byte is ASCII (0x20–0x7E inside strings),
 * - no string has an escape (so each string's value is exactly its bytes),
 * - the keys of every object that holds a wanted field are in strictly increasing byte order (so no key is there twice,
 *   which JSON.parse would resolve to the last), as RFC 8785's canonical form writes them,
 * - numbers follow JSON's grammar, and nesting is at most MAX_DEPTH deep;
 * and it checks the whole input against that grammar, to the last byte. On such input JSON.parse succeeds, and each
 * wanted field it would give is the one found here: same type, a string's value equal to its bytes, an integer's
 * value equal to `number`. Anything else is declined (`scan` returns false), never guessed.
 */
export class RecordFields {
  /** Each slot's FieldType after a scan that returned true. */
  readonly type = new Uint8Array(SLOTS);
  /** A string field's value is `bytes[start, end)`. */
  readonly start = new Int32Array(SLOTS);
  /** See `start`. */
  readonly end = new Int32Array(SLOTS);
  /** The INDEX field's value, when it is a NUMBER (only integers of at most MAX_INDEX_DIGITS digits are accepted there). */
  index = -1;
  #b: Uint8Array = new Uint8Array(0);
  /** The same bytes four at a time (word k is bytes 4k to 4k + 3), when they start on a multiple of 4; else null. */
  #w: Uint32Array | null = null;
  #at = 0;
  #stop = 0;

  /** Scans `bytes[start, end)`: true when it is JSON of the form above, its wanted fields then in the slots. */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.type.fill(FieldType.ABSENT);
    this.index = -1;
    if (bytes !== this.#b) {
      this.#w = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2) : null;
    }
    this.#b = bytes;
    this.#at = start;
    this.#stop = end;
    return this.#value(Field.ROOT, 0) && this.#at === end;
  }

  /** The value at #at, into `slot` (-1: not wanted). */
  #value(slot: number, depth: number): boolean {
    if (this.#at >= this.#stop) return false;
    const b = this.#b;
    const c = b[this.#at]!;
    const from = this.#at;
    let type: number;
    if (c === 0x22) {
      if (!this.#string()) return false;
      type = FieldType.STRING;
      if (slot >= 0) {
        this.start[slot] = from + 1;
        this.end[slot] = this.#at - 1;
      }
    } else if (c === 0x7b) {
      if (depth >= MAX_DEPTH || !this.#object(slot, depth + 1)) return false;
      type = FieldType.OBJECT;
    } else if (c === 0x5b) {
      if (depth >= MAX_DEPTH || !this.#array(depth + 1)) return false;
      type = FieldType.ARRAY;
    } else if (c === 0x74) {
      if (!this.#literal(0x74, 0x72, 0x75, 0x65)) return false;
      type = FieldType.TRUE;
    } else if (c === 0x66) {
      // "false": past the "f", then "alse"
      this.#at++;
      if (!this.#literal(0x61, 0x6c, 0x73, 0x65)) return false;
      type = FieldType.FALSE;
    } else if (c === 0x6e) {
      if (!this.#literal(0x6e, 0x75, 0x6c, 0x6c)) return false;
      type = FieldType.NULL;
    } else {
      if (!this.#number(slot === Field.INDEX)) return false;
      type = FieldType.NUMBER;
    }
    if (slot >= 0) this.type[slot] = type;
    return true;
  }

  #literal(a: number, b: number, c: number, d: number): boolean {
    const x = this.#b;
    const at = this.#at;
    if (at + 4 > this.#stop || x[at] !== a || x[at + 1] !== b || x[at + 2] !== c || x[at + 3] !== d) return false;
    this.#at = at + 4;
    return true;
  }

  /** A string without escapes, all of it printable ASCII; #at moves past its closing quote. */
  #string(): boolean {
    const b = this.#b;
    const stop = this.#stop;
    let i = this.#at + 1;
    const w = this.#w;
    if (w !== null && stop - i >= 8) {
      // Whole words skipped while none of their four bytes can end the string or be refused in it (wordIsPlain);
      // the loop below then reads the word that can, byte by byte, and decides.
      while ((i & 3) !== 0) {
        const c = b[i]!;
        if (c === 0x22 || c < 0x20 || c > 0x7e || c === 0x5c) break;
        i++;
      }
      if ((i & 3) === 0) while (i + 4 <= stop && wordIsPlain(w[i >> 2]!)) i += 4;
    }
    for (; i < stop; i++) {
      const c = b[i]!;
      if (c === 0x22) {
        this.#at = i + 1;
        return true;
      }
      if (c < 0x20 || c > 0x7e || c === 0x5c) return false;
    }
    return false;
  }

  /** A number by JSON's grammar; for the index, an integer of at most MAX_INDEX_DIGITS digits, its value kept. */
  #number(isIndex: boolean): boolean {
    const b = this.#b;
    const stop = this.#stop;
    let i = this.#at;
    if (b[i] === 0x2d) {
      if (isIndex) return false;
      i++;
    }
    const digits = i;
    if (i >= stop) return false;
    if (b[i] === 0x30) i++;
    else if (b[i]! >= 0x31 && b[i]! <= 0x39) while (i < stop && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    else return false;
    if (isIndex) {
      if (i - digits > MAX_INDEX_DIGITS || (i < stop && (b[i] === 0x2e || b[i] === 0x65 || b[i] === 0x45))) return false;
      let v = 0;
      for (let k = digits; k < i; k++) v = v * 10 + (b[k]! - 0x30);
      this.index = v;
    }
    if (i < stop && b[i] === 0x2e) {
      i++;
      const f = i;
      while (i < stop && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      if (i === f) return false;
    }
    if (i < stop && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < stop && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      const e = i;
      while (i < stop && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      if (i === e) return false;
    }
    this.#at = i;
    return true;
  }

  #array(depth: number): boolean {
    const b = this.#b;
    this.#at++;
    if (this.#at < this.#stop && b[this.#at] === 0x5d) {
      this.#at++;
      return true;
    }
    for (;;) {
      if (!this.#value(-1, depth)) return false;
      if (this.#at >= this.#stop) return false;
      const c = b[this.#at++];
      if (c === 0x5d) return true;
      if (c !== 0x2c) return false;
    }
  }

  /** An object; when `slot` holds wanted fields, its keys must increase and the wanted ones fill their slots. */
  #object(slot: number, depth: number): boolean {
    const b = this.#b;
    const wanted = slot >= 0 ? CHILD_BYTES[slot]! : null;
    const ordered = wanted !== null && wanted.length > 0;
    this.#at++;
    if (this.#at < this.#stop && b[this.#at] === 0x7d) {
      this.#at++;
      return true;
    }
    let lastStart = -1;
    let lastEnd = -1;
    for (;;) {
      if (this.#at >= this.#stop || b[this.#at] !== 0x22) return false;
      const keyStart = this.#at + 1;
      if (!this.#string()) return false;
      const keyEnd = this.#at - 1;
      if (ordered) {
        if (lastStart >= 0 && !this.#after(keyStart, keyEnd, lastStart, lastEnd)) return false;
        lastStart = keyStart;
        lastEnd = keyEnd;
      }
      if (this.#at >= this.#stop || b[this.#at] !== 0x3a) return false;
      this.#at++;
      const child = ordered ? this.#child(wanted, keyStart, keyEnd) : -1;
      if (!this.#value(child, depth)) return false;
      if (this.#at >= this.#stop) return false;
      const c = b[this.#at++];
      if (c === 0x7d) return true;
      if (c !== 0x2c) return false;
    }
  }

  /** Whether key [s, e) sorts strictly after key [ps, pe) byte by byte (UTF-16 order, for ASCII). */
  #after(s: number, e: number, ps: number, pe: number): boolean {
    const b = this.#b;
    for (let i = s, j = ps; ; i++, j++) {
      if (j === pe) return i < e; // the previous key is a prefix: longer sorts after, equal is a duplicate
      if (i === e) return false;
      if (b[i] !== b[j]) return b[i]! > b[j]!;
    }
  }

  #child(wanted: readonly { bytes: Uint8Array; slot: number }[], s: number, e: number): number {
    const b = this.#b;
    const n = e - s;
    for (const w of wanted) {
      if (w.bytes.length !== n) continue;
      let k = 0;
      while (k < n && b[s + k] === w.bytes[k]) k++;
      if (k === n) return w.slot;
    }
    return -1;
  }
}

/**
 * Whether none of the four bytes of `x` is a quote, a backslash, or outside 0x20–0x7E: what a string's bytes can be
 * read past without looking at each. Exact (never true when one of them is such a byte), by the usual bit tricks on
 * the word: a byte's high bit set; `~(low + 0x60)`'s high bit (low = the byte's lower 7 bits: set below 0x20);
 * `low + 0x01`'s (set for 0x7F); and "some byte is zero" (`(y - 0x01…) & ~y & 0x80…`, which never misses the first
 * zero byte) of the word xor-ed with the quote and with the backslash. No sum carries from one byte into the next.
 */
export function wordIsPlain(x: number): boolean {
  const low = x & 0x7f7f7f7f;
  const q = x ^ 0x22222222;
  const s = x ^ 0x5c5c5c5c;
  return ((x | ~(low + 0x60606060) | (low + 0x01010101) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) === 0;
}

const digit = (b: Uint8Array, i: number): number => {
  const d = b[i]! - 0x30;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (b: Uint8Array, i: number): number => digit(b, i) * 10 + digit(b, i + 1);

/**
 * `Date.parse` of the ASCII text `bytes[start, end)` without making a string of it, for the one form records are
 * written in: `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, with a year from 1000, a day of at most 28 (valid in every
 * month) and every other part in its range; ECMAScript defines that form's value exactly (Date Time String Format).
 * NaN for any other text: the caller then asks `Date.parse` itself.
 */
export function isoTimestampMs(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n !== 20 && n !== 25) return NaN;
  const b = bytes;
  const s = start;
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || b[s + 10] !== 0x54 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return NaN;
  const year = two(b, s) * 100 + two(b, s + 2);
  const month = two(b, s + 5);
  const day = two(b, s + 8);
  const hour = two(b, s + 11);
  const minute = two(b, s + 14);
  const second = two(b, s + 17);
  // NaN fails every comparison, so a non-digit anywhere ends here too
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  let offset = 0;
  if (n === 20) {
    if (b[s + 19] !== 0x5a) return NaN;
  } else {
    const sign = b[s + 19] === 0x2b ? 1 : b[s + 19] === 0x2d ? -1 : 0;
    const oh = two(b, s + 20);
    const om = two(b, s + 23);
    if (sign === 0 || b[s + 22] !== 0x3a || !(oh <= 23 && om <= 59)) return NaN;
    offset = sign * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset;
}
