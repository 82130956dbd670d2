// What a security review asks of the service, registered on the root instance from buildServer: security headers and
// a strict Content Security Policy (helmet), CORS closed unless origins are configured (@fastify/cors), rate limits
// per client address and per token (@fastify/rate-limit), and OPTIONS answered rather than refused.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import helmet from 'helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { ContractError } from '../app/errors.js';

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

/** The bearer token of a request, if it sends one. */
function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') && h.length > 7 ? h.slice(7) : undefined;
}

/** The 429 every limit answers: the contract's error object, with Retry-After in seconds. */
function rateLimited(reply: FastifyReply, what: 'address' | 'token', max: number, windowSeconds: number, retryAfter: number): FastifyReply {
  const refusal = new ContractError('rate_limited', {
    path: what === 'token' ? '(authorization)' : '(client)', given: null,
    allowed: [`at most ${max} requests per ${windowSeconds} s per ${what === 'token' ? 'token' : 'client address'}`],
    message: `too many requests; retry in ${retryAfter} s`,
  });
  return reply.code(429).header('retry-after', String(retryAfter)).type('application/json; charset=utf-8').send(JSON.stringify(refusal.body()));
}

/** Registers helmet, CORS (when origins are configured) and the rate limits on `app` (the root instance). */
export function registerSecurity(app: FastifyInstance, opts: SecurityOptions): void {
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
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (e?: unknown) => done(e as Error | undefined)));

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

  const windowMs = opts.rateLimitWindowSeconds * 1000;
  if (opts.rateLimitAddress > 0 || opts.rateLimitToken > 0) {
    void app.register(fastifyRateLimit, {
      global: opts.rateLimitAddress > 0,
      max: opts.rateLimitAddress || 1,
      timeWindow: windowMs,
      // request.ip is the client as the trusted proxy says (--trust-proxy), else the peer address.
      keyGenerator: (request) => `address:${request.ip}`,
      // The limit's headers go on the 429 only (with Retry-After), not on every answer.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      errorResponseBuilder: (_request, context) => new ContractError('rate_limited', {
        path: '(client)', given: null, allowed: [`at most ${context.max} requests per ${opts.rateLimitWindowSeconds} s per client address`],
        message: `too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    });
    if (opts.rateLimitToken > 0) {
      // A second, separate count per token: many clerks behind one county address each get their own allowance
      // (the address limit still applies, so inventing tokens does not buy more requests).
      void app.after(() => {
        const check = app.createRateLimit({
          max: opts.rateLimitToken, timeWindow: windowMs,
          keyGenerator: (request) => `token:${createHash('sha256').update(bearer(request) ?? '').digest('base64url').slice(0, 22)}`,
        });
        // Callback style: a request without a token (most of them) passes without a promise.
        app.addHook('onRequest', (request, reply, done) => {
          if (bearer(request) === undefined) return done();
          check(request).then((r) => {
            if (!r.isAllowed && r.isExceeded) rateLimited(reply, 'token', opts.rateLimitToken, opts.rateLimitWindowSeconds, r.ttlInSeconds);
            else done();
          }, done);
        });
      });
    }
  }
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
