// POST /v1/decide and /v1/decide/batch as a Fastify plugin: scenarios in, decisions out (worded in the request's
// language), the engine chosen by the request's what-if from the shared pool.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import { z } from 'zod';
import { languageParam, requestLanguage } from '../app/config.js';
import { ContractError } from '../app/errors.js';
import { knownQuery, listValues } from '../app/params.js';
import { API_WHAT_IF, engineFor, type EnginePool } from '../app/pool.js';
import { languages } from '../app/presentation/catalog.js';
import type { Lang } from '../app/presentation/messages.js';
import { encodeDecision, encodeDecisions } from '../app/presentation/decisions.js';
import type { Engine } from '../engine/engine.js';
import { ScenarioError, type Scenario } from '../vocabulary/scenario.js';
import { jsonSchemaOf, parameterNames } from './schemas.js';
import { outcomeOf } from './observability.js';

/** What the decide routes need: the engine pool and the batch limits. */
export interface DecideRoutesOptions {
  readonly engines: EnginePool;
  /** Largest batch body in bytes. */
  readonly batchBodyLimit: number;
  /** Most scenarios in one batch. */
  readonly maxBatch: number;
  /** Counts each decision answered by its outcome (the service's metrics). */
  readonly decided?: (outcome: string) => void;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The decide routes' query: the what-if and the language of the words (documents the API; handlers validate). */
const decideQuerySchema = z.strictObject({
  [API_WHAT_IF.in]: z.array(z.string()).optional().describe('What-if: decide as if this instrument were in force (and binding) on every date. Repeatable or comma-separated instrument ids.'),
  [API_WHAT_IF.out]: z.array(z.string()).optional().describe('What-if: decide as if this instrument were never in force. Repeatable or comma-separated instrument ids.'),
  lang: z.enum(languages).optional().describe('The language of the words (summary, why, instructions): en or es; without it, Accept-Language; else en.'),
});
const decideQuery = jsonSchemaOf(decideQuerySchema, 'input');

const errorResponse = (description: string) => ({ description, $ref: 'Error#' });

/** The decide routes' query parameters, as documented. */
const DECIDE_PARAMETERS = parameterNames(decideQuerySchema);

/** The request's what-if engine from the pool (the base engine when the query names none, the usual case). */
function engineForQuery(pool: EnginePool, q: Record<string, unknown>): Engine {
  const inForce = q[API_WHAT_IF.in];
  const notInForce = q[API_WHAT_IF.out];
  if (inForce === undefined && notInForce === undefined) return pool.base;
  return engineFor(pool, { assumeInForce: listValues(inForce), assumeNotInForce: listValues(notInForce) });
}

/** Accept-Language headers already ranked (browsers send few distinct ones). */
const languageOfHeader = new Map<string, Lang>();
const LANGUAGE_HEADERS_KEPT = 256;
/** The language of a request: its `lang`, else its Accept-Language (remembered). Throws on a bad `lang`. */
export function languageOf(q: Record<string, unknown>, acceptLanguage: string | string[] | undefined): Lang {
  // A repeated lang is refused, as /practice refuses it (requestLanguage takes the last, for pages' links).
  if (Array.isArray(q['lang'])) return languageParam('lang', q['lang']);
  if (q['lang'] !== undefined || typeof acceptLanguage !== 'string') return requestLanguage(q, acceptLanguage);
  let lang = languageOfHeader.get(acceptLanguage);
  if (lang === undefined) {
    lang = requestLanguage(q, acceptLanguage);
    if (languageOfHeader.size < LANGUAGE_HEADERS_KEPT) languageOfHeader.set(acceptLanguage, lang);
  }
  return lang;
}

/** A decision's JSON bytes, with its outcome as counted in the metrics (read once from the bytes' head). */
export interface DecisionBytes {
  readonly bytes: Buffer;
  readonly outcome: string;
}

/**
 * Decisions already joined into one buffer, found by the engine's pieces (a trie of WeakMaps keyed by each piece in
 * turn, so an engine's pieces and their joins go together). Many requests share a decision; joining its ~9 KB again
 * for each cost an allocation outside the heap and a copy. At most JOINED_KEPT are kept (~9 KB each).
 */
interface Joined { readonly next: WeakMap<Uint8Array, Joined>; decision?: DecisionBytes }
const JOINED_KEPT = 2048;
let joinedRoot: Joined = { next: new WeakMap() };
let joinedCount = 0;
function joined(pieces: readonly Uint8Array[]): DecisionBytes {
  let node = joinedRoot;
  for (const piece of pieces) {
    let child = node.next.get(piece);
    if (!child) node.next.set(piece, (child = { next: new WeakMap() }));
    node = child;
  }
  if (!node.decision) {
    // Full: start again (what is still asked for comes back at once; what was asked once goes).
    if (joinedCount >= JOINED_KEPT) {
      joinedRoot = { next: new WeakMap() };
      joinedCount = 0;
    }
    const bytes = Buffer.concat(pieces);
    node.decision = { bytes, outcome: outcomeOf(bytes) ?? 'unknown' };
    joinedCount++;
  }
  return node.decision;
}

/** What a JSON value is, for errors about the whole body or an item. */
function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Validates a scenario with the engine's codec; a value that is not an object is named by its JSON kind. */
function parseScenario(engine: Engine, value: unknown): Scenario {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScenarioError({ path: '(scenario)', given: jsonKind(value), allowed: ['object'], message: 'a scenario must be a JSON object' });
  }
  return engine.codec.parse(value);
}

