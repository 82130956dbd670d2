// Sends fuzz requests to a server on 127.0.0.1 and judges each answer (requests.ts): HTTP requests on keep-alive
// connections, raw bytes on a socket of their own. Counts statuses and categories, keeps the first problems.
import http from 'node:http';
import net from 'node:net';
import { fuzzRequests, judge, type FuzzRequest } from './requests.js';

/** What a run found. */
export interface FuzzReport {
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly categories: Record<string, number>;
  /** Requests by the endpoint they were made for ("METHOD /path" as the server lists it; raw bytes included). */
  readonly byEndpoint: Record<string, number>;
  /** Milliseconds spent waiting for answers, by endpoint (where the run's time goes). */
  readonly msByEndpoint: Record<string, number>;
  /** Answers that broke the contract (5xx, not the error object, a stack trace), by kind, with examples. */
  readonly problems: Record<string, { count: number; examples: string[] }>;
  /** Requests with no answer at all (the connection died or hung) — a crash would show here. */
  readonly noAnswer: number;
  /**
   * Requests sent again, once, on a new connection because the server had closed the idle keep-alive connection they
   * went out on (ExchangeError.closedWhileIdle), with examples; a second failure counts in `noAnswer`.
   */
  readonly resent: { count: number; examples: string[] };
  readonly ms: number;
}

