// The fast path for POST /v1/decide: the service's busiest request answered by the HTTP server's own request listener
// (Fastify's serverFactory), before Fastify's lifecycle (routing, request and reply objects, hook runners, the body
// parser's streams), with the same parts the route uses: request id, security headers, rate limits, body parser,
// engine, metrics and request log. It only ever answers a decision (200): anything else, from an unusual header to a
// bad body, it hands to Fastify (with the body it read replayed, and its rate-limit count), so every refusal is
// Fastify's own. A differential test over real sockets holds the two to the same bytes (decideFastPath.test.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../app/pool.js';
import { decision, languageOf, replayBody, type DecisionBytes, type ReadRequest } from './decideRoutes.js';
import { requestId, type ServiceMetrics } from './observability.js';
import { jsonBody } from './refusals.js';
import { rateLimitCounted, type RateCountedRequest, type Security } from './security.js';

/** What the fast path is built with: the parts of the server it shares. */
export interface DecideFastPathOptions {
  readonly engines: EnginePool;
  /** The server-wide body limit (the route has no limit of its own). */
  readonly bodyLimit: number;
  readonly security: Security;
  readonly metrics: ServiceMetrics;
  /** The trusted proxies (--trust-proxy), as Fastify is given them: the client address is then the one they forward. */
  readonly trustProxy: readonly string[];
}

/** Answers a raw request if it is the fast path's; returns false (having done nothing) when Fastify should have it. */
export type DecideFastPath = (req: IncomingMessage, res: ServerResponse, fastify: (req: IncomingMessage, res: ServerResponse) => void) => boolean;

