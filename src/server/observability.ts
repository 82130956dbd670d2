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
import { knownQuery } from '../app/params.js';
import type { OpenContactStore } from '../store/open.js';
import { pendingMigrations } from '../store/migrate.js';
import { jsonSchemaOf, noQuery, parameterNames } from './schemas.js';

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
 * Where the log goes by default: standard output, asynchronously (pino's destination, flushed at exit), in writes of
 * at least 4 KiB or every 100 ms, whichever comes first. A write per line, or per few lines (each write goes through
 * libuv's thread pool and back), cost a logged decision ~10 µs of CPU under load; a line now waits at most 100 ms.
 */
export function logDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 });
}

/** Fastify's `logger` option for these logging options: pino with redaction (to logDestination), or none at all when off. */
export function loggerOptions(o: LoggingOptions): FastifyServerOptions['logger'] {
  if (o.level === 'off') return false;
  return {
    level: o.level,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    stream: o.stream ?? logDestination(),
  } as unknown as FastifyServerOptions['logger'];
}

/** What writes the one line per request. */
export interface RequestLog {
  /** Writes a request's line: its id, method, path without query, route, status, milliseconds and maybe client address. */
  line(reqId: string, method: string, url: string, route: string, status: number, ms: number, client?: string): void;
}

/**
 * The request lines' writer, on the service log's stream: the line pino (the service's logger, without its redaction,
 * which the request line never needs and which cost ~6 % of a logged decision's CPU) writes for
 * `info({ reqId, method, url, route, status, ms, client }, 'request')`, built as one string (pino's own line took a
 * logged decision ~3 µs: its field loop, a check of each key and value, a copy of the fields). The level, time
 * and bindings (pid, hostname) are pino's; observability.test.ts holds the two lines to the same bytes. None when the
 * log is off.
 */
