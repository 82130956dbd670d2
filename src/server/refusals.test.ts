// A body refused before it was read, over a real socket: the client still sending gets its 413 error object and no
// EPIPE or reset (the fuzz run's "no answer" to over-limit bodies), the connection stays usable, and a body declared
// larger than the drain limit is still answered and then closed. A body in a Content-Encoding (gzip, corrupt, unknown)
// is refused with the 415 error object naming the header on every kind of route, and the connection goes on.
import net, { type AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, DEFAULT_BODY_LIMIT } from './app.js';
import { REFUSED_BODY_DRAIN_LIMIT, REFUSED_BODY_DRAIN_MS } from './refusals.js';

/** Answers read off one raw connection: each the status line, the headers and a Content-Length body. */
class Connection {
  private readonly socket: net.Socket;
  private buffered = '';
  private waiting: (() => void) | undefined;
  /** Set when the connection failed (EPIPE, ECONNRESET) or closed. */
  failure: string | undefined;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (c: Buffer) => {
      this.buffered += c.toString('latin1');
      this.waiting?.();
    });
    this.socket.on('error', (e: NodeJS.ErrnoException) => (this.failure ??= e.code ?? e.message));
    this.socket.on('close', () => {
      this.failure ??= 'closed';
      this.waiting?.();
    });
  }

  /** Writes bytes, waiting until the kernel took them; false when the connection failed meanwhile. */
  async write(bytes: string | Buffer): Promise<boolean> {
    if (this.failure) return false;
    await new Promise<void>((resolve) => this.socket.write(bytes, () => resolve()));
    return !this.failure;
  }

  /** The next whole answer, or undefined when the connection ends first. */
  async answer(): Promise<{ status: number; headers: string; body: string } | undefined> {
    for (;;) {
      const end = this.buffered.indexOf('\r\n\r\n');
      const length = end < 0 ? undefined : /\r\ncontent-length:\s*(\d+)/i.exec(this.buffered.slice(0, end));
      if (length && this.buffered.length >= end + 4 + Number(length[1])) {
        const headers = this.buffered.slice(0, end);
        const body = Buffer.from(this.buffered.slice(end + 4, end + 4 + Number(length[1])), 'latin1').toString('utf8');
        this.buffered = this.buffered.slice(end + 4 + Number(length[1]));
        return { status: Number(headers.slice(9, 12)), headers, body };
      }
      if (this.failure) return undefined;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * POSTs `size` bytes to `path` on `c`: the headers and a first piece (chunked: past the limit), then — only once the
 * answer has arrived — the rest: the order in which an early answer meets a client still sending, made certain instead of left to a race.
 * Then asks the same connection for /healthz.
 */
async function postPastTheAnswer(c: Connection, path: string, size: number, chunked = false, headers = '') {
  const piece = Buffer.alloc(64 * 1024, 0x20);
  const frame = (b: Buffer) => (chunked ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]) : b);
  await c.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`}\r\n\r\n`);
  // A Content-Length over the limit is refused at once; a chunked body only once the limit has been read.
  let sent = 0;
  do {
    await c.write(frame(piece));
    sent += piece.length;
  } while (chunked && sent <= DEFAULT_BODY_LIMIT);
  const refusal = await c.answer();
  let rest = true;
  while (sent < size && rest) {
    const n = Math.min(piece.length, size - sent);
    sent += n;
    rest = await c.write(frame(piece.subarray(0, n)));
  }
  if (rest && chunked) rest = await c.write('0\r\n\r\n');
  if (rest) rest = await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const next = rest ? await c.answer() : undefined;
  return { refusal, sentAll: rest, next: next?.status, failure: c.failure };
}

