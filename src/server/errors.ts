// What the API says about a client's input without echoing all of it, and the contract's error object for the
// refusals Fastify and Node make before a route runs (a badly encoded URL, a path parameter too long, headers too large).
import type { Socket } from 'node:net';
import http from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ContractError, type ErrorCode } from '../app/errors.js';

/** A short, safe rendering of something a client sent. */
export function excerpt(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Headers every refusal made outside a route carries (the security plugin's hooks have not run for these). */
const bareRefusalHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
} as const;

/**
 * Fastify's `frameworkErrors`: a URL whose %-escapes are not UTF-8 (FST_ERR_BAD_URL) and a path parameter longer
 * than `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH, 414) get the contract's error object, not Fastify's own body.
 */
export function frameworkErrors(maxParamLength: number) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const url = excerpt(request.raw.url ?? '');
    let refusal: ContractError;
    if (err.code === 'FST_ERR_BAD_URL') {
      refusal = new ContractError('bad_request', { path: '(url)', given: url, allowed: ['a URL whose %-escapes spell UTF-8 text'], message: 'the URL is not validly encoded' });
    } else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      refusal = new ContractError('uri_too_long', { path: '(url)', given: url, allowed: [`path segments of at most ${maxParamLength} characters`], message: 'a part of the URL path is too long' });
    } else {
      request.log.error({ err }, 'framework error');
      refusal = new ContractError('unavailable', { path: '(server)', given: null, message: `internal error (request id ${request.id}); see the server log` });
      reply.code(500).headers(bareRefusalHeaders).send(JSON.stringify(refusal.body()));
      return;
    }
    reply.code(refusal.httpStatus).headers(bareRefusalHeaders).send(JSON.stringify(refusal.body()));
  };
}

/** The refusal Node's HTTP parser makes of a request it cannot read, as the contract's error object. */
export function clientErrorRefusal(code: string | undefined, maxHeaderSize: number): ContractError {
  const refusal = (c: ErrorCode, path: string, allowed: string[], message: string) => new ContractError(c, { path, given: null, allowed, message });
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return refusal('headers_too_large', '(headers)', [`request line and headers of at most ${maxHeaderSize} bytes`], 'the request line or headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return refusal('timeout', '(request)', ['a whole request within the request timeout'], 'the request took too long to arrive');
    default:
      return refusal('bad_request', '(request)', ['an HTTP/1.1 request'], 'the request could not be read as HTTP');
  }
}

/**
 * Fastify's `clientErrorHandler`: writes the contract's error object on the raw socket (there is no request yet) and
 * closes it. A reset or already closed connection gets nothing.
 */
export function clientErrorHandler(maxHeaderSize: number) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal = clientErrorRefusal(err.code, maxHeaderSize);
    const body = JSON.stringify(refusal.body());
    const headers = Object.entries({ ...bareRefusalHeaders, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`).join('');
    if (socket.writable) socket.write(`HTTP/1.1 ${refusal.httpStatus} ${http.STATUS_CODES[refusal.httpStatus]}\r\n${headers}\r\n${body}`);
    socket.destroy(err);
  };
}
