// Who is signed in: the session cookie (HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS — directly
// or through a proxy the server trusts), looked up in the store's session rows on each request of the account pages,
// and the CSRF check (@fastify/csrf-protection, its secret in its own SameSite=Strict cookie) on every form that posts.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionUser } from '../../store/signIn.js';
import type { User } from '../../store/users.js';
import type { OpenContactStore } from '../../store/open.js';
import type { PageContext } from '../layout.js';

/** The session cookie's name. */
export const sessionCookie = 'trustrules_session';
/** The CSRF secret's cookie. */
export const csrfCookie = 'trustrules_csrf';
/** Largest form body accepted (a record form is well under 1 KB). */
export const FORM_BODY_LIMIT = 16 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account of the request (account pages only), or null. */
    account: User | null;
    /** The form's fields (first value of each), when the body was a form. */
    form?: ReadonlyMap<string, string>;
  }
}

/** A request's form fields (empty for a request that posted none). */
export function formOf(request: FastifyRequest): ReadonlyMap<string, string> {
  return request.form ?? new Map();
}

/**
 * Cookies (unless the web app registered them already), CSRF protection, form bodies and the signed-in account for
 * every request of this plugin's routes: the web app registers it once for every page area (the guide's answer page
 * offers signed-in staff the record form).
 */
export async function registerSessions(app: FastifyInstance, contacts: OpenContactStore | undefined): Promise<void> {
  if (!app.hasDecorator('parseCookie')) await app.register(cookie);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: csrfCookie,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: 'auto' },
    // Only the form's field: a token in the query would end up in logs and the Referer.
    getToken: (request) => formOf(request).get('_csrf'),
  });
  // The API accepts only JSON; these pages take the forms browsers send (no JavaScript needed).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (request, body, done) => {
    const fields = new Map<string, string>();
    for (const [k, v] of new URLSearchParams(body as string)) if (!fields.has(k)) fields.set(k, v);
    request.form = fields;
    done(null, Object.fromEntries(fields));
  });
  app.decorateRequest('account', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[sessionCookie];
    request.account = token && contacts ? await sessionUser(contacts.db, token) : null;
  });
}

/** Puts the session's token in its cookie, until it expires. */
export function setSessionCookie(reply: FastifyReply, token: string, expires: Date): void {
  void reply.setCookie(sessionCookie, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', expires });
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' });
}

/**
 * Where to go after signing in: a path on this site's account pages or the guide (back to its answer) as asked
 * (`next`), else the account page. Anything else (another site, `//host`, a backslash trick) is ignored: no open
 * redirect.
 */
export function safeNext(next: string | undefined): string | undefined {
  if (!next || next.length > 2000 || !/^\/(record|records|account|guide)(?:[/?#]|$)/.test(next) || /[\\\s]/.test(next)) return undefined;
  return next;
}

/**
 * The sign-in address that comes back to `url` afterwards, carrying it only when sign-in would follow it
 * (safeNext): an address sign-in ignores anyway — too long, another site — is not percent-encoded into a
 * redirect's Location, where 8 KB of query become a 16 KB header line no Node client or common proxy reads.
 */
export function signInHref(ctx: Pick<PageContext, 'href'>, url: string): string {
  const next = safeNext(url);
  return ctx.href('/sign-in', next ? { next } : {});
}
