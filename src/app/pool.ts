// One engine per what-if, shared by every command, endpoint and analysis that assumes the same thing.
import { Engine } from '../engine/engine.js';
import type { Engines } from '../analysis/params.js';
import type { Corpus } from '../policy/corpus.js';
import { ContractError, unknownInstrument } from './errors.js';

/** What the surface calls its two what-if parameters, so that errors name them as the user wrote them. */
export interface WhatIfNames {
  readonly in: string;
  readonly out: string;
}

/** The HTTP API's names: `?assume_in_force=…&assume_not_in_force=…`. */
export const API_WHAT_IF: WhatIfNames = { in: 'assume_in_force', out: 'assume_not_in_force' };
/** The command line's names: `--assume-in-force`, `--assume-not-in-force` (paths without the dashes, as before). */
export const CLI_WHAT_IF: WhatIfNames = { in: 'assume-in-force', out: 'assume-not-in-force' };

/** Instruments assumed in force on every date, and never in force. */
export interface WhatIf {
  readonly assumeInForce?: readonly string[] | undefined;
  readonly assumeNotInForce?: readonly string[] | undefined;
}

/** How a pool is set up. */
export interface EnginePoolOptions {
  /** A what-if applied to every engine (the server's own); a request's what-if overrides it per instrument. */
  readonly defaults?: WhatIf;
  /** How the surface names the what-if parameters in errors (default the API's). */
  readonly names?: WhatIfNames;
  /** Most engines kept besides the base one; the least recently used goes first (default 32). */
  readonly capacity?: number;
  /** Finished decisions each what-if engine keeps for reuse (default `WHAT_IF_KEPT_DECISIONS`); the base keeps the engine's default. */
  readonly whatIfKeptDecisions?: number;
}

/**
 * What a what-if engine keeps of its finished decisions: a what-if is one person's question, rarely asked again in
 * bulk, and 32 engines at the engine's own bound (250,000, about 125 MB each) would let callers fill gigabytes.
 */
export const WHAT_IF_KEPT_DECISIONS = 10_000;

/**
 * Engines keyed by what-if. Each engine compiles its cells lazily and keeps them, so one pool per corpus (per process)
 * means a what-if is compiled once, whichever command or endpoint asks. An unknown instrument, or one assumed both
 * ways, is a ContractError naming the parameter; the engine is never built for it.
 */
export class EnginePool implements Engines {
  /** The engine under the defaults alone (the law, or the server's what-if). */
  readonly base: Engine;
  private readonly defaults: { inForce: readonly string[]; notInForce: readonly string[] };
  private readonly names: WhatIfNames;
  private readonly capacity: number;
  private readonly whatIfKept: number;
  private readonly engines = new Map<string, Engine>();

  constructor(readonly corpus: Corpus, options: EnginePoolOptions = {}) {
    this.names = options.names ?? API_WHAT_IF;
    this.capacity = options.capacity ?? 32;
    this.whatIfKept = options.whatIfKeptDecisions ?? WHAT_IF_KEPT_DECISIONS;
    const inForce = [...new Set(options.defaults?.assumeInForce ?? [])].sort();
    const notInForce = [...new Set(options.defaults?.assumeNotInForce ?? [])].sort();
    // The defaults come from configuration (flags or environment), so their errors name the flags.
    this.check(inForce, notInForce, CLI_WHAT_IF);
    this.defaults = { inForce, notInForce };
    this.base = new Engine(corpus, { assumeInForce: inForce, assumeNotInForce: notInForce });
  }

  /** The engine for this what-if on top of the defaults (the request wins for an instrument both name). */
  get(assumeInForce: readonly string[] = [], assumeNotInForce: readonly string[] = []): Engine {
    if (!assumeInForce.length && !assumeNotInForce.length) return this.base;
    this.check(assumeInForce, assumeNotInForce);
    const inForce = [...new Set([...this.defaults.inForce.filter((id) => !assumeNotInForce.includes(id)), ...assumeInForce])].sort();
    const notInForce = [...new Set([...this.defaults.notInForce.filter((id) => !assumeInForce.includes(id)), ...assumeNotInForce])].sort();
    const key = JSON.stringify([inForce, notInForce]);
    let engine = this.engines.get(key);
    if (engine) {
      this.engines.delete(key); // most recently used last
    } else {
      engine = new Engine(this.corpus, { assumeInForce: inForce, assumeNotInForce: notInForce }, undefined, { keptDecisions: this.whatIfKept });
      if (this.engines.size >= this.capacity) this.engines.delete(this.engines.keys().next().value!);
    }
    this.engines.set(key, engine);
    return engine;
  }

  /**
   * This pool seen under a what-if: its `get()` is the what-if's engine, and a further what-if adds to it. For an
   * analysis that asks the pool for "the law" (coverage, policy tests) while a request assumes something.
   */
  under(whatIf: WhatIf): Engines {
    const inForce = whatIf.assumeInForce ?? [];
    const notInForce = whatIf.assumeNotInForce ?? [];
    if (!inForce.length && !notInForce.length) return this;
    this.check(inForce, notInForce);
    return {
      get: (more: readonly string[] = [], fewer: readonly string[] = []) =>
        this.get([...inForce.filter((id) => !fewer.includes(id)), ...more], [...notInForce.filter((id) => !more.includes(id)), ...fewer]),
    };
  }

  private check(inForce: readonly string[], notInForce: readonly string[], names: WhatIfNames = this.names): void {
    for (const id of inForce) if (!this.corpus.instruments.has(id)) throw unknownInstrument(this.corpus, names.in, id);
    for (const id of notInForce) if (!this.corpus.instruments.has(id)) throw unknownInstrument(this.corpus, names.out, id);
    const both = inForce.find((id) => notInForce.includes(id));
    if (both) {
      throw new ContractError('conflicting_what_if', {
        path: names.out,
        given: both,
        message: `${names.in} and ${names.out} both name "${both}": assume it in force or not in force, not both`,
      });
    }
  }
}

/**
 * The engine under a what-if: the one way every surface (a command's flags, an endpoint's query, an analysis task)
 * turns its what-if into an engine. The base engine when the what-if names nothing; an unknown instrument, or one
 * assumed both ways, is the pool's ContractError naming the surface's parameter.
 */
export function engineFor(engines: Engines, whatIf: WhatIf): Engine {
  return engines.get(whatIf.assumeInForce ?? [], whatIf.assumeNotInForce ?? []);
}
