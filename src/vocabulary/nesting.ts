// How deeply a JSON value nests, measured without recursion: input built to exhaust the stack (thousands of nested
// brackets) is refused where it enters, before any recursive code (a validator, JSON.stringify, canonicalize) sees it.
import type { InputError } from './scenario.js';

/** Most levels of arrays and objects any input may nest; a scenario needs 2, a contact record 3. */
export const MAX_NESTING = 64;

/** Where a value first nests deeper than the limit: the path down to there, and how deep it goes along it. */
export interface TooDeep {
  /** The path's segments (object keys and array indices), from the top. */
  readonly path: readonly (string | number)[];
  /** The depth reached along that path (at least the limit + 1). */
  readonly depth: number;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string | number | undefined;
  readonly parent: Frame | undefined;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** The first place where `value` nests more than `limit` arrays or objects, or undefined if it never does. */
export function tooDeep(value: unknown, limit: number = MAX_NESTING): TooDeep | undefined {
  if (!isContainer(value)) return undefined;
  const stack: Frame[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > limit) return { path: pathOf(frame), depth: depthAlong(frame) };
    const v = frame.value as Record<string, unknown> | unknown[];
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) if (isContainer(v[i])) stack.push({ value: v[i], depth: frame.depth + 1, key: i, parent: frame });
    } else {
      for (const k of Object.keys(v)) if (isContainer(v[k])) stack.push({ value: v[k], depth: frame.depth + 1, key: k, parent: frame });
    }
  }
  return undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const out: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) out.push(f.key);
  return out.reverse();
}

/** How far the first-child chain goes below a frame (a measure for the message, not the whole tree's depth). */
function depthAlong(frame: Frame): number {
  let depth = frame.depth;
  let v: unknown = frame.value;
  for (;;) {
    const next: unknown = Array.isArray(v) ? v[0] : isContainer(v) ? Object.values(v)[0] : undefined;
    if (!isContainer(next)) return depth;
    v = next;
    depth++;
  }
}

/**
 * The path to name in an error about nesting: the segments down to the last object key before the run of nested
 * arrays (`basis`, not `basis.0.0.0…`), at most `max` segments ("…" after), "(body)" when it is the whole value.
 */
export function nestingPath(path: readonly (string | number)[], whole = '(body)', max = 8): string {
  let end = path.length;
  while (end > 0 && typeof path[end - 1] === 'number') end--;
  const kept = path.slice(0, end);
  if (!kept.length) return whole;
  return kept.length > max ? `${kept.slice(0, max).join('.')}.…` : kept.join('.');
}

/**
 * The start of a value's JSON text, at most `max` characters ("..." when cut), written without recursion: safe for any
 * nesting and any size, so an error can show what was sent without echoing all of it.
 */
export function jsonExcerpt(value: unknown, max = 80): string {
  let out = '';
  const full = () => out.length >= max;
  // Work items: a value to write, or a literal piece of text (closing brackets, commas, keys).
  const work: ({ text: string } | { value: unknown })[] = [{ value }];
  while (work.length && !full()) {
    const item = work.pop()!;
    if ('text' in item) {
      out += item.text;
      continue;
    }
    const v = item.value;
    if (Array.isArray(v)) {
      out += '[';
      work.push({ text: ']' });
      // Only the first `max` items can show (each writes at least one character), so only they are queued.
      for (let i = Math.min(v.length, max) - 1; i >= 0; i--) {
        work.push({ value: v[i] });
        if (i) work.push({ text: ',' });
      }
    } else if (isContainer(v)) {
      out += '{';
      work.push({ text: '}' });
      const keys = Object.keys(v).slice(0, max);
      for (let i = keys.length - 1; i >= 0; i--) {
        work.push({ value: (v as Record<string, unknown>)[keys[i]!] });
        work.push({ text: `${JSON.stringify(keys[i]!.slice(0, max))}:` });
        if (i) work.push({ text: ',' });
      }
    } else {
      out += typeof v === 'string' ? JSON.stringify(v.slice(0, max)) : v === undefined ? 'null' : String(v);
    }
  }
  return out.length > max || work.length ? `${out.slice(0, max - 3)}...` : out;
}

/**
 * The contract error object for a value nested deeper than `limit`, or undefined when it is not: the path of the
 * field (see nestingPath), the start of what was sent there, and the bound. `whole` names the value itself.
 */
export function nestingError(value: unknown, whole: string, limit: number = MAX_NESTING): InputError | undefined {
  const found = tooDeep(value, limit);
  if (!found) return undefined;
  const named = nestingPath(found.path, whole);
  let end = found.path.length;
  while (end > 0 && typeof found.path[end - 1] === 'number') end--;
  let at: unknown = value;
  for (const k of found.path.slice(0, end)) at = (at as Record<string | number, unknown>)[k];
  return {
    path: named,
    given: jsonExcerpt(at),
    allowed: [`at most ${limit} levels of nested arrays and objects`],
    message: `arrays and objects nested ${found.depth} levels deep (counting from the top); at most ${limit} are allowed`,
  };
}
