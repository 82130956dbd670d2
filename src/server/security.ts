// What a security review asks of the service, registered on the root instance from buildServer: security headers and
// a strict Content Security Policy (helmet), CORS closed unless origins are configured (@fastify/cors), rate limits
// per client address and per token (@fastify/rate-limit's counting store), and OPTIONS answered rather than refused.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import helmet from 'helmet';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { ContractError } from '../app/errors.js';

/** @fastify/rate-limit's in-memory store (an LRU of counts per key and window); the package exports no type for it. */
type LocalStoreClass = new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => FastifyRateLimitStore;
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as LocalStoreClass;
/** Client addresses and tokens counted at once (the plugin's default cache); the least recent are forgotten first. */
const RATE_LIMIT_KEYS = 5000;

/** What the security plugin is configured with (the service configuration's part). */
export interface SecurityOptions {
  /** Origins allowed to call the API from a browser; empty: CORS closed. */
  readonly corsOrigins: readonly string[];
  /** Requests per window per client address, and per bearer token; 0 turns a limit off. */
  readonly rateLimitAddress: number;
  readonly rateLimitToken: number;
  readonly rateLimitWindowSeconds: number;
}

/**
 * The Content Security Policy of every answer: only this origin's own files may run or style a page (the web app
 * serves its scripts and CSS under /assets/), nothing inline, no plugins, no framing, forms post only here.
 */
export const contentSecurityPolicy: Readonly<Record<string, readonly string[]>> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The headers a browser sends to ask whether a cross-origin request may be made (a CORS preflight). */
function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
}

/** The bearer token of a request's Authorization header, if it sends one. */
function bearer(h: string | string[] | undefined): string | undefined {
  return typeof h === 'string' && h.startsWith('Bearer ') && h.length > 7 ? h.slice(7) : undefined;
}

/** The 429 every limit answers: the contract's error object, with Retry-After in seconds. */
function rateLimited(reply: FastifyReply, what: 'address' | 'token', max: number, windowSeconds: number, retryAfter: number): FastifyReply {
  const refusal = new ContractError('rate_limited', {
    path: what === 'token' ? '(authorization)' : '(client)', given: null,
    allowed: [`at most ${max} requests per ${windowSeconds} s per ${what === 'token' ? 'token' : 'client address'}`],
    message: `too many requests; retry in ${retryAfter} s`,
  });
  // The headers @fastify/rate-limit sends with its 429.
  return reply.code(429)
    .header('x-ratelimit-limit', String(max)).header('x-ratelimit-remaining', '0').header('x-ratelimit-reset', String(retryAfter))
    .header('retry-after', String(retryAfter)).type('application/json; charset=utf-8').send(JSON.stringify(refusal.body()));
}

/**
 * The headers helmet's middleware sets, read once by running it on a stand-in response: every answer carries the
 * same ones (no per-request nonce), so a request costs copying them into the reply's headers.
 */
function headersOf(middleware: (req: IncomingMessage, res: ServerResponse, next: (e?: unknown) => void) => void): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
      return res;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  middleware({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (e) => (failure = e));
  if (failure) throw failure;
  return Object.freeze(headers);
}

/**
 * Registers helmet, CORS (when origins are configured) and the rate limits on `app` (the root instance), and gives the
 * headers and the rate limits' counter to what answers outside the hooks (the decide fast path).
 */
export function registerSecurity(app: FastifyInstance, opts: SecurityOptions): Security {
  // helmet's middleware, built once. (@fastify/helmet builds it again on every request, in two async hooks: 46 µs
  // a request on this machine, more than a whole hello-world answer; see BENCHMARKS.md.) The headers are the same.
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy as Record<string, string[]> },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Cross-origin callers configured for CORS still read the API; browsers only apply this to no-cors loads.
    crossOriginResourcePolicy: { policy: opts.corsOrigins.length ? 'cross-origin' : 'same-origin' },
    // Headers for browsers and plugins long gone (IE8 downloads, Flash policies, the removed XSS auditor) or now the
    // default (origin-keyed agent clusters, no DNS prefetch on HTTPS): each costs every answer bytes and a header check.
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
  });
  // Copied into Fastify's own header object (not set on the raw response, which would send Node's writeHead down its
  // slow path of one setHeader per header for Fastify's headers too). The request id goes out with them.
  const headers = Object.freeze(Object.entries(headersOf(securityHeaders)));
  app.addHook('onRequest', function securityHeaders(request, reply, done) {
    reply.header('x-request-id', request.id);
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });

  if (opts.corsOrigins.length) {
    const allowed = new Set(opts.corsOrigins);
    void app.register(fastifyCors, {
      origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'accept-language', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-reset'],
      maxAge: 600,
      strictPreflight: true,
    });
  }

  const rateLimit = rateLimiter(opts);
  if (rateLimit) {
    // Registered after CORS (when configured), so that a 429 still carries its Access-Control headers.
    void app.after(() => app.addHook('onRequest', function rateLimits(request, reply, done) {
      // The decide fast path may have counted this request already before handing it over (decideFastPath.ts).
      const pre = (request.raw as RateCountedRequest)[rateLimitCounted];
      const over = pre !== undefined ? pre : rateLimit(request.ip, request.headers.authorization);
      if (over) return void rateLimited(reply, over.what, over.max, opts.rateLimitWindowSeconds, over.retryAfter);
      done();
    }));
  }
  return { headers, rateLimit };
}