/** Every endpoint the server lists in its 404 answer (so the fuzz covers routes added later without change). */
export async function endpointsOf(port: number): Promise<string[]> {
  const r = await exchange(port, { kind: 'http', category: '', method: 'GET', path: '/no/such/endpoint', headers: {} }, new http.Agent());
  return (JSON.parse(r.text) as { error: { allowed: string[] } }).error.allowed;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * When each keep-alive socket last finished an answer, and to what: how long a reused socket sat idle before a
 * failure, and the request before it (a failure on a reused connection is usually that request's doing).
 */
const lastAnswer = new WeakMap<object, { at: number; to: string }>();

/** A failure on a request, with whether it went on a reused keep-alive socket and how long that socket had been idle. */
class ExchangeError extends Error {
  constructor(readonly failure: NodeJS.ErrnoException, readonly reused: boolean, readonly idleMs: number | undefined, readonly answerBegun: boolean, previous?: string) {
    super(`${failure.message}${reused ? ` (reused socket, idle ${idleMs ?? '?'} ms, after ${previous ?? '?'})` : ' (fresh socket)'}`);
  }

  /**
   * The server reset a reused connection before any answer: the keep-alive race of RFC 9112 section 9.3.1 (which
   * allows sending again), or a connection the server had stopped reading until its keep-alive timer closed it (as
   * an over-limit compressed body to a page did until refusals.ts took it from its decoder). Counted apart, never
   * hidden, with the request answered before it on that connection.
   */
  get closedWhileIdle(): boolean {
    return this.reused && !this.answerBegun && this.failure.code === 'ECONNRESET';
  }
}

function exchange(port: number, req: FuzzRequest, agent: http.Agent, token = ''): Promise<Answer> {
  if (req.kind === 'raw') return rawExchange(port, req.bytes);
  return new Promise((resolve, reject0) => {
    let sent = 0;
    let socket: object | undefined;
    let answerBegun = false;
    const reject = (e: Error) => {
      const last = socket ? lastAnswer.get(socket) : undefined;
      reject0(new ExchangeError(e, r.reusedSocket, last === undefined ? undefined : Math.round(sent - last.at), answerBegun, last?.to));
    };
    const headers = { ...req.headers };
    if (headers.authorization === 'Bearer {token}') headers.authorization = `Bearer ${token}`;
    const r = http.request({
      host: '127.0.0.1', port, method: req.method, path: req.path, agent, timeout: 60_000,
      headers: { ...headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
    }, (res) => {
      answerBegun = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size < 1_000_000) chunks.push(c);
      });
      res.on('end', () => {
        const sentHeaders = Object.entries(req.headers).map(([k, v]) => `${k}: ${v.slice(0, 40)}`).join(', ');
        if (socket) lastAnswer.set(socket, { at: performance.now(), to: `${req.method} ${req.path.split('?')[0]!.slice(0, 80)} {${sentHeaders}}${req.body ? ` with a ${req.body.length}-byte body` : ''} → ${res.statusCode}` });
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    r.on('socket', (s) => {
      socket = s;
      sent = performance.now();
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    if (req.body) r.write(req.body);
    r.end();
  });
}

/** Raw bytes on a fresh connection; the answer read until the server closes (or 10 s). */
function rawExchange(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // A whole answer (headers, then Content-Length bytes or the last chunk) needs no wait for the server to close.
      const all = Buffer.concat(chunks).toString('latin1');
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(all.slice(0, end));
      if ((length && all.length - end - 4 >= Number(length[1])) || (!length && all.endsWith('0\r\n\r\n'))) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      if (!all) return reject(new Error('no answer'));
      const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(all);
      if (!m) return resolve({ status: 0, headers: {}, text: all.slice(0, 200) });
      const headers: Record<string, string> = {};
      for (const line of m[2]!.split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      let text = m[3]!;
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        let out = '';
        for (let at = 0; ;) {
          const nl = text.indexOf('\r\n', at);
          const size = parseInt(text.slice(at, nl), 16);
          if (!(size > 0)) break;
          out += text.slice(nl + 2, nl + 2 + size);
          at = nl + 2 + size + 2;
        }
        text = out;
      }
      resolve({ status: Number(m[1]), headers, text: Buffer.from(text, 'latin1').toString('utf8') });
    });
  });
}

/** Sends requests 0..count-1 of the seeded run, `connections` at a time, and judges every answer. */
export async function fuzz(o: {
  port: number; seed: number; count: number; connections: number; token?: string; endpoints?: readonly string[]; transport?: boolean; onProgress?: (done: number) => void;
}): Promise<FuzzReport> {
  const endpoints = o.endpoints ?? await endpointsOf(o.port);
  const make = fuzzRequests(o.seed, endpoints, { transport: o.transport ?? true });
  const statuses: Record<string, number> = {};
  const categories: Record<string, number> = {};
  const byEndpoint: Record<string, number> = {};
  const msByEndpoint: Record<string, number> = {};
  const problems: Record<string, { count: number; examples: string[] }> = {};
  let noAnswer = 0;
  const resent = { count: 0, examples: [] as string[] };
  // A request sent again goes on a connection of its own.
  const fresh = new http.Agent({ keepAlive: false });
  let next = 0;
  const t0 = performance.now();
  const note = (kind: string, example: string) => {
    const p = (problems[kind] ??= { count: 0, examples: [] });
    p.count++;
    if (p.examples.length < 5) p.examples.push(example);
  };
  const describe = (req: FuzzRequest) => (req.kind === 'raw' ? `raw ${JSON.stringify(req.bytes.subarray(0, 80).toString('latin1'))}` : `${req.method} ${req.path.slice(0, 120)} [${req.category}]${req.body ? ` ${JSON.stringify(req.body.subarray(0, 80).toString('latin1'))}` : ''}`);
  await Promise.all(Array.from({ length: o.connections }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (next < o.count) {
      const n = next++;
      const req = make(n);
      categories[req.category] = (categories[req.category] ?? 0) + 1;
      byEndpoint[req.endpoint ?? '?'] = (byEndpoint[req.endpoint ?? '?'] ?? 0) + 1;
      const started = performance.now();
      const where = req.kind === 'raw' ? 'raw' : req.path.split('?')[0]!.split('/').slice(0, 4).join('/');
      try {
        const a = await exchange(o.port, req, agent, o.token).catch((e: unknown) => {
          if (!(e instanceof ExchangeError && e.closedWhileIdle)) throw e;
          resent.count++;
          if (resent.examples.length < 5) resent.examples.push(`${describe(req)} → ${e.message}`);
          return exchange(o.port, req, fresh, o.token);
        });
        msByEndpoint[where] = Math.round((msByEndpoint[where] ?? 0) + performance.now() - started);
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        const wrong = judge(req, a.status, a.headers, a.text);
        if (wrong) note(`${wrong.replace(/:.*$/s, '')} (${req.category})`, `${describe(req)} → ${wrong}`);
      } catch (e) {
        // A raw request the server refused by closing the connection has no answer; anything else is a failure.
        if (req.kind === 'raw') statuses['closed'] = (statuses['closed'] ?? 0) + 1;
        else {
          noAnswer++;
          note(`no answer (${req.category})`, `${describe(req)} → ${(e as Error).message}`);
        }
      }
      if (n % 5000 === 0) o.onProgress?.(n);
    }
    agent.destroy();
  }));
  fresh.destroy();
  return { requests: o.count, statuses, categories, byEndpoint, msByEndpoint, problems, noAnswer, resent, ms: Math.round(performance.now() - t0) };
}
