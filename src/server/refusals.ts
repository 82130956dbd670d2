// How the API refuses: JSON bodies only (nesting bounded before anything sees them), every error as the contract's
// error object, and the answer to an address nothing serves (405 with Allow, a surface's page, or a 404 listing every endpoint).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ContractError, contractErrorOf, encodedBodyRefusal, withCappedGiven } from '../app/errors.js';
import type { Corpus } from '../policy/corpus.js';
import type { InputError } from '../vocabulary/scenario.js';
import { nestingError } from '../vocabulary/nesting.js';
import { excerpt } from './errors.js';
import { optionsAnswer } from './security.js';

/** A surface's answer to a browser's request for an address nothing serves. */
export type NotFoundPage = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>;

/** Whether a request for an address nothing serves should get a surface's page: a browser's GET, outside the API. */
export function wantsPage(request: FastifyRequest): boolean {
  const url = request.url.split('?')[0]!;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (url === '/v1' || url.startsWith('/v1/') || url === '/openapi.json' || url.startsWith('/docs')) return false;
  return /\btext\/html\b/i.test(String(request.headers.accept ?? ''));
}

/** What the refusals need from the server being built. */
export interface RefusalOptions {
  /** The corpus, to name near misses in unknown-instrument and unknown-jurisdiction errors. */
  readonly corpus: Corpus;
  /** The server-wide body limit (a route may set its own). */
  readonly bodyLimit: number;
  /** Origins allowed by CORS, for the OPTIONS answer of an address. */
  readonly corsOrigins: readonly string[];
}

/** The handle a surface uses to answer browsers for addresses nothing serves. */
export interface Refusals {
  /** Sets the page a browser gets for an address nothing serves (outside /v1). */
  readonly pageNotFound: (answer: NotFoundPage) => void;
}

function errorBody(error: InputError): { error: InputError } {
  return { error: withCappedGiven(error) };
}

/**
 * Most bytes of a refused body the server reads and discards after its answer. A body refused before it was read
 * (over the limit by its Content-Length, or cut off mid-stream) used to get its answer with `Connection: close`:
 * Node then closed the socket with the client's bytes unread, the kernel reset the connection, and a client still
 * sending saw EPIPE or ECONNRESET instead of the 413 (RFC 9112 section 9.6, the "TCP reset problem"). Up to this
 * many bytes the connection stays open and the rest of the body is read away; beyond, it is closed as before.
 */
export const REFUSED_BODY_DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * How long the rest of a refused body may take to arrive. A client that stopped sending after the answer (or declared
 * more than it sends) would otherwise keep the connection, and the server would read its next request as that body.
 */
export const REFUSED_BODY_DRAIN_MS = 10_000;

/** Keeps the connection of a reply that refuses an unread body open while the body is read away (see above). */
function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (reply.getHeader('connection') !== 'close' || raw.complete || raw.destroyed) return;
  const declared = Number(request.headers['content-length']);
  if (declared > REFUSED_BODY_DRAIN_LIMIT) return;
  reply.removeHeader('connection');
  // A request decoder (@fastify/compress's, for a Content-Encoding) has the body piped into it and stopped reading
  // at the refusal: its back-pressure would hold the body, and with it the connection's next request, unread until
  // the keep-alive timer reset the connection (the fuzz run's resent requests). The body is read away here instead.
  raw.unpipe();
  let read = 0;
  // `inject`'s stand-in socket has no destroy (a timer firing there threw from a callback): close only a real one.
  const drop = () => (raw.socket as { destroy?: () => void } | null)?.destroy?.();
  const late = setTimeout(drop, REFUSED_BODY_DRAIN_MS);
  late.unref();
  raw.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > REFUSED_BODY_DRAIN_LIMIT) drop();
  });
  raw.once('end', () => clearTimeout(late));
  raw.once('close', () => clearTimeout(late));
  raw.resume();
}

/**
 * A request's JSON body: the value of `text`, whose nesting is bounded before any handler (and its validators,
 * serializers, logs) sees it (see nesting.ts); a ContractError naming what is wrong otherwise. The body parser's, and
 * the decide fast path's.
 */