/**
 * The decision for one request of POST /v1/decide: its engine, language and parsed body in, the decision's JSON bytes
 * and outcome out (shared: the same object for the same decision). Throws the contract's errors. The route's work, and
 * the fast path's.
 */
export function decision(engine: Engine, lang: Lang, body: unknown): DecisionBytes {
  const scenario = parseScenario(engine, body);
  const pieces: Uint8Array[] = [];
  encodeDecision(engine, scenario, lang, pieces);
  return joined(pieces);
}

/** Marks a raw request whose body the fast path read before handing it over: the bytes it read, to read again. */
export const replayBody = Symbol('trustrules.decideBody');
/** A raw request that may carry the body the fast path read. */
export type ReadRequest = IncomingMessage & { [replayBody]?: Readable };

/**
 * The decide route's preParsing hook: a request the fast path (decideFastPath.ts) read and handed over is parsed from
 * the bytes it read (ending as the request did, or with its error), so that Fastify refuses it exactly as it would have.
 */
export const replayedBody: preParsingHookHandler = (request, _reply, payload, done) => {
  done(null, (request.raw as ReadRequest)[replayBody] ?? payload);
};

/** Sends JSON already serialised (decisions come from the engine as UTF-8 pieces), bypassing the serializer. */
function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.header('content-type', JSON_TYPE).send(bytes);
}

/** The decide routes. */
export async function decideRoutes(app: FastifyInstance, opts: DecideRoutesOptions): Promise<void> {
  const { engines, batchBodyLimit, maxBatch } = opts;
  const decided = opts.decided ?? (() => undefined);
  const decideBody = (request: FastifyRequest): unknown => {
    if (request.body === undefined || (request.body === null && !request.headers['content-type'])) {
      throw new ContractError('bad_input', { path: '(body)', given: null, allowed: ['a JSON body, with Content-Type: application/json'], message: 'send a JSON body, with Content-Type: application/json' });
    }
    return request.body;
  };

  app.post('/v1/decide', {
    schema: {
      tags: ['decide'],
      summary: 'Decide one scenario',
      description: 'One scenario in, one decision out. Unknown or omitted facts are filled in every way (outcome "depends" when they matter).',
      querystring: decideQuery,
      body: { $ref: 'Scenario#' },
      response: { 200: { description: 'The decision', $ref: 'Decision#' }, 400: errorResponse('A bad scenario or what-if'), 413: errorResponse('Body too large'), 415: errorResponse('Not JSON') },
    },
    // A request the fast path read but could not answer comes here with its body (decideFastPath.ts).
    preParsing: replayedBody,
  }, (request, reply) => {
    // Synchronous (no promise per request): what it throws goes to the error handler all the same.
    const q = knownQuery(request.query, DECIDE_PARAMETERS);
    const lang = languageOf(q, request.headers['accept-language']);
    const engine = engineForQuery(engines, q);
    const answer = decision(engine, lang, decideBody(request));
    decided(answer.outcome);
    sendJsonBytes(reply, answer.bytes);
  });

  app.post('/v1/decide/batch', {
    bodyLimit: batchBodyLimit,
    schema: {
      tags: ['decide'],
      summary: 'Decide a batch of scenarios',
      description: `A JSON array of scenarios (at most ${maxBatch}) in, the array of their decisions out, in order. `
        + 'If any scenario is bad the whole batch is refused with 400, and the error path starts with its index (e.g. "3.basis").',
      querystring: decideQuery,
      body: { type: 'array', items: { $ref: 'Scenario#' }, maxItems: maxBatch },
      response: {
        200: { description: 'The decisions, in order', type: 'array', items: { $ref: 'Decision#' } },
        400: errorResponse('A bad scenario (path prefixed by its index) or what-if'),
        413: errorResponse('Too many scenarios, or body too large'),
        415: errorResponse('Not JSON'),
      },
    },
  }, async (request, reply) => {
    const q = knownQuery(request.query, DECIDE_PARAMETERS);
    const lang = languageOf(q, request.headers['accept-language']);
    const engine = engineForQuery(engines, q);
    const body = decideBody(request);
    if (!Array.isArray(body)) {
      throw new ContractError('bad_input', { path: '(body)', given: jsonKind(body), allowed: ['array'], message: 'a batch must be a JSON array of scenarios' });
    }
    if (body.length > maxBatch) {
      throw new ContractError('too_large', { path: '(body)', given: body.length, allowed: [`at most ${maxBatch} scenarios`], message: `too many scenarios in one batch (${body.length}; at most ${maxBatch})` });
    }
    const scenarios = body.map((item, i) => {
      try {
        return parseScenario(engine, item);
      } catch (e) {
        if (e instanceof ScenarioError) {
          const at = e.error.path === '(scenario)' ? String(i) : `${i}.${e.error.path}`;
          throw new ContractError('bad_input', { ...e.error, path: at, message: `scenario ${i}: ${e.error.message}` });
        }
        throw e;
      }
    });
    const pieces: Uint8Array[] = [];
    encodeDecisions(engine, scenarios, lang, pieces);
    for (const s of scenarios) decided(engine.outcome(s));
    return sendJsonBytes(reply, Buffer.concat(pieces));
  });
}
