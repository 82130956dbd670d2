// What operators see of the running service: the pino logger Fastify is built with (level, redaction, one line per
// request, client addresses only when asked for), request ids (a client's own only if short and plain), Prometheus
// metrics at /metrics (prom-client) and the readiness check at /readyz.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { pino } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ContractError } from '../app/errors.js';
import type { LogLevel } from '../app/config.js';
import type { OpenContactStore } from '../store/open.js';
import { pendingMigrations } from '../store/migrate.js';

/** How the service logs. */
export interface LoggingOptions {
  readonly level: LogLevel;
  /** Also log each request's client address (off by default: people asking are not to be tracked). */
  readonly clientAddress: boolean;
  /** Where log lines go (default standard output); tests capture them here. */
  readonly stream?: { write(line: string): void };
}

/**
 * What never reaches a log line, wherever it appears: credentials (Authorization, cookies, tokens) and the scenario
 * of a contact record (what an agent asked about a person).
 */
export const redactedPaths: readonly string[] = [
  'authorization', 'cookie', 'token', 'password', 'scenario',
  '*.authorization', '*.cookie', '*["set-cookie"]', '*.token', '*.password', '*.scenario',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  'body.scenario', 'req.body.scenario', 'err.body', 'err.scenario',
];

/**
 * Fastify's `logger` option for these logging options: pino with redaction, or none at all when off. Lines go to
 * standard output asynchronously (pino's destination, flushed at exit): lines written while a write is under way
 * go out together in the next one, where a write per line cost every request a system call under load.
 */
export function loggerOptions(o: LoggingOptions): FastifyServerOptions['logger'] {
  if (o.level === 'off') return false;
  return {
    level: o.level,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    stream: o.stream ?? pino.destination({ dest: 1, sync: false }),
  } as unknown as FastifyServerOptions['logger'];
}

/** What writes the one line per request. */
export interface RequestLog {
  info(line: Record<string, unknown>, msg: string): void;
}

/**
 * A logger for the request lines alone, writing to the service log's stream: pino as the service's, without its
 * redaction, which the request line (method, path without query, route, status, time, request id, maybe the client
 * address) never needs, and which cost ~6 % of a logged decision's CPU. None when the log is off.
 */
export function requestLogger(o: LoggingOptions & { readonly stream: NonNullable<LoggingOptions['stream']> }): RequestLog | undefined {
  if (o.level === 'off') return undefined;
  return pino({ level: o.level }, o.stream as pino.DestinationStream);
}

/** A request id a client may choose: 1-64 letters, digits and `.` `_` `:` `-` (anything else is replaced). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify's `genReqId`: the client's `x-request-id` when short and plain, otherwise a new random id. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The path of a request's URL without its query (a query may hold a person's answers, e.g. the guide's). */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The metrics the service keeps, in their own registry (one per server, so tests can build many). */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Counts a decision by its outcome. */
  decided(outcome: string): void;
  /**
   * Counts one answered request, times it and writes its log line: the onResponse hook's work, and the decide fast
   * path's (decideFastPath.ts), which answers outside Fastify's lifecycle and must count and log the same.
   * `client` is read only when client addresses are logged.
   */
  answered(method: string, route: string, status: number, ms: number, id: string, url: string, client: () => string | undefined): void;
  /** Whether the request lines go to the shared request log (the only log the fast path can write to), or none is written. */
  readonly sharedRequestLog: boolean;
}

/** What the observability hooks need. */
export interface ObservabilityOptions {
  readonly logging: Pick<LoggingOptions, 'clientAddress'>;
  /** Writes the request lines (requestLogger); without it they go through each request's own logger. */
  readonly requestLog?: RequestLog | undefined;
  /** The contact store whose log size the metrics report. */
  readonly contacts?: OpenContactStore | undefined;
  /** How many worker threads run /v1/analysis (0: in process), asked when the metrics are read. */
  readonly analysisThreads?: () => number;
}

/** The outcome at the head of a decision's JSON bytes (`{"outcome":"…"`), for counting decisions without parsing them. */
export function outcomeOf(bytes: Uint8Array): string | undefined {
  const prefix = '{"outcome":"';
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return undefined;
  let end = prefix.length;
  while (end < bytes.length && end < 40 && bytes[end] !== 0x22) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + prefix.length, end - prefix.length).toString('latin1');
}

/**
 * Registers the request log line and request metrics (one onResponse hook) on `app` (the root instance), and gives
 * the metrics for routes to count into.
 */
