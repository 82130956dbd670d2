// One error type for every refusal a surface reports, and one mapping from its code to an exit status and an HTTP status.
import type { IncomingHttpHeaders } from 'node:http';
import { UnknownInstrumentError } from '../engine/engine.js';
import { AnalysisInputError } from '../analysis/params.js';
import type { Corpus } from '../policy/corpus.js';
import { ScenarioError, type InputError } from '../vocabulary/scenario.js';
import { instrumentCandidates, jurisdictionCandidates, nearMatches } from './suggestions.js';

/** Why a request is refused; the code decides the exit status and the HTTP status, the error object says the rest. */
export type ErrorCode =
  /** A value that is not what the field takes (a scenario fact, a flag, a query parameter). */
  | 'bad_input'
  /** Not a calendar date written YYYY-MM-DD. */
  | 'bad_date'
  /** A jurisdiction id the corpus does not have. */
  | 'unknown_jurisdiction'
  /** An instrument id the corpus does not have. */
  | 'unknown_instrument'
  /** One instrument assumed both in force and not in force. */
  | 'conflicting_what_if'
  /** A query parameter or option the endpoint does not take. */
  | 'unknown_parameter'
  /** No token, or one that is unknown or revoked. */
  | 'unauthorized'
  /** A token whose role or scope does not cover what was asked. */
  | 'forbidden'
  /** A resource (jurisdiction, instrument, endpoint) that does not exist. */
  | 'not_found'
  /** An endpoint asked with a method it does not answer. */
  | 'method_not_allowed'
  /** A body or batch over the limit. */
  | 'too_large'
  /** An analysis larger than the caller may ask for (rows, time); the message says how to ask for less. */
  | 'over_limit'
  /** A body that is not JSON, or sent in a Content-Encoding (request bodies are never decoded). */
  | 'unsupported_media_type'
  /** The policies or the configuration cannot be used (a bad corpus, a bad server what-if). */
  | 'bad_config'
  /** A resource the program needs is not there (a port taken, a database down). */
  | 'unavailable'
  /** Too many requests from one client address or token in the rate-limit window. */
  | 'rate_limited'
  /** A request line, URL or headers the server cannot take (too long, badly encoded). */
  | 'bad_request'
  /** A request URL longer than the server takes. */
  | 'uri_too_long'
  /** Request headers larger than the server takes. */
  | 'headers_too_large'
  /** A cross-origin request from an origin that is not allowed. */
  | 'origin_not_allowed'
  /** A client that took too long to send its request. */
  | 'timeout'
  /** The command ran and found problems (failing policy tests, check findings, files not formatted). */
  | 'failed';

/** The contract's error object (section 5), with near misses when the given value looks like an allowed one. */
export interface ErrorObject extends InputError {
  did_you_mean?: readonly string[];
  /** When `given` was too long to repeat whole: its length in characters (of its JSON text if not a string). */
  given_length?: number;
}

/** The most characters of a given value an error object repeats (issue 11: a 10 MB value must not come back whole). */
export const GIVEN_MAX = 200;

