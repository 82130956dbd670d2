// The web app as one Fastify plugin, mounted beside the API by the program's entry (src/main.ts hands it to the
// server as a surface; web and server never import each other). Each page area is its own plugin in this list,
// given the corpus, the engines and the built assets; its words are messages/<lang>/web-<area>.yaml.
//
// To add a page area: write `src/web/<area>/routes.ts` exporting `async function <area>Routes(app, options:
// WebAreaOptions)` that registers its GET routes with `schema: { hide: true }`, builds a PageContext with
// pageContext(request, options.assets), renders with layout() and sends with sendPage(); then add it to `areas`.
import compress from '@fastify/compress';
import type { FastifyError, FastifyInstance } from 'fastify';
import { contractErrorOf } from '../app/errors.js';
import type { EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import type { OpenContactStore } from '../store/open.js';
import { assetRoutes, loadAssets, type Assets } from './assets.js';
import { accountRoutes } from './account/routes.js';
import { compareRoutes } from './compare/routes.js';
import { exploreRoutes } from './explore/routes.js';
import { homeRoutes } from './home.js';
import { mapRoutes } from './map/routes.js';
import { reportsRoutes } from './reports/routes.js';
import { html } from './html.js';
import { contextFor, layout, pageContext, sendPage, type PageContext } from './page.js';

/** What the server gives a surface: the corpus it loaded, its engines, and the contact store when it has one. */
export interface WebContext {
  readonly corpus: Corpus;
  readonly engines: EnginePool;
  readonly contacts?: OpenContactStore;
}

/** What each page area's plugin is given. */
export interface WebAreaOptions extends WebContext {
  readonly assets: Assets;
}

/** A page area: a Fastify plugin registering its pages. */
export type WebArea = (app: FastifyInstance, options: WebAreaOptions) => Promise<void>;

/** The page areas, in registration order. Add yours here. */
export const areas: readonly WebArea[] = [homeRoutes, exploreRoutes, mapRoutes, compareRoutes, accountRoutes, reportsRoutes];

/** The web app: assets, then every page area, with HTML error pages and compressed HTML. */
export async function webApp(app: FastifyInstance, context: WebContext): Promise<void> {
  const assets = loadAssets();
  await app.register(assetRoutes, {});
  await app.register(async (pages) => {
    await pages.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
    pages.setErrorHandler((err: FastifyError, request, reply) => {
      const refusal = contractErrorOf(err, context.corpus);
      let ctx: PageContext;
      try {
        ctx = pageContext(request, assets);
      } catch {
        // The language itself was bad: the error page is in English, the default.
        ctx = contextFor(request.url.split('?')[0]!, undefined, assets);
      }
      const { t } = ctx;
      if (!refusal || refusal.httpStatus >= 500) {
        request.log.error({ err }, 'internal error on a page');
      }
      const status = refusal?.httpStatus ?? 500;
      const body = refusal?.body().error;
      const main = html`<div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body">
<h1 class="usa-alert__heading">${t('web-common.error.title')}</h1>
${body && status < 500 ? html`<p class="usa-alert__text">${t('web-common.error.bad_input', { path: body.path, given: String(body.given ?? '') })}</p>${body.allowed ? html`<p class="usa-alert__text">${t('web-common.error.allowed', { allowed: shortList(body.allowed) })}</p>` : ''}` : html`<p class="usa-alert__text">request ${request.id}</p>`}
</div></div>
<p><a href="/">${t('web-common.error.back')}</a></p>`;
      return sendPage(reply, ctx, layout(ctx, { title: t('web-common.error.title'), area: 'home', main }), status);
    });
    for (const area of areas) await pages.register(area, { ...context, assets });
  });
}

/** An allowed-values list short enough for a page: the first 20, then an ellipsis. */
function shortList(values: readonly unknown[]): string {
  const shown = values.slice(0, 20).map(String).join(', ');
  return values.length > 20 ? `${shown}, …` : shown;
}