export function registerObservability(app: FastifyInstance, opts: ObservabilityOptions): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'trustrules_' });
  const requests = new Counter({ name: 'trustrules_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'trustrules_http_request_duration_seconds', help: 'Time from receiving a request to answering it, by route', labelNames: ['route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry],
  });
  const decisions = new Counter({ name: 'trustrules_decisions_total', help: 'Decisions answered by POST /v1/decide and /v1/decide/batch, by outcome', labelNames: ['outcome'], registers: [registry] });
  const appends = new Counter({ name: 'trustrules_contact_appends_total', help: 'Contact records durably appended (POST /v1/contacts answered 201)', registers: [registry] });
  const { contacts, analysisThreads } = opts;
  new Gauge({
    name: 'trustrules_analysis_threads', help: 'Worker threads that run /v1/analysis (0: on the event loop; --analysis-threads)', registers: [registry],
    collect() {
      if (analysisThreads) this.set(analysisThreads());
    },
  });
  new Gauge({
    name: 'trustrules_log_tree_size', help: 'Records in the contact log at its latest signed checkpoint', registers: [registry],
    async collect() {
      if (!contacts) return;
      try {
        this.set((await contacts.store.head()).size);
      } catch {
        /* the database is away: /readyz says so; the gauge keeps its last value */
      }
    },
  });
  // Counters are created per label set once; a request then costs a lookup and an add.
  const decidedBy = new Map<string, Counter.Internal>();
  const requestsBy = new Map<string, Counter.Internal>();
  const latencyBy = new Map<string, Histogram.Internal<string>>();
  const clientAddress = opts.logging.clientAddress;
  const logRequests = ['info', 'debug', 'trace'].includes(app.log.level);
  const { requestLog } = opts;
  /** Counts and times a request; true when its line is still to be written (the log is at info or finer). */
  const counted = (method: string, route: string, status: number, ms: number): boolean => {
    const key = `${method} ${route} ${status}`;
    let c = requestsBy.get(key);
    if (!c) requestsBy.set(key, (c = requests.labels(method, route, String(status))));
    c.inc();
    let timed = latencyBy.get(route);
    if (!timed) latencyBy.set(route, (timed = latency.labels(route)));
    timed.observe(ms / 1000);
    if (status === 201 && route === '/v1/contacts' && method === 'POST') appends.inc();
    return logRequests;
  };
  const lineOf = (method: string, route: string, status: number, ms: number, url: string, client: () => string | undefined) => ({
    method, url: pathOf(url), route, status, ms: Math.round(ms * 10) / 10,
    ...(clientAddress ? { client: client() } : {}),
  });
  const metrics: ServiceMetrics = {
    registry,
    decided(outcome) {
      let c = decidedBy.get(outcome);
      if (!c) decidedBy.set(outcome, (c = decisions.labels(outcome)));
      c.inc();
    },
    answered(method, route, status, ms, id, url, client) {
      // Below info the line is never built.
      if (counted(method, route, status, ms) && requestLog) requestLog.info({ reqId: id, ...lineOf(method, route, status, ms, url, client) }, 'request');
    },
    sharedRequestLog: !logRequests || requestLog !== undefined,
  };

  app.addHook('onResponse', function requestMetrics(request, reply, done) {
    const route = request.routeOptions.url ?? '(none)';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    if (counted(request.method, route, status, ms)) {
      const client = () => request.ip;
      if (requestLog) requestLog.info({ reqId: request.id, ...lineOf(request.method, route, status, ms, request.url, client) }, 'request');
      else request.log.info(lineOf(request.method, route, status, ms, request.url, client), 'request');
    }
    done();
  });

  return metrics;
}

/** What GET /metrics and GET /readyz need. */
export interface ObservabilityRoutesOptions {
  readonly metrics: ServiceMetrics;
  readonly contacts?: OpenContactStore | undefined;
  /** When set, GET /metrics requires `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string | undefined;
}

/** GET /metrics (Prometheus text) and GET /readyz, as a plugin registered with the other routes (so OpenAPI lists them). */
export async function observabilityRoutes(app: FastifyInstance, opts: ObservabilityRoutesOptions): Promise<void> {
  const { registry } = opts.metrics;
  const { contacts } = opts;
  app.get('/metrics', {
    schema: {
      tags: ['meta'], operationId: 'metrics',
      summary: 'Prometheus metrics: requests, latencies, decisions by outcome, contact appends, the log\'s size',
      ...(opts.metricsToken ? { security: [{ metricsToken: [] }] } : { security: [] }),
      response: {
        200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
        401: { description: 'A metrics token is configured and was not given', $ref: 'Error#' },
      },
    },
  }, async (request, reply) => {
    if (opts.metricsToken && request.headers.authorization !== `Bearer ${opts.metricsToken}`) {
      throw new ContractError('unauthorized', { path: '(authorization)', given: request.headers.authorization ? '(not shown)' : null, allowed: ['Bearer <metrics token>'], message: 'this server requires its metrics token for /metrics' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/readyz', {
    schema: {
      tags: ['meta'], operationId: 'readiness', security: [],
      summary: 'Readiness: the database answers, its migrations are applied and the log key is loaded',
      response: {
        200: { description: 'Ready to take requests', $ref: 'Readiness#' },
        503: { description: 'Not ready; `missing` says what is not there', $ref: 'Readiness#' },
      },
    },
  }, async (_request: FastifyRequest, reply) => {
    const missing: string[] = [];
    const checks: Record<string, 'ok' | 'missing'> = { database: 'missing', migrations: 'missing', log_key: 'missing' };
    if (!contacts) {
      missing.push('contact store: this server runs without one');
    } else {
      try {
        await contacts.db.query('SELECT 1');
        checks.database = 'ok';
        const pending = await pendingMigrations(contacts.db);
        if (pending.length) missing.push(`migrations not applied: ${pending.join(', ')} (run trustrules db migrate)`);
        else checks.migrations = 'ok';
      } catch (e) {
        missing.push(`database: ${(e as Error).message}`);
      }
      try {
        // A trial signature over an empty tree proves the private key is loaded and usable.
        if (contacts.store.signer.sign(0, new Uint8Array(32)).length) checks.log_key = 'ok';
      } catch (e) {
        missing.push(`log key: ${(e as Error).message}`);
      }
      if (checks.log_key !== 'ok' && !missing.some((m) => m.startsWith('log key'))) missing.push('log key: not loaded');
    }
    return reply.code(missing.length ? 503 : 200).send({ status: missing.length ? 'unavailable' : 'ready', checks, ...(missing.length ? { missing } : {}) });
  });

}
