// The web app as one Fastify plugin, mounted beside the API by the program's entry (src/main.ts hands it to the
// server as a surface; web and server never import each other). Each page area is its own plugin in this list,
// given the corpus, the engines and the built assets; its words are messages/<lang>/web-<area>.yaml.
//
// To add a page area: write `src/web/<area>/routes.ts` exporting `async function <area>Routes(app, options:
// WebAreaOptions)` that registers its GET routes with `schema: { hide: true }`, builds a PageContext with
// pageContext(request, options.assets), renders with layout() and sends with sendPage(); then add it to `areas`.
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ContractError, contractErrorOf, encodedBodyRefusal } from '../app/errors.js';
import type { EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import type { OpenContactStore } from '../store/open.js';
import { assetRoutes, loadAssets, type Assets } from './assets.js';
import { accountRoutes } from './account/routes.js';
import { recordContactSlot } from './account/recordSlot.js';
import { registerSessions } from './account/session.js';
import { compareRoutes } from './compare/routes.js';
import { exploreRoutes } from './explore/routes.js';
import type { AnswerExtension } from './guide/pages.js';
import { guideRoutes } from './guide/routes.js';
import { homeRoutes } from './home.js';
import { mapRoutes } from './map/routes.js';
import { reportsRoutes } from './reports/routes.js';
import { html } from './html.js';
import { messages } from '../app/presentation/messages.js';
import { contextFor, errorPage, layout, navigation, pageContext, sendPage, type PageContext } from './page.js';

/**
 * What the server gives a surface: the corpus it loaded, its engines, the contact store when it has one, and where to
 * give the page a browser gets for an address nothing serves (absent when the web app is mounted on its own).
 */
export interface WebContext {
  readonly corpus: Corpus;
  readonly engines: EnginePool;
  readonly contacts?: OpenContactStore;
  readonly pageNotFound?: (answer: (request: FastifyRequest, reply: FastifyReply) => FastifyReply) => void;
}

/** What each page area's plugin is given. */
export interface WebAreaOptions extends WebContext {
  readonly assets: Assets;
  /** What the guide's answer page shows in its #record-contact slot (recording the contact): add yours to `answerExtensions`. */
  readonly answerExtensions: readonly AnswerSlot[];
}

/** What one request's answer page shows in its record slot (who is signed in decides it), or nothing. */
export type AnswerSlot = (request: FastifyRequest, reply: FastifyReply) => Promise<AnswerExtension | undefined>;

/** Makes an answer slot from what the web app was given. */
export type AnswerSlotMaker = (options: WebContext & { readonly assets: Assets }) => AnswerSlot;

/** A page area: a Fastify plugin registering its pages. */
export type WebArea = (app: FastifyInstance, options: WebAreaOptions) => Promise<void>;

/** Extensions of the guide's answer page, given the request, the decided scenario and decision. Add yours here. */
export const answerExtensions: readonly AnswerSlotMaker[] = [recordContactSlot];

/** The page areas, in registration order. Add yours here. */
export const areas: readonly WebArea[] = [homeRoutes, guideRoutes, exploreRoutes, mapRoutes, compareRoutes, accountRoutes, reportsRoutes];

/** The web app: assets, then every page area, with HTML error pages and compressed HTML. */
export async function webApp(app: FastifyInstance, context: WebContext): Promise<void> {
  const assets = loadAssets();
  // Cookies for every page area (the guide's remembered place; sessions later): registered once, here.
  await app.register(cookie);
  await app.register(assetRoutes, {});
  /** The page context of a request, in English when its language itself was bad. */
  const contextOf = (request: FastifyRequest): PageContext => {
    try {
      return pageContext(request, assets);
    } catch {
      return contextFor(request.url.split('?')[0]!, undefined, assets, messages);
    }
  };
  // A browser asking for an address nothing serves gets the error page in its language (the API's stays JSON).
  context.pageNotFound?.((request, reply) => {
    const ctx = contextOf(request);
    const main = layout(ctx, {
      title: ctx.t('web-common.error.not_found_title'), area: 'home',
      main: html`<div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body">
<h1 class="usa-alert__heading">${ctx.t('web-common.error.not_found_title')}</h1>
<p class="usa-alert__text">${ctx.t('web-common.error.not_found', { path: ctx.path })}</p>
</div></div>
<ul class="usa-list">${navigation.map((n) => html`<li><a href="${ctx.href(n.href)}">${ctx.t(`web-common.nav.${n.id}`)}</a></li>`)}</ul>
<p><a href="${ctx.href('/')}">${ctx.t('web-common.error.back')}</a></p>`,
    });
    return sendPage(reply, ctx, main, 404);
  });
  await app.register(async (pages) => {
    // Answers compressed; request bodies are never decoded (the server's refusals answer a Content-Encoding with 415).
    await pages.register(compress, { globalCompression: true, globalDecompression: false, threshold: 1024, encodings: ['br', 'gzip'] });
    // A body in a Content-Encoding is refused before a form parser reads it (as the server refuses it on every route).
    pages.addHook('preParsing', function encodedBodyRefused(request, _reply, payload, done) {
      const refusal = encodedBodyRefusal(request.headers);
      if (refusal) done(refusal);
      else done(null, payload);
    });
    pages.setErrorHandler((err: FastifyError, request, reply) => {
      // A plugin's refusal of the request itself (an unknown Content-Encoding, a body that does not parse) keeps its
      // 4xx and says why, as the API's handler does; only what is left is the server's fault.
      const clientStatus = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : undefined;
      const refusal = contractErrorOf(err, context.corpus)
        ?? (clientStatus === undefined ? undefined : new ContractError('bad_input', { path: '(request)', given: null, message: err.message }));
      const ctx = contextOf(request);
      if (!refusal || refusal.httpStatus >= 500) request.log.error({ err }, 'internal error on a page');
      const status = clientStatus ?? refusal?.httpStatus ?? 500;
      return sendPage(reply, ctx, errorPage(ctx, status, refusal?.body().error, ctx.t('web-common.error.request_id', { id: request.id }), request.method === 'POST'), status);
    });
    // Sessions and CSRF for every page area: the guide's answer page offers signed-in staff the record form.
    await registerSessions(pages, context.contacts);
    const slots = answerExtensions.map((make) => make({ ...context, assets }));
    for (const area of areas) await pages.register(area, { ...context, assets, answerExtensions: slots });
  });
}