describe('answering a body refused before it was read', () => {
  let app: FastifyInstance;
  let port = 0;

  beforeAll(async () => {
    app = buildServer({
      // A surface beside the API with a small limit of its own (as the web app's forms have): the hook is server-wide.
      surfaces: [async (surface) => {
        surface.post('/small', { bodyLimit: 1024 }, async () => ({ ok: true }));
        // Pages that decode a compressed request body, as the web app's are (@fastify/compress, registered the same way).
        await surface.register(async (pages) => {
          await pages.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
          pages.post('/compressed', async () => ({ ok: true }));
        });
      }],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => app?.close());

  it('answers an over-limit body by its Content-Length with the 413 error object while the client goes on sending', async () => {
    for (const path of ['/v1/decide', '/v1/log/consistency', '/v1/contacts', '/small']) {
      const c = new Connection(port);
      const r = await postPastTheAnswer(c, path, DEFAULT_BODY_LIMIT + 500_000);
      c.close();
      expect(r.refusal?.status, path).toBe(413);
      const e = (JSON.parse(r.refusal!.body) as { error: { path: string; allowed: string[] } }).error;
      expect(e.path, path).toBe('(body)');
      expect(e.allowed[0], path).toMatch(/^at most \d+ bytes$/);
      // The rest of the body was read away, and the same connection answers the next request.
      expect({ sentAll: r.sentAll, next: r.next, failure: r.failure }, path).toEqual({ sentAll: true, next: 200, failure: undefined });
    }
  }, 60_000);

  it('refuses an over-limit body in a Content-Encoding before a request decoder reads it, and reads it away', async () => {
    // A decoder (here a surface's own @fastify/compress) had the body piped into it and stopped reading at the refusal:
    // the rest stayed unread, the next request on the connection was never read, and the keep-alive timer reset it.
    // The server now refuses the coding before any decoder or parser runs, and the body is read away all the same.
    for (const encoding of ['deflate', 'gzip', 'br']) {
      const c = new Connection(port);
      const r = await postPastTheAnswer(c, '/compressed', DEFAULT_BODY_LIMIT + 500_000, false, `Content-Encoding: ${encoding}\r\n`);
      c.close();
      expect(r.refusal?.status, encoding).toBe(415);
      expect(JSON.parse(r.refusal!.body), encoding).toHaveProperty('error.path', '(content-encoding)');
      expect(r.refusal?.headers, encoding).not.toMatch(/\r\nconnection: close/i);
      expect({ sentAll: r.sentAll, next: r.next, failure: r.failure }, encoding).toEqual({ sentAll: true, next: 200, failure: undefined });
    }
  }, 60_000);

  it('answers a corrupt gzip body larger than what has arrived with the 415, reads the rest away, and the connection goes on', async () => {
    // 500 KB of "gzip" that is spaces, its first 64 KB sent before the answer and the rest after: a page's decoder
    // failed on the first bytes and its pipeline destroyed the unfinished request with its socket, so a client still
    // sending got EPIPE instead of an answer. Now no decoder runs: the coding is refused and the body read away.
    for (const path of ['/compressed', '/v1/decide', '/v1/contacts', '/no/such/endpoint']) {
      const c = new Connection(port);
      const r = await postPastTheAnswer(c, path, 500_000, false, 'Content-Encoding: gzip\r\n');
      c.close();
      expect(r.refusal?.status, path).toBe(415);
      expect(JSON.parse(r.refusal!.body), path).toHaveProperty('error.path', '(content-encoding)');
      expect({ sentAll: r.sentAll, next: r.next, failure: r.failure }, path).toEqual({ sentAll: true, next: 200, failure: undefined });
    }
  }, 60_000);

  it('answers a gzip-encoded, a corrupt gzip or a garbage-encoded body with the 415 error object naming the header, and the connection goes on', async () => {
    const scenario = JSON.stringify({ date: '2019-06-01', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' });
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    const bodies: readonly (readonly [string, Buffer, string])[] = [
      ['gzip', gzipSync(scenario), 'gzip'],
      ['corrupt gzip', Buffer.concat([gzipSync(scenario).subarray(0, 12), garbage]), 'gzip'],
      ['garbage in an unknown coding', garbage, 'x-garbage'],
      ['br', brotliCompressSync(scenario), 'br'],
      ['two codings', gzipSync(gzipSync(scenario)), 'gzip, gzip'],
    ];
    // Every kind of route: the fast-path decision, a batch, a staff route, a surface's (decoding) page, and no route.
    for (const path of ['/v1/decide', '/v1/decide/batch', '/v1/contacts', '/compressed', '/no/such/endpoint']) {
      for (const [name, body, coding] of bodies) {
        for (const chunked of [false, true]) {
          const c = new Connection(port);
          const framing = chunked ? `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n` : `Content-Length: ${body.length}\r\n\r\n`;
          await c.write(Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: ${coding}\r\n${framing}`), body, Buffer.from(chunked ? '\r\n0\r\n\r\n' : '')]));
          const refusal = await c.answer();
          const sent = await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
          const next = sent ? await c.answer() : undefined;
          c.close();
          const where = `${path}, ${name}${chunked ? ', chunked' : ''}`;
          expect(refusal?.status, where).toBe(415);
          expect(refusal?.headers, where).toMatch(/\r\ncontent-type: application\/json/i);
          expect(JSON.parse(refusal!.body), where).toEqual({ error: {
            path: '(content-encoding)', given: coding, allowed: ['identity'],
            message: 'request bodies are read as sent: send the body uncompressed, without a Content-Encoding header',
          } });
          expect({ next: next?.status, failure: c.failure }, where).toEqual({ next: 200, failure: undefined });
        }
      }
    }
    // `identity` is no coding at all, and a Content-Encoding without a body has nothing to refuse.
    const c = new Connection(port);
    await c.write(`POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: identity\r\nContent-Length: ${Buffer.byteLength(scenario)}\r\n\r\n${scenario}`);
    expect((await c.answer())?.status).toBe(200);
    await c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n\r\n');
    expect((await c.answer())?.status).toBe(200);
    c.close();
  }, 120_000);

  it('answers a chunked body cut off at the limit the same way', async () => {
    const c = new Connection(port);
    const r = await postPastTheAnswer(c, '/v1/decide', DEFAULT_BODY_LIMIT + 500_000, true);
    c.close();
    expect(r.refusal?.status).toBe(413);
    expect(JSON.parse(r.refusal!.body)).toHaveProperty('error.path', '(body)');
    expect({ sentAll: r.sentAll, next: r.next, failure: r.failure }).toEqual({ sentAll: true, next: 200, failure: undefined });
  }, 60_000);

  it('still closes after answering a body declared larger than it will read away', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', () => undefined);
      socket.write(`POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${REFUSED_BODY_DRAIN_LIMIT + 1}\r\n\r\n{"date":`);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
    expect(raw).toContain('"path":"(body)"');
  }, 60_000);

  it('closes a connection whose refused body keeps trickling in, instead of reading it for as long as the client likes', async () => {
    const started = Date.now();
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      let trickle: NodeJS.Timeout | undefined;
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(text);
      });
      socket.on('error', () => undefined);
      // Declares 1.5 MB (over the limit, under the drain's), then sends a byte every 200 ms: each resets the socket's
      // idle timer, so only the drain's own deadline ends it (or the 30 s this test gives it).
      socket.write(`POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${DEFAULT_BODY_LIMIT + 500_000}\r\n\r\n `);
      trickle = setInterval(() => (Date.now() - started > 30_000 ? socket.end() : socket.write(' ')), 200);
    });
    const waited = Date.now() - started;
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toContain('"path":"(body)"');
    expect(waited).toBeGreaterThanOrEqual(REFUSED_BODY_DRAIN_MS - 100);
    expect(waited).toBeLessThan(REFUSED_BODY_DRAIN_MS + 5_000);
  }, 60_000);
});