/** How many requests the fast path answered and how many it read and then handed to Fastify (for tests). */
export interface FastPathCounts {
  answered: number;
  handedOver: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** The Content-Types the route's parser certainly takes as JSON; any other goes to Fastify to decide. */
const JSON_TYPES: ReadonlySet<string> = new Set(['application/json', JSON_TYPE]);
/** The decide route takes no query here: one would go to Fastify's query parser and the route's checks. */
const NO_QUERY: Record<string, unknown> = Object.freeze({});
const ROUTE = '/v1/decide';

/** The client address as Fastify's request.ip gives it, with the same trusted proxies (Fastify's own proxy-addr). */
function clientAddressOf(trustProxy: readonly string[]): (req: IncomingMessage) => string | undefined {
  if (!trustProxy.length) return (req) => req.socket.remoteAddress;
  type ProxyAddr = { all(req: IncomingMessage, trust: unknown): string[]; compile(values: string[]): unknown };
  const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const proxyAddr = fastifyRequire('@fastify/proxy-addr') as ProxyAddr;
  const trust = proxyAddr.compile([...trustProxy]);
  return (req) => {
    const all = proxyAddr.all(req, trust);
    return all[all.length - 1];
  };
}

/**
 * The hooks Fastify runs for a route, by kind (onRequest, preParsing, …), as its printRoutes names them: the fast
 * path answers only where they are the ones it does the work of, so a hook added later turns it off, not silently skipped.
 */
export function routeHooks(app: FastifyInstance, method: string, url: string): Record<string, string[]> {
  const lines = app.printRoutes({ includeHooks: true, method, commonPrefix: false }).split('\n');
  const at = lines.findIndex((l) => l.replace(/^[│├└─\s]+/, '') === `${url} (${method})`);
  const hooks: Record<string, string[]> = {};
  for (const line of at < 0 ? [] : lines.slice(at + 1)) {
    const m = /^[│\s]*• \((\w+)\) (\[.*\])$/.exec(line);
    if (!m) break;
    hooks[m[1]!] = (JSON.parse(m[2]!) as string[]).map((name) => name.replace(/\(\)$/, ''));
  }
  return hooks;
}

/** Fast paths' counts by server. */
const countsOf = new WeakMap<FastifyInstance, FastPathCounts>();

/** How many requests `app`'s fast path answered and handed over; undefined when it has none. */
export function fastPathCounts(app: FastifyInstance): FastPathCounts | undefined {
  return countsOf.get(app);
}

/** Builds the fast path of `app` (counted under it), answering while `open()` says the server is not closing. */
export function decideFastPath(app: FastifyInstance, o: DecideFastPathOptions, open: () => boolean): DecideFastPath {
  const { engines, bodyLimit, metrics } = o;
  const { rateLimit } = o.security;
  const clientAddress = clientAddressOf(o.trustProxy);
  const counts: FastPathCounts = { answered: 0, handedOver: 0 };
  countsOf.set(app, counts);
  // The answer's headers in the order Fastify's reply sends them (the security hook's, then the route's), as one raw
  // array made once: a request fills in its id and length.
  const template: string[] = ['x-request-id', ''];
  for (const [name, value] of o.security.headers) template.push(name, value);
  template.push('content-type', JSON_TYPE, 'content-length', '');
  const ID_AT = 1;
  const LENGTH_AT = template.length - 1;
  // The route's counts and log line for its one answer here, found once.
  const answered = metrics.answeredAs('POST', ROUTE, 200);

  return (req, res, fastify) => {
    const h = req.headers;
    const length = Number(h['content-length']);
    if (req.method !== 'POST' || req.url !== ROUTE || !open() || !JSON_TYPES.has(h['content-type'] ?? '')
      || h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined || h['accept-version'] !== undefined || !(length <= bodyLimit)) return false;
    // From here the request is counted once, then answered here or handed over. Timed from here to the answer's
    // 'finish', as Fastify times the route (its reply's elapsedTime, read in the onResponse hook).
    const start = performance.now();
    const raw = req as ReadRequest & RateCountedRequest;
    if (rateLimit) {
      let over;
      try {
        over = rateLimit(clientAddress(req), h.authorization);
      } catch {
        // A store that fails is Fastify's to answer (its hook meets the same failure inside its error handling).
        return false;
      }
      if (over) {
        // The hook takes this verdict instead of counting the request again.
        raw[rateLimitCounted] = over;
        counts.handedOver++;
        fastify(req, res);
        return true;
      }
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const handOver = (error?: Error) => {
      // Counted already, within the limits: the hook must not count it again.
      if (rateLimit) raw[rateLimitCounted] = null;
      // The bytes (and the error) come out only once Fastify's parser reads: an error emitted before it listens
      // would have no listener.
      raw[replayBody] = new Readable({
        read() {
          for (const c of chunks.splice(0)) this.push(c);
          if (error) this.destroy(error);
          else this.push(null);
        },
      });
      counts.handedOver++;
      fastify(req, res);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onError = (e: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      handOver(e);
    };
    const onEnd = () => {
      req.off('data', onData);
      req.off('error', onError);
      let answer: DecisionBytes;
      let id: string;
      try {
        if (received !== length) throw new Error('the body is not as long as its Content-Length');
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, received).toString('utf8');
        answer = decision(engines.base, languageOf(NO_QUERY, h['accept-language']), jsonBody(text));
        id = requestId(req);
        // Counted when decided, as the route's handler does (a failure here is the route's to meet again).
        metrics.decided(answer.outcome);
      } catch {
        // Whatever the reason (a bad body, a bad scenario, a fault), Fastify's route says it, as it always does.
        handOver();
        return;
      }
      const headers = template.slice();
      headers[ID_AT] = id;
      headers[LENGTH_AT] = String(answer.bytes.length);
      // The request is counted, timed and logged once the answer is out ('finish' or 'error', where Fastify runs the
      // route's onResponse hook), so a client gone before that is counted by neither.
      const onFinish = () => {
        res.off('finish', onFinish);
        res.off('error', onFinish);
        // A failure of the metrics or the request log is logged, never thrown from a stream listener, where it would
        // end the process (Fastify's hooks run the same work inside its error handling).
        try {
          answered(performance.now() - start, id, ROUTE, () => clientAddress(req));
        } catch (e) {
          try {
            app.log.error({ err: e, reqId: id }, 'decide fast path: metrics or request log failed after the answer');
          } catch {
            // The log itself is what failed: the answer was sent, and nothing is left to tell.
          }
        }
      };
      res.on('finish', onFinish);
      res.on('error', onFinish);
      res.writeHead(200, headers);
      res.end(answer.bytes);
      counts.answered++;
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    return true;
  };
}
