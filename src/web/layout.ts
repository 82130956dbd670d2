// The layout every page shares, browser-safe (the offline guide renders with it too): the page context (language,
// words, address, assets), the header with the site's name and a language switch that keeps the page and its query,
// the skip link, the navigation and the footer. No inline script or style: the strict CSP allows files only.
import { requestLanguage } from '../app/config.js';
import type { Catalog, Lang, MessageParams } from '../app/presentation/catalog.js';
import type { InputError } from '../vocabulary/scenario.js';
import type { Assets } from './assets.js';
import { html, type Html } from './html.js';

/** The page areas in the navigation, in order, with their addresses. */
export const navigation = [
  { id: 'guide', href: '/guide' },
  { id: 'explore', href: '/explore' },
  { id: 'map', href: '/map' },
  { id: 'compare', href: '/compare' },
  { id: 'reports', href: '/reports' },
] as const;

/** A navigation area's id (or `home`). */
export type Area = (typeof navigation)[number]['id'] | 'home';

/** What a page knows about its request: language, words, address and query, and the built assets. */
export interface PageContext {
  readonly lang: Lang;
  readonly catalog: Catalog;
  /** The path asked for, without the query. */
  readonly path: string;
  /** The query as asked (repeated keys kept). */
  readonly query: URLSearchParams;
  /** Whether the language came from `?lang=` (then links carry it on). */
  readonly langInQuery: boolean;
  readonly assets: Assets;
  /** The catalog's message: `t('web-common.nav.guide')`. */
  t(id: string, params?: MessageParams): string;
  /** An address on this site that keeps the page's language when it was chosen by `?lang=`. */
  href(path: string, params?: Readonly<Record<string, string | readonly string[] | undefined>>): string;
}

/** The page context of an address (path and query) and an Accept-Language header, with the catalogs to word it. */
export function contextFor(url: string, acceptLanguage: string | string[] | undefined, assets: Assets, catalogs: (lang: Lang) => Catalog): PageContext {
  const [pathPart = '/', queryPart = ''] = url.split('?', 2) as [string, string?];
  const query = new URLSearchParams(queryPart);
  const langs = query.getAll('lang');
  const lang = requestLanguage(langs.length ? { lang: langs } : {}, acceptLanguage);
  const catalog = catalogs(lang);
  const langInQuery = langs.length > 0;
  return {
    lang, catalog, path: pathPart, query, langInQuery, assets,
    t: (id, params) => catalog.format(id, params),
    href(path, params = {}) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) {
        if (v === undefined) continue;
        for (const one of typeof v === 'string' ? [v] : v) q.append(k, one);
      }
      if (langInQuery && !q.has('lang')) q.set('lang', lang);
      const s = q.toString();
      return s ? `${path}?${s}` : path;
    },
  };
}

/** The current address in another language: the same path and query with `lang` replaced. */
export function inLanguage(ctx: PageContext, lang: Lang): string {
  const q = new URLSearchParams(ctx.query);
  q.set('lang', lang);
  return `${ctx.path}?${q.toString()}`;
}

/** What a page puts in the layout. */
export interface PageParts {
  /** The page's title (the layout adds the site's name). */
  readonly title: string;
  /** The navigation area the page belongs to (marked as current). */
  readonly area: Area;
  /** The contents of <main>. */
  readonly main: Html;
  /** Built script files the page loads (deferred), e.g. `guide.js`. */
  readonly scripts?: readonly string[];
  /** Extra built stylesheets. */
  readonly styles?: readonly string[];
  /** A line in the footer (the policy version that decided the page, for instance). */
  readonly footerNote?: string;
}

/** The whole document: header, language switch, navigation, main, footer. */
export function layout(ctx: PageContext, parts: PageParts): Html {
  const { t } = ctx;
  const other: Lang = ctx.lang === 'en' ? 'es' : 'en';
  const nav = navigation.map((n) => html`<li><a href="${ctx.href(n.href)}"${parts.area === n.id ? html` aria-current="page"` : ''}>${t(`web-common.nav.${n.id}`)}</a></li>`);
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} · ${t('web-common.site.name')}</title>
<meta name="description" content="${t('web-common.site.tagline')}">
<link rel="icon" href="${ctx.assets.url('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${ctx.assets.url('site.css')}">
${(parts.styles ?? []).map((s) => html`<link rel="stylesheet" href="${ctx.assets.url(s)}">\n`)}${(parts.scripts ?? []).map((s) => html`<script src="${ctx.assets.url(s)}" defer></script>\n`)}<link rel="alternate" hreflang="${other}" href="${inLanguage(ctx, other)}">
</head>
<body>
<a class="usa-skipnav" href="#main-content">${t('web-common.site.skip')}</a>
<header class="site-header">
<div class="site-header__bar">
<div>
<p class="site-title"><a href="${ctx.href('/')}">${t('web-common.site.name')}</a></p>
<p class="site-tagline">${t('web-common.site.tagline')}</p>
</div>
<nav class="site-nav" aria-label="${t('web-common.site.nav_label')}"><ul>${nav}</ul></nav>
<p class="language-switch"><span class="usa-sr-only">${t('web-common.site.language_label')}: </span><a href="${inLanguage(ctx, other)}" lang="${other}" hreflang="${other}">${t('web-common.site.switch')}</a></p>
</div>
</header>
<main id="main-content" class="site-main" tabindex="-1">
${parts.main}
</main>
<footer class="site-footer">
<div class="site-footer__inner">
<p>${t('web-common.footer.about')}</p>
${parts.footerNote ? html`<p>${parts.footerNote}</p>` : ''}
</div>
</footer>
</body>
</html>
`;
}


/** An allowed-values list short enough for a page: the first 20, then an ellipsis. */
function shortList(values: readonly unknown[]): string {
  const shown = values.slice(0, 20).map(String).join(', ');
  return values.length > 20 ? `${shown}, …` : shown;
}

/**
 * Where a refused value was sent, for the words that name it: a path in parentheses is part of the request itself
 * (a header such as `(content-encoding)`, the body), a name in the page's query is in the address, and any other
 * name came from the form that was sent.
 */
export function refusedIn(ctx: PageContext, path: string, sentForm: boolean): 'request' | 'address' | 'form' {
  if (path.startsWith('(')) return 'request';
  return sentForm && !ctx.query.has(path) ? 'form' : 'address';
}

/**
 * The error page: for a refusal (status below 500) what was wrong, where it was sent, and what is allowed; otherwise
 * the request id. `sentForm` says the request carried a form (a POST), so a field not in the address is the form's.
 */
export function errorPage(ctx: PageContext, status: number, error?: InputError, requestId?: string, sentForm = false): Html {
  const { t } = ctx;
  const detail = error && status < 500
    ? html`<p class="usa-alert__text">${t(`web-common.error.bad_input_${refusedIn(ctx, error.path, sentForm)}`, { path: error.path, given: String(error.given ?? '') })}</p>${error.allowed ? html`<p class="usa-alert__text">${t('web-common.error.allowed', { allowed: shortList(error.allowed) })}</p>` : ''}`
    : html`<p class="usa-alert__text">${requestId ?? ''}</p>`;
  const main = html`<div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body">
<h1 class="usa-alert__heading">${t('web-common.error.title')}</h1>
${detail}
</div></div>
<p><a href="/">${t('web-common.error.back')}</a></p>`;
  return layout(ctx, { title: t('web-common.error.title'), area: 'home', main });
}
