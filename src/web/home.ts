// The home page (/): what trustrules answers, and a link to each page area with one line on who it is for.
import type { FastifyInstance } from 'fastify';
import { html } from './html.js';
import { layout, navigation, pageContext, sendPage } from './page.js';
import type { WebAreaOptions } from './app.js';

/** Registers GET /. */
export async function homeRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const { t } = ctx;
    const areas = navigation.map((n) => html`<li><h2><a href="${ctx.href(n.href)}">${t(`web-common.nav.${n.id}`)}</a></h2><p>${t(`web-common.home.${n.id}`)}</p></li>`);
    const main = html`<div class="usa-prose"><h1>${t('web-common.home.title')}</h1><p class="usa-intro">${t('web-common.home.lead')}</p></div>
<ul class="home-areas">${areas}</ul>
<p>${t('web-common.home.api')} <a href="/docs">${t('web-common.home.api_link')}</a></p>`;
    return sendPage(reply, ctx, layout(ctx, { title: t('web-common.home.title'), area: 'home', main, footerNote: t('web-common.footer.version', { version: options.engines.base.policyVersion }) }));
  });
}
