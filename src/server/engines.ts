// Engines per what-if: the server's own assumptions, overridden per request by the `assume_in_force` and
// `assume_not_in_force` query parameters; one engine (with its compiled cells and decision parts) per key.
import { Engine } from '../engine/engine.js';
import type { Corpus } from '../policy/corpus.js';
import { ApiError } from './errors.js';

export const WHAT_IF_PARAMS = { in: 'assume_in_force', out: 'assume_not_in_force' } as const;

/** A repeatable, comma-separable query parameter as a list of non-empty values. */
export function listParam(value: unknown): string[] {
  const raw = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return raw.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
}

export class EngineCache {
  readonly base: Engine;
  private readonly ids: readonly string[];
  private readonly engines = new Map<string, Engine>();

  constructor(readonly corpus: Corpus, private readonly defaults: { inForce: readonly string[]; notInForce: readonly string[] }, private readonly capacity = 32) {
    this.ids = [...corpus.instruments.keys()].sort();
    this.base = new Engine(corpus, { assumeInForce: defaults.inForce, assumeNotInForce: defaults.notInForce });
  }

  /** The engine for a request's what-if parameters (raw query values); throws ApiError (400) naming the parameter. */
  forQuery(query: Record<string, unknown>): Engine {
    const reqIn = listParam(query[WHAT_IF_PARAMS.in]);
    const reqOut = listParam(query[WHAT_IF_PARAMS.out]);
    if (!reqIn.length && !reqOut.length) return this.base;
    this.check(WHAT_IF_PARAMS.in, reqIn);
    this.check(WHAT_IF_PARAMS.out, reqOut);
    const both = reqIn.find((id) => reqOut.includes(id));
    if (both) {
      throw new ApiError(400, {
        path: WHAT_IF_PARAMS.out, given: both, message: `${WHAT_IF_PARAMS.in} and ${WHAT_IF_PARAMS.out} both name "${both}"`,
      });
    }
    // The request's assumptions win over the server's for the same instrument.
    const inForce = [...new Set([...this.defaults.inForce.filter((id) => !reqOut.includes(id)), ...reqIn])].sort();
    const notInForce = [...new Set([...this.defaults.notInForce.filter((id) => !reqIn.includes(id)), ...reqOut])].sort();
    const key = JSON.stringify([inForce, notInForce]);
    let engine = this.engines.get(key);
    if (engine) {
      this.engines.delete(key); // most recently used last
    } else {
      engine = new Engine(this.corpus, { assumeInForce: inForce, assumeNotInForce: notInForce });
      if (this.engines.size >= this.capacity) this.engines.delete(this.engines.keys().next().value!);
    }
    this.engines.set(key, engine);
    return engine;
  }

  private check(param: string, ids: readonly string[]): void {
    for (const id of ids) {
      if (!this.corpus.instruments.has(id)) {
        throw new ApiError(400, { path: param, given: id, allowed: this.ids, message: `no instrument "${id}" in the corpus` });
      }
    }
  }
}