/** An excerpt of `text` at most `max` characters long, ending in "…", never splitting a UTF-16 surrogate pair. */
function cut(text: string, max: number): string {
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * The error object with `given` cut to an excerpt (plus `given_length`) when it is longer than GIVEN_MAX characters;
 * a structured value is shown as its JSON text, and one too deeply nested to write out is named as such.
 */
export function withCappedGiven(error: ErrorObject): ErrorObject {
  const g = error.given;
  if (typeof g === 'string') return g.length <= GIVEN_MAX ? error : { ...error, given: cut(g, GIVEN_MAX), given_length: g.length };
  if (g === null || typeof g !== 'object') return error;
  let text: string | undefined;
  try {
    text = JSON.stringify(g);
  } catch {
    return { ...error, given: '(a value nested too deeply to show)' };
  }
  if (text === undefined || text.length <= GIVEN_MAX) return error;
  return { ...error, given: cut(text, GIVEN_MAX), given_length: text.length };
}

const statuses: Record<ErrorCode, { exit: number; http: number }> = {
  bad_input: { exit: 2, http: 400 },
  bad_date: { exit: 2, http: 400 },
  unknown_jurisdiction: { exit: 2, http: 400 },
  unknown_instrument: { exit: 2, http: 400 },
  conflicting_what_if: { exit: 2, http: 400 },
  unknown_parameter: { exit: 2, http: 400 },
  unauthorized: { exit: 1, http: 401 },
  forbidden: { exit: 1, http: 403 },
  not_found: { exit: 2, http: 404 },
  method_not_allowed: { exit: 2, http: 405 },
  too_large: { exit: 2, http: 413 },
  over_limit: { exit: 2, http: 403 },
  unsupported_media_type: { exit: 2, http: 415 },
  bad_config: { exit: 2, http: 500 },
  unavailable: { exit: 1, http: 503 },
  rate_limited: { exit: 1, http: 429 },
  bad_request: { exit: 2, http: 400 },
  uri_too_long: { exit: 2, http: 414 },
  headers_too_large: { exit: 2, http: 431 },
  origin_not_allowed: { exit: 1, http: 403 },
  timeout: { exit: 1, http: 408 },
  failed: { exit: 1, http: 422 },
};

/** Exit status of a command that succeeded. */
export const EXIT_OK = 0;
/** Exit status of a command that ran and found problems. */
export const EXIT_FAILED = 1;
/** Exit status of bad input (contract section 5). */
export const EXIT_BAD_INPUT = 2;
/** Exit status of a defect: something that should not happen did (sysexits EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

/** A refusal with a code and the contract error object; surfaces turn it into an exit status or an HTTP status. */
export class ContractError extends Error {
  /** The error object, `given` capped (withCappedGiven). */
  readonly error: ErrorObject;

  constructor(readonly code: ErrorCode, error: ErrorObject) {
    super(`${error.path}: ${error.message}`);
    this.name = 'ContractError';
    this.error = withCappedGiven(error);
  }

  /** The exit status for this code. */
  get exitCode(): number {
    return statuses[this.code].exit;
  }

  /** The HTTP status for this code. */
  get httpStatus(): number {
    return statuses[this.code].http;
  }

  /** The body a surface sends: `{"error": {path, given, allowed, message}}`. */
  body(): { error: ErrorObject } {
    return { error: this.error };
  }
}

/** The exit status for an error code. */
export function exitCodeOf(code: ErrorCode): number {
  return statuses[code].exit;
}

/** The HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return statuses[code].http;
}

/**
 * The one adapter from the domain's errors to a ContractError: a bad scenario, a bad analysis parameter, an unknown
 * instrument in a what-if. Anything else is not a refusal (a defect), and gives undefined.
 */
export function contractErrorOf(e: unknown, corpus?: Corpus): ContractError | undefined {
  if (e instanceof ContractError) return e;
  if (e instanceof ScenarioError) {
    if (corpus && e.error.path === 'actor.jurisdiction') return unknownJurisdiction(corpus, e.error.path, e.error.given, e.error.message);
    return new ContractError(e.error.path === 'date' ? 'bad_date' : 'bad_input', e.error);
  }
  if (e instanceof AnalysisInputError) {
    if (e.error.message === 'unknown jurisdiction' && corpus) return unknownJurisdiction(corpus, e.error.path, e.error.given);
    const code = e.error.allowed?.includes('YYYY-MM-DD') ? 'bad_date' : e.error.message === 'unknown jurisdiction' ? 'unknown_jurisdiction' : 'bad_input';
    return new ContractError(code, e.error);
  }
  if (e instanceof UnknownInstrumentError) {
    return corpus ? unknownInstrument(corpus, e.option, e.id, e.message) : new ContractError('unknown_instrument', { path: e.option, given: e.id, message: e.message });
  }
  return undefined;
}
/**
 * The refusal of a request body sent in a Content-Encoding (gzip, br, deflate, or one nobody knows), or undefined when
 * there is none to refuse (no body, no such header, or `identity`). No surface decodes request bodies: a decoder that
 * met a corrupt or unknown coding left the client's bytes unread and the connection reset (EPIPE) instead of an answer,
 * and a parser would read compressed bytes as text. The header is named, so the fix is plain. Each HTTP surface
 * refuses with it before any body parser runs.
 */
export function encodedBodyRefusal(headers: IncomingHttpHeaders): ContractError | undefined {
  const coding = headers['content-encoding'];
  const length = headers['content-length'];
  const body = headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (coding === undefined || !body || /^\s*identity\s*$/i.test(coding)) return undefined;
  return new ContractError('unsupported_media_type', {
    path: '(content-encoding)', given: coding, allowed: ['identity'],
    message: 'request bodies are read as sent: send the body uncompressed, without a Content-Encoding header',
  });
}

/** The refusal of a jurisdiction id the corpus does not have. */
export function unknownJurisdiction(corpus: Corpus, path: string, value: unknown, message?: string): ContractError {
  const near = typeof value === 'string' ? nearMatches(value, jurisdictionCandidates(corpus)) : [];
  return new ContractError('unknown_jurisdiction', {
    path,
    given: value ?? null,
    allowed: [...corpus.jurisdictions.keys()].sort(),
    message: message ?? (value === undefined ? 'required: a jurisdiction id' : 'unknown jurisdiction'),
    ...(near.length ? { did_you_mean: near } : {}),
  });
}

/** The refusal of an instrument id the corpus does not have. */
export function unknownInstrument(corpus: Corpus, path: string, value: string, message = `no instrument "${value}" in the corpus`): ContractError {
  const near = nearMatches(value, instrumentCandidates(corpus));
  return new ContractError('unknown_instrument', {
    path, given: value, allowed: [...corpus.instruments.keys()].sort(), message, ...(near.length ? { did_you_mean: near } : {}),
  });
}


/** One line for a person: `path: message (given "x"); did you mean y?`. */
export function errorLine(error: ErrorObject): string {
  const given = error.given === undefined || error.given === null ? '' : ` (given ${JSON.stringify(error.given)})`;
  const near = error.did_you_mean?.length ? `; did you mean ${error.did_you_mean.join(' or ')}?` : '';
  return `${error.path}: ${error.message}${given}${near}`;
}