/** The limit a request went over, and when to retry. */
export interface RateLimitOver {
  readonly what: 'address' | 'token';
  readonly max: number;
  readonly retryAfter: number;
}

/** Counts one request against the limits (address, then token): undefined when within them, else the limit broken. */
export type RateLimit = (ip: string | undefined, authorization: string | string[] | undefined) => RateLimitOver | undefined;

/**
 * Marks a raw request already counted against the rate limits (by the decide fast path, which then handed it to
 * Fastify): the hook takes this verdict (null: within the limits) instead of counting the request twice.
 */
export const rateLimitCounted = Symbol('trustrules.rateLimitCounted');
/** A raw request that may carry the fast path's rate-limit verdict. */
export type RateCountedRequest = IncomingMessage & { [rateLimitCounted]?: RateLimitOver | null };

/** What the security plugin gives the parts answering outside Fastify's hooks (the decide fast path). */
export interface Security {
  /** The headers every answer carries after its x-request-id (CSP, HSTS, nosniff, …), in the hook's order. */
  readonly headers: readonly (readonly [string, string])[];
  /** The rate limits' counter, shared with the hook; undefined when both limits are off. */
  readonly rateLimit: RateLimit | undefined;
}

/**
 * The rate limits as one synchronous count in @fastify/rate-limit's own store (fixed window per key, the plugin's LRU
 * of 5,000 keys): the plugin's hook runs three async functions and a promise per request though its store answers
 * synchronously, ~2 µs of a decision's ~50 on this machine. Undefined when both limits are off.
 */
function rateLimiter(opts: SecurityOptions): RateLimit | undefined {
  const windowMs = opts.rateLimitWindowSeconds * 1000;
  const { rateLimitAddress, rateLimitToken } = opts;
  if (rateLimitAddress <= 0 && rateLimitToken <= 0) return undefined;
  const addresses = new LocalStore(false, false, RATE_LIMIT_KEYS);
  const tokens = new LocalStore(false, false, RATE_LIMIT_KEYS);
  // The store answers through a callback, synchronously: the count is read right after asking.
  let current = -1;
  let retryAfter = 0;
  const count = (e: Error | null, r?: { current: number; ttl: number }) => {
    if (e || !r) throw e ?? new Error('the rate-limit store gave no count');
    current = r.current;
    retryAfter = Math.ceil(r.ttl / 1000);
  };
  const counted = (store: FastifyRateLimitStore, key: string, max: number): number => {
    current = -1;
    store.incr(key, count, windowMs, max);
    if (current < 0) throw new Error('the rate-limit store did not answer synchronously');
    return current;
  };
  return (ip, authorization) => {
    // ip is the client as the trusted proxy says (--trust-proxy), else the peer address.
    if (rateLimitAddress > 0 && counted(addresses, `address:${ip}`, rateLimitAddress) > rateLimitAddress) return { what: 'address', max: rateLimitAddress, retryAfter };
    if (rateLimitToken > 0) {
      // A second, separate count per token: many clerks behind one county address each get their own allowance
      // (the address limit still applies, so inventing tokens does not buy more requests).
      const token = bearer(authorization);
      if (token !== undefined) {
        const key = `token:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
        if (counted(tokens, key, rateLimitToken) > rateLimitToken) return { what: 'token', max: rateLimitToken, retryAfter };
      }
    }
    return undefined;
  };
}

/**
 * The answer to an OPTIONS request no CORS preflight took: a preflight from an origin not allowed gets 403 with the
 * contract's error object; a plain OPTIONS on an endpoint gets 204 with Allow; anything else is the caller's 404.
 */
export function optionsAnswer(request: FastifyRequest, reply: FastifyReply, methods: readonly string[], corsOrigins: readonly string[]): FastifyReply | undefined {
  if (request.method !== 'OPTIONS' || !methods.length) return undefined;
  if (isPreflight(request)) {
    const refusal = new ContractError('origin_not_allowed', {
      path: '(origin)', given: request.headers.origin ?? null, allowed: [...corsOrigins],
      message: corsOrigins.length ? 'cross-origin requests are allowed only from the configured origins' : 'this service takes no cross-origin requests (CORS is closed)',
    });
    return reply.code(403).type('application/json; charset=utf-8').send(JSON.stringify(refusal.body()));
  }
  return reply.code(204).header('allow', [...methods, 'OPTIONS'].join(', ')).send();
}