export function jsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ContractError('bad_input', { path: '(body)', given: excerpt(text), allowed: ['JSON text (RFC 8259)'], message: `not valid JSON: ${(e as Error).message}` });
  }
  const tooDeep = nestingError(value, '(body)');
  if (tooDeep) throw new ContractError('bad_input', tooDeep);
  return value;
}

/** Registers the JSON body parser, the error handler and the not-found answer on `app`. */
export function registerRefusals(app: FastifyInstance, { corpus, bodyLimit, corsOrigins }: RefusalOptions): Refusals {
  // Fastify's body parsers answer "connection: close" to a body they refused: read it away instead, so the answer arrives.
  app.addHook('onSend', function refusedBodyDrain(request, reply, payload, done) {
    drainRefusedBody(request, reply);
    done(null, payload);
  });

  // A body in a Content-Encoding is refused before any parser (or decoder) reads it, on every route and the 404.
  app.addHook('preParsing', function encodedBodyRefused(request, _reply, payload, done) {
    const refusal = encodedBodyRefusal(request.headers);
    if (refusal) done(refusal);
    else done(null, payload);
  });

  // Every route registered from here on is listed in the 404 answer, so the list cannot fall behind.
  const endpoints: string[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs/')) return;
    const url = route.url.replace(/:([a-z_]+)/g, '{$1}').replace(/\*$/, '{id}');
    for (const m of [route.method].flat()) if ((m === 'GET' || m === 'POST') && !endpoints.includes(`${m} ${url}`)) endpoints.push(`${m} ${url}`);
  });

  // Only JSON bodies; anything else is a 415 from the error handler. JSON errors are the contract's error object.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    let value: unknown;
    try {
      value = jsonBody(body as string);
    } catch (e) {
      done(e as ContractError, undefined);
      return;
    }
    done(null, value);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const refusal = contractErrorOf(err, corpus);
    if (refusal) return reply.code(refusal.httpStatus).send(refusal.body());
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody({
          path: '(content-type)', given: request.headers['content-type'] ?? null, allowed: ['application/json'],
          message: 'send the body as JSON, with Content-Type: application/json',
        }));
      case 'FST_ERR_CTP_BODY_TOO_LARGE': {
        const limit = request.routeOptions.bodyLimit ?? bodyLimit;
        return reply.code(413).send(errorBody({
          path: '(body)', given: request.headers['content-length'] ? Number(request.headers['content-length']) : null,
          allowed: [`at most ${limit} bytes`], message: `request body larger than ${limit} bytes`,
        }));
      }
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send(errorBody({ path: '(content-length)', given: request.headers['content-length'] ?? null, allowed: ['the length of the body in bytes'], message: 'Content-Length does not match the body' }));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      request.log.info({ err }, 'request refused');
      return reply.code(status).send(errorBody({ path: '(request)', given: null, message: err.message }));
    }
    request.log.error({ err }, 'internal error');
    return reply.code(500).send(errorBody({ path: '(server)', given: null, message: `internal error (request id ${request.id}); see the server log` }));
  });

  // A surface's page for a browser that asks for an address nothing serves (set when the surfaces register).
  let notFoundPage: NotFoundPage | undefined;
  // Fuzzers and scanners mostly ask for what is not there: the address limit (an onRequest hook) counts those too.
  void app.after(() => app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const others = ['GET', 'POST'].filter((m) => m !== request.method && app.hasRoute({ url, method: m as 'GET' | 'POST' }));
    const options = optionsAnswer(request, reply, others.includes('GET') ? ['GET', 'HEAD', ...others.filter((m) => m !== 'GET')] : others, corsOrigins);
    if (options) return options;
    if (others.length) {
      return reply.code(405).header('allow', others.join(', ')).send(errorBody({
        path: '(method)', given: request.method, allowed: others, message: `${url} answers ${others.join(', ')}`,
      }));
    }
    if (notFoundPage && wantsPage(request)) return notFoundPage(request, reply);
    return reply.code(404).send(errorBody({ path: '(url)', given: `${request.method} ${url}`, allowed: endpoints, message: 'no such endpoint' }));
  }));

  return {
    pageNotFound: (answer) => {
      notFoundPage = answer;
    },
  };
}