export function requestLogger(o: LoggingOptions & { readonly stream: NonNullable<LoggingOptions['stream']> }): RequestLog | undefined {
  if (o.level === 'off') return undefined;
  const logger = pino({ level: o.level }, o.stream as pino.DestinationStream);
  const head = `{"level":${logger.levels.values.info!},"time":`;
  const bindings: unknown = (logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym];
  // The bindings are pino's internal serialised `,"pid":…,"hostname":…`: should a pino release change that, its own
  // call writes the line (slower, the same fields) rather than a line that is not JSON.
  if (typeof bindings !== 'string' || !bindings.startsWith(',"pid":')) {
    return {
      line(reqId, method, url, route, status, ms, client) {
        logger.info(client === undefined ? { reqId, method, url, route, status, ms } : { reqId, method, url, route, status, ms, client }, 'request');
      },
    };
  }
  // The strings are a safe request id, a path, a route pattern and an address: JSON's quoting is pino's for them.
  const q = JSON.stringify;
  return {
    line(reqId, method, url, route, status, ms, client) {
      o.stream.write(`${head}${Date.now()}${bindings},"reqId":${q(reqId)},"method":${q(method)},"url":${q(url)},"route":${q(route)},"status":${status},"ms":${ms}${client === undefined ? '' : `,"client":${q(client)}`},"msg":"request"}\n`);
    },
  };
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
  /** `answered` for one method, route and status, its tallies found once (the fast path's one answer). */
  answeredAs(method: string, route: string, status: number): (ms: number, id: string, url: string, client: () => string | undefined) => void;
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

/** A counter's count for one label set, kept in a plain number; prom-client is told when the metrics are read. */
interface CountTally {
  readonly labels: Record<string, string>;
  n: number;
  told: number;
}

/** A histogram's observations for one label set: how many fell in each bucket (not cumulative), their sum and count. */
interface HistogramTally {
  readonly labels: Record<string, string>;
  readonly inBucket: Float64Array;
  sum: number;
  count: number;
}

/** prom-client's own record of one label set of a histogram (lib/histogram.js, createBaseValues). */
interface HistogramValues {
  labels: Record<string, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * Counters and histograms counted in plain numbers on the request path and handed to prom-client only when the metrics
 * are read (its `collect`): prom-client validates and hashes the labels on every inc and observe, even through a
 * labels() child, which cost a decision ~3 µs on this machine. What /metrics shows is the same text (observability.test.ts
 * compares it with prom-client's own counting of the same events).
 */
export class MetricTallies {
  private readonly counts = new Map<Counter, CountTally[]>();
  private readonly histograms = new Map<Histogram, { readonly bounds: readonly number[]; readonly tallies: HistogramTally[] }>();

  /** A counter whose counts come from this object's tallies (register its label sets with `count`). */
  counter(config: { name: string; help: string; labelNames: string[]; registers: Registry[] }): Counter {
    const tallies: CountTally[] = [];
    const counter: Counter = new Counter({
      ...config,
      collect() {
        // Only what was counted since the last read: prom-client keeps the total.
        for (const t of tallies) {
          if (t.n === t.told) continue;
          counter.inc(t.labels, t.n - t.told);
          t.told = t.n;
        }
      },
    });
    this.counts.set(counter, tallies);
    return counter;
  }

  /** The tally of one label set of a counter made by `counter` (label values in the counter's label order). */
  count(counter: Counter, labels: Record<string, string>): CountTally {
    const t: CountTally = { labels, n: 0, told: 0 };
    this.counts.get(counter)!.push(t);
    return t;
  }

  /** A histogram whose values come from this object's tallies (register its label sets with `observed`). */
  histogram(config: { name: string; help: string; labelNames: string[]; buckets: number[]; registers: Registry[] }): Histogram {
    const bounds = [...config.buckets];
    const tallies: HistogramTally[] = [];
    const histogram: Histogram = new Histogram({
      ...config,
      collect() {
        // The whole record of each label set, written as prom-client's observe would have left it: zero() makes the
        // record (its public way to make one), which is then filled from the tallies.
        const values = (histogram as unknown as { hashMap: Record<string, HistogramValues> }).hashMap;
        for (const t of tallies) {
          histogram.zero(t.labels);
          const record = Object.values(values).find((v) => v.labels === t.labels);
          // A prom-client release that keeps its record otherwise fails /metrics loudly instead of showing wrong counts.
          if (!record || typeof record.sum !== 'number' || typeof record.count !== 'number' || bounds.some((b) => typeof record.bucketValues?.[b] !== 'number')) {
            throw new Error(`prom-client's histogram record for ${JSON.stringify(t.labels)} is not the shape MetricTallies writes (lib/histogram.js changed?)`);
          }
          bounds.forEach((b, i) => (record.bucketValues[b] = t.inBucket[i]!));
          record.sum = t.sum;
          record.count = t.count;
        }
      },
    });
    this.histograms.set(histogram, { bounds, tallies });
    return histogram;
  }

  /** The tally of one label set of a histogram made by `histogram`. */
  observed(histogram: Histogram, labels: Record<string, string>): HistogramTally {
    const { bounds, tallies } = this.histograms.get(histogram)!;
    const t: HistogramTally = { labels, inBucket: new Float64Array(bounds.length), sum: 0, count: 0 };
    tallies.push(t);
    return t;
  }

  /**
   * Observes `value` in a histogram's tally (of a histogram with these bounds) as prom-client would: in the first
   * bucket whose bound it does not pass, in none above the last.
   */
  static observe(bounds: readonly number[], t: HistogramTally, value: number): void {
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        t.inBucket[i]!++;
        break;
      }
    }
    t.sum += value;
    t.count++;
  }
}

/** The latency histogram's buckets, in seconds. */
const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * Registers the request log line and request metrics (one onResponse hook) on `app` (the root instance), and gives
 * the metrics for routes to count into.
 */
export function registerObservability(app: FastifyInstance, opts: ObservabilityOptions): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'trustrules_' });
  const tallies = new MetricTallies();
  const requests = tallies.counter({ name: 'trustrules_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = tallies.histogram({
    name: 'trustrules_http_request_duration_seconds', help: 'Time from receiving a request to answering it, by route', labelNames: ['route'],
    buckets: [...LATENCY_BUCKETS], registers: [registry],
  });
  const decisions = tallies.counter({ name: 'trustrules_decisions_total', help: 'Decisions answered by POST /v1/decide and /v1/decide/batch, by outcome', labelNames: ['outcome'], registers: [registry] });
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
  // A label set's tallies are made on its first request; a request then costs a lookup and two adds.
  const decidedBy = new Map<string, CountTally>();
  const requestsBy = new Map<string, CountTally>();
  const latencyBy = new Map<string, HistogramTally>();
  const clientAddress = opts.logging.clientAddress;
  const logRequests = ['info', 'debug', 'trace'].includes(app.log.level);
  const { requestLog } = opts;
  const requestTally = (method: string, route: string, status: number): CountTally => {
    const key = `${method} ${route} ${status}`;
    let c = requestsBy.get(key);
    if (!c) requestsBy.set(key, (c = tallies.count(requests, { method, route, status: String(status) })));
    return c;
  };
  const latencyTally = (route: string): HistogramTally => {
    let timed = latencyBy.get(route);
    if (!timed) latencyBy.set(route, (timed = tallies.observed(latency, { route })));
    return timed;
  };
  /** Counts and times a request; true when its line is still to be written (the log is at info or finer). */
  const counted = (method: string, route: string, status: number, ms: number): boolean => {
    requestTally(method, route, status).n++;
    MetricTallies.observe(LATENCY_BUCKETS, latencyTally(route), ms / 1000);
    if (status === 201 && route === '/v1/contacts' && method === 'POST') appends.inc();
    return logRequests;
  };
  const lineOf = (method: string, route: string, status: number, ms: number, url: string, client: () => string | undefined) => ({
    method, url: pathOf(url), route, status, ms: Math.round(ms * 10) / 10,
    ...(clientAddress ? { client: client() } : {}),
  });
  /** The request's line through the request log (which the callers have). */
  const logLine = (log: RequestLog, id: string, method: string, route: string, status: number, ms: number, url: string, client: () => string | undefined) => {
    log.line(id, method, pathOf(url), route, status, Math.round(ms * 10) / 10, clientAddress ? client() : undefined);
  };
  const metrics: ServiceMetrics = {
    registry,
    decided(outcome) {
      let c = decidedBy.get(outcome);
      if (!c) decidedBy.set(outcome, (c = tallies.count(decisions, { outcome })));
      c.n++;
    },
    answered(method, route, status, ms, id, url, client) {
      // Below info the line is never built.
      if (counted(method, route, status, ms) && requestLog) logLine(requestLog, id, method, route, status, ms, url, client);
    },
    answeredAs(method, route, status) {
      if (status === 201 && route === '/v1/contacts' && method === 'POST') return (ms, id, url, client) => metrics.answered(method, route, status, ms, id, url, client);
      // Found on the first answer, as `answered` would make them: a label set shows in /metrics once it was answered.
      let requested: CountTally | undefined;
      let timed: HistogramTally | undefined;
      return (ms, id, url, client) => {
        (requested ??= requestTally(method, route, status)).n++;
        MetricTallies.observe(LATENCY_BUCKETS, (timed ??= latencyTally(route)), ms / 1000);
        if (logRequests && requestLog) logLine(requestLog, id, method, route, status, ms, url, client);
      };
    },
    sharedRequestLog: !logRequests || requestLog !== undefined,
  };

  app.addHook('onResponse', function requestMetrics(request, reply, done) {
    const route = request.routeOptions.url ?? '(none)';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    if (counted(request.method, route, status, ms)) {
      const client = () => request.ip;
      if (requestLog) logLine(requestLog, request.id, request.method, route, status, ms, request.url, client);
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
      querystring: jsonSchemaOf(noQuery, 'input'),
      response: {
        200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
        400: { description: 'A query parameter (this endpoint takes none)', $ref: 'Error#' },
        401: { description: 'A metrics token is configured and was not given', $ref: 'Error#' },
      },
    },
  }, async (request, reply) => {
    if (opts.metricsToken && request.headers.authorization !== `Bearer ${opts.metricsToken}`) {
      throw new ContractError('unauthorized', { path: '(authorization)', given: request.headers.authorization ? '(not shown)' : null, allowed: ['Bearer <metrics token>'], message: 'this server requires its metrics token for /metrics' });
    }
    knownQuery(request.query, parameterNames(noQuery));
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/readyz', {
    schema: {
      tags: ['meta'], operationId: 'readiness', security: [],
      summary: 'Readiness: the database answers, its migrations are applied and the log key is loaded',
      querystring: jsonSchemaOf(noQuery, 'input'),
      response: {
        200: { description: 'Ready to take requests', $ref: 'Readiness#' },
        400: { description: 'A query parameter (this endpoint takes none)', $ref: 'Error#' },
        503: { description: 'Not ready; `missing` says what is not there', $ref: 'Readiness#' },
      },
    },
  }, async (request: FastifyRequest, reply) => {
    knownQuery(request.query, parameterNames(noQuery));
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
