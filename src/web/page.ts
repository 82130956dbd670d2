// Pages on the server: the request's page context (its language from ?lang= or Accept-Language, the project's
// catalogs) and sending HTML. The layout itself is layout.ts (browser-safe), re-exported here for page areas.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { messages } from '../app/presentation/messages.js';
import type { Assets } from './assets.js';
import type { Html } from './html.js';
import { contextFor, type PageContext } from './layout.js';

export { contextFor, errorPage, inLanguage, layout, navigation, refusedIn, type Area, type PageContext, type PageParts } from './layout.js';

/** The request's page context: `?lang=` (a bad value is a 400 naming `lang`), else Accept-Language, else English. */
export function pageContext(request: FastifyRequest, assets: Assets): PageContext {
  return contextFor(request.url, request.headers['accept-language'], assets, messages);
}

/**
 * Sends a page as HTML in its language (Vary: Accept-Language, since that can choose it), revalidated on each use
 * unless the route said more (`no-store` for pages with an account's details).
 */
export function sendPage(reply: FastifyReply, ctx: PageContext, page: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-language', ctx.lang)
    .header('vary', 'Accept-Language')
    .header('cache-control', reply.hasHeader('cache-control') ? reply.getHeader('cache-control') : 'no-cache')
    .send(page.text);
}
