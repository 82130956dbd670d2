// The Explorer's pages as HTML: the jurisdiction tree with its search, and one jurisdiction on a date — what binds its
// staff, each instrument's history (a list, and the same as a timeline drawing), each provision with its quote, source,
// confidence and policy tests. No script is needed; explore.js only filters the tree as one types.
import type { CaseResult } from '../../analysis/policyTests.js';
import type { Corpus, Instrument, Jurisdiction } from '../../policy/corpus.js';
import { html, type Html } from '../html.js';
import type { BindingProvision, InstrumentView, IssuerGroup, JurisdictionView, TreeNode } from './model.js';
import { eventNoteIn, instrumentSummaryIn, jurisdictionNoteIn } from '../../app/presentation/words.js';
import { dateForm, exploreHref, langAttribute, langField, outcomeTag, provisionAnchor, type ViewWords } from './parts.js';

const e = (w: ViewWords, id: string, params?: Record<string, string | number>) => w.t(`web-explore.${id}`, params);

/** The tree page's main content: a search form (GET), its results, and every jurisdiction as nested lists. */
export function treeMain(w: ViewWords, tree: readonly TreeNode[], query: string, found: readonly Jurisdiction[] | undefined, date: string | undefined): Html {
  const item = (n: TreeNode): Html => html`<li data-name="${n.jurisdiction.name.toLowerCase()} ${n.jurisdiction.id}"><a href="${exploreHref(w, n.jurisdiction.id, date)}">${w.name(n.jurisdiction.id)}</a> <span class="tree__meta">${e(w, `kind.${n.jurisdiction.kind}`)} · ${e(w, 'tree.instruments', { count: n.instruments })}</span>${n.children.length ? html`<ul>${n.children.map(item)}</ul>` : ''}</li>`;
  const results = found === undefined ? '' : found.length
    ? html`<h2 id="results">${e(w, 'tree.results', { count: found.length, query })}</h2><ul class="usa-list" aria-labelledby="results">${found.map((j) => html`<li><a href="${exploreHref(w, j.id, date)}">${w.name(j.id)}</a> <span class="tree__meta">${e(w, `kind.${j.kind}`)}</span></li>`)}</ul>`
    : html`<div class="usa-alert usa-alert--info usa-alert--slim" role="status"><div class="usa-alert__body"><p class="usa-alert__text">${e(w, 'tree.none', { query })}</p></div></div>`;
  return html`<div class="usa-prose"><h1>${e(w, 'tree.title')}</h1><p class="usa-intro">${e(w, 'tree.lead')}</p></div>
<form class="usa-form explore-search" method="get" action="/explore" role="search">${langField(w)}
<label class="usa-label" for="q">${e(w, 'tree.search_label')}</label>
<span class="usa-hint" id="q-hint">${e(w, 'tree.search_hint')}</span>
<input class="usa-input" type="search" id="q" name="q" value="${query}" aria-describedby="q-hint" data-filter="tree">
<button class="usa-button" type="submit">${e(w, 'tree.search_submit')}</button>
</form>
${results}
<h2 id="tree-heading">${e(w, 'tree.all')}</h2>
<ul class="tree" id="tree" aria-labelledby="tree-heading">${tree.map(item)}</ul>
<p class="tree__empty" id="tree-empty" hidden>${e(w, 'tree.filtered_none')}</p>`;
}

/** The first day the history drawings start (the slider's too), unless an instrument's history begins earlier. */
const DRAW_FROM = '2008-01-01';
const DAY = 86_400_000;
const dayOf = (d: string) => Date.parse(`${d}T00:00:00Z`);

/**
 * An instrument's history as a drawing: its in-force intervals as bars on a time axis, its events as ticks. The
 * same facts are in the list beside it; the drawing is labelled and described for screen readers.
 */
export function historySvg(w: ViewWords, ins: Instrument, today: string, id: string): Html {
  const W = 640;
  const H = 56;
  const from = [DRAW_FROM, ...ins.events.map((ev) => ev.date)].reduce((m, d) => (d < m ? d : m));
  const to = [today, ...ins.events.map((ev) => ev.date)].reduce((m, d) => (d > m ? d : m));
  const x0 = dayOf(`${from.slice(0, 4)}-01-01`);
  const x1 = dayOf(`${Number(to.slice(0, 4)) + 1}-01-01`);
  const x = (d: string) => 4 + ((dayOf(d) - x0) / (x1 - x0)) * (W - 8);
  const bars = ins.inForce.map((iv) => {
    const a = x(iv.from);
    const b = x(iv.to ?? to) + (iv.to ? 0 : DAY / (x1 - x0) * (W - 8));
    return html`<rect class="history__in-force" x="${a.toFixed(1)}" y="14" width="${Math.max(2, b - a).toFixed(1)}" height="16"><title>${e(w, 'history.interval', { from: w.decisions.date(iv.from), to: iv.to ? w.decisions.date(iv.to) : e(w, 'history.open') })}</title></rect>`;
  });
  const ticks = ins.events.map((ev) => html`<line class="history__event" x1="${x(ev.date).toFixed(1)}" x2="${x(ev.date).toFixed(1)}" y1="8" y2="36"><title>${w.decisions.date(ev.date)}: ${e(w, `event.${ev.type}`)}</title></line>`);
  const years: Html[] = [];
  const y0 = Number(from.slice(0, 4));
  const y1 = Number(to.slice(0, 4));
  const every = y1 - y0 > 20 ? 5 : y1 - y0 > 8 ? 2 : 1;
  for (let y = y0; y <= y1; y++) {
    if ((y - y0) % every) continue;
    years.push(html`<text x="${x(`${y}-01-01`).toFixed(1)}" y="50">${y}</text>`);
  }
  const desc = ins.inForce.length
    ? ins.inForce.map((iv) => e(w, 'history.interval', { from: w.decisions.date(iv.from), to: iv.to ? w.decisions.date(iv.to) : e(w, 'history.open') })).join('; ')
    : e(w, 'history.never');
  return html`<svg class="history" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" focusable="false"><title id="${id}-t">${e(w, 'history.drawing', { title: ins.title })}</title><desc id="${id}-d">${desc}</desc><line class="history__axis" x1="4" x2="${W - 4}" y1="30" y2="30"/>${bars}${ticks}${years}</svg>`;
}

/** Whether a text is an address a link can point at. */
const isUrl = (s: string) => /^https?:\/\//.test(s);

/** A source: a link when it is an address, else the citation as text (English, as the corpus writes it). */
function source(w: ViewWords, text: string): Html {
  return isUrl(text) ? html`<a href="${text}" rel="noopener">${text}</a>` : html`<span${langAttribute(w, 'en')}>${text}</span>`;
}

/** One policy test case as a table row: its name, what it expects, what the engine says, and whether it passes. */
function testRow(w: ViewWords, r: CaseResult): Html {
  // Case names and problems are the policy tests' own English.
  return html`<tr><td${langAttribute(w, 'en')}>${r.case.name}</td><td>${outcomeTag(w, r.case.expect.outcome as never)}</td><td>${r.actual ? outcomeTag(w, r.actual.outcome as never) : '—'}</td><td>${r.passed ? e(w, 'tests.passed') : html`<strong>${e(w, 'tests.failed')}</strong>${r.problem ? html`: <span${langAttribute(w, 'en')}>${r.problem}</span>` : ''}`}</td></tr>`;
}

/** A table of test cases with a caption. */
function testsTable(w: ViewWords, caption: string, results: readonly CaseResult[]): Html {
  return html`<table class="usa-table usa-table--compact usa-table--borderless tests"><caption>${caption}</caption>
<thead><tr><th scope="col">${e(w, 'tests.case')}</th><th scope="col">${e(w, 'tests.expects')}</th><th scope="col">${e(w, 'tests.engine')}</th><th scope="col">${e(w, 'tests.result')}</th></tr></thead>
<tbody>${results.map((r) => testRow(w, r))}</tbody></table>`;
}

/** A provision that binds here: what it does, for whom, its quote, source, confidence, and the tests that exercise it. */
function provisionBlock(w: ViewWords, corpus: Corpus, b: BindingProvision): Html {
  const p = b.provision;
  const quoteLang = langAttribute(w, 'en');
  const instruction = w.decisions.instruction(p);
  const requests = e(w, 'provision.requests', { requests: listOf(w, p.requests.map((r) => w.vocabulary.request(r).label)) });
  return html`<li class="provision" id="${provisionAnchor(p.ref)}">
<p class="provision__head"><span class="effect effect--${p.effect}">${e(w, `effect.${p.effect}`)}</span> <code>${p.ref}</code> <span class="usa-tag confidence confidence--${p.confidence}">${e(w, `confidence.${p.confidence}`)}</span></p>
<p${langAttribute(w, instruction === p.instruction ? 'en' : w.lang)}>${instruction}</p>
<p class="provision__meta">${requests} ${e(w, 'provision.binds', { agencies: listOf(w, b.agencies.map((a) => w.vocabulary.agency(a).plural)) })}${p.exceptionTo.length ? html` ${e(w, 'provision.exception_to', { refs: p.exceptionTo.join(', ') })}` : ''}${p.from ? html` ${e(w, 'provision.from', { date: w.decisions.date(p.from) })}` : ''}${p.until ? html` ${e(w, 'provision.until', { date: w.decisions.date(p.until) })}` : ''}</p>
${p.paraphrase ? html`<p class="provision__quote provision__quote--paraphrase">${e(w, 'provision.paraphrase')} <span${quoteLang}>${p.quote}</span></p>` : html`<blockquote class="provision__quote"${quoteLang}>${p.quote}</blockquote>`}
<p class="provision__source">${e(w, 'provision.source')} ${source(w, p.source)}</p>
${b.tests.length ? testsTable(w, e(w, 'tests.of_provision', { count: b.tests.length }), b.tests) : html`<p class="provision__untested">${e(w, 'tests.none_provision')}</p>`}
</li>`;
}

/** Items joined as the catalog joins a list with "and". */
function listOf(w: ViewWords, items: readonly string[]): string {
  return w.decisions.sources.catalog.list(items, 'and');
}

/** An instrument: title, kind, status on the date, its history (list and drawing), its binding provisions, its tests. */
function instrumentBlock(w: ViewWords, corpus: Corpus, v: InstrumentView, date: string, today: string, full: boolean): Html {
  const ins = v.instrument;
  const sid = `h-${ins.id}`;
  const status = html`<span class="usa-tag status status--${v.status}">${e(w, `status.${v.status}`)}</span>${v.since ? html` ${e(w, 'instrument.since', { date: w.decisions.date(v.since) })}` : ''}`;
  // Titles and source titles are the official English, marked so on other pages; the summary and event notes are in
  // the page's language where the file translates them, else English and marked so.
  const en = langAttribute(w, 'en');
  const noteOf = (ev: (typeof v.events)[number]) => {
    const note = eventNoteIn(ev, w.lang);
    return note ? html` — <span class="history-list__note"${langAttribute(w, note.lang)}>${note.text}</span>` : '';
  };
  const events = html`<ol class="history-list">${v.events.map((ev) => html`<li><time datetime="${ev.date}">${w.decisions.date(ev.date)}</time>: ${e(w, `event.${ev.type}`)}${noteOf(ev)}${ev.source ? html` (${source(w, ev.source)})` : ''}</li>`)}</ol>`;
  const summary = instrumentSummaryIn(ins, w.lang);
  const sources = ins.sources.length
    ? html`<ul class="sources"${en}>${ins.sources.map((s) => html`<li>${s.url ? html`<a href="${s.url}" rel="noopener">${s.title ?? s.url}</a>` : s.title ?? ''}${s.citation ? html` — ${s.citation}` : ''}</li>`)}</ul>`
    : '';
  if (!full) {
    return html`<li id="${ins.id}"><strong${en}>${ins.title}</strong> (${e(w, `kind.${ins.kind}`)}) — ${status}<details><summary>${e(w, 'instrument.history')}</summary>${events}</details></li>`;
  }
  return html`<article class="instrument" id="${ins.id}" aria-labelledby="${sid}">
<h4 id="${sid}"${en}>${ins.title}</h4>
<p class="instrument__meta">${e(w, `kind.${ins.kind}`)}${ins.number ? html` ${ins.number}` : ''} · ${status} · ${e(w, 'instrument.confidence', { confidence: e(w, `confidence.${ins.confidence}`) })}</p>
${summary ? html`<p class="instrument__summary"${langAttribute(w, summary.lang)}>${summary.text}</p>` : ''}
<h5>${e(w, 'instrument.history')}</h5>
${historySvg(w, ins, today, `svg-${ins.id}`)}
${events}
${sources ? html`<h5>${e(w, 'instrument.sources')}</h5>${sources}` : ''}
<h5>${e(w, 'instrument.binding', { count: v.binding.length, date: w.decisions.date(date) })}</h5>
<ul class="provisions">${v.binding.map((b) => provisionBlock(w, corpus, b))}</ul>
${v.notBinding.length ? html`<p>${e(w, 'instrument.not_binding', { count: v.notBinding.length })} ${v.notBinding.map((p, i) => html`${i ? ', ' : ''}<code>${p.id}</code>`)}</p>` : ''}
${v.tests.length ? html`<details><summary>${e(w, 'tests.of_instrument', { count: v.tests.length, passed: v.tests.filter((t) => t.passed).length })}</summary>${testsTable(w, e(w, 'tests.caption', { title: ins.title }), v.tests)}</details>` : ''}
</article>`;
}

/** One issuer's instruments as they stand for the jurisdiction. */
function groupSection(w: ViewWords, corpus: Corpus, g: IssuerGroup, date: string, today: string): Html {
  const hid = `g-${g.issuer.id.replace(/\//g, '-')}`;
  const heading = g.relation === 'own' ? e(w, 'group.own') : e(w, 'group.inherited', { issuer: w.name(g.issuer.id), kind: e(w, `kind.${g.issuer.kind}`) });
  return html`<section class="issuer" aria-labelledby="${hid}">
<h3 id="${hid}">${heading}</h3>
${g.binding.length ? g.binding.map((v) => instrumentBlock(w, corpus, v, date, today, true)) : html`<p>${e(w, 'group.none_binding')}</p>`}
${g.other.length ? html`<details class="issuer__other"><summary>${e(w, 'group.other', { count: g.other.length })}</summary><ul>${g.other.map((v) => instrumentBlock(w, corpus, v, date, today, false))}</ul></details>` : ''}
</section>`;
}

/** The jurisdiction page's main content. */
export function jurisdictionMain(w: ViewWords, corpus: Corpus, v: JurisdictionView, today: string): Html {
  const j = v.jurisdiction;
  const chain: Jurisdiction[] = [];
  for (let p = v.parent; p; p = p.parent ? corpus.jurisdictions.get(p.parent) : undefined) chain.unshift(p);
  const crumbs = html`<nav class="usa-breadcrumb" aria-label="${e(w, 'page.breadcrumb')}"><ol class="usa-breadcrumb__list">
<li class="usa-breadcrumb__list-item"><a class="usa-breadcrumb__link" href="${w.href('/explore', { date: v.date })}"><span>${e(w, 'tree.title')}</span></a></li>
${chain.map((p) => html`<li class="usa-breadcrumb__list-item"><a class="usa-breadcrumb__link" href="${exploreHref(w, p.id, v.date)}"><span>${w.name(p.id)}</span></a></li>`)}
<li class="usa-breadcrumb__list-item usa-current" aria-current="page"><span>${w.name(j.id)}</span></li></ol></nav>`;
  const own = v.groups.find((g) => g.relation === 'own');
  const count = (gs: readonly IssuerGroup[]) => gs.reduce((n, g) => n + g.binding.reduce((m, i) => m + i.binding.length, 0), 0);
  const inherited = v.groups.filter((g) => g.relation === 'inherited');
  const note = jurisdictionNoteIn(j, w.lang);
  const summary = e(w, 'page.summary', { date: w.decisions.date(v.date), own: own ? count([own]) : 0, inherited: count(inherited) });
  return html`${crumbs}
<div class="usa-prose"><h1>${w.name(j.id)}</h1>
<p class="usa-intro">${e(w, 'page.lead', { kind: e(w, `kind.${j.kind}`), fips: j.fips })}</p>
${note ? html`<p class="jurisdiction__note"${langAttribute(w, note.lang)}>${note.text}</p>` : ''}</div>
${v.children.length ? html`<p>${e(w, 'page.below')} ${v.children.map((c, i) => html`${i ? ', ' : ''}<a href="${exploreHref(w, c.id, v.date)}">${w.name(c.id)}</a>`)}</p>` : ''}
${dateForm(w, `/explore/${j.id}`, v.date)}
<p class="explore-links"><a href="${w.href('/compare', { j: j.id, date: v.date })}">${e(w, 'page.compare')}</a> · <a href="${w.href('/map', { date: v.date })}">${e(w, 'page.map')}</a></p>
<h2 id="binds">${e(w, 'page.binds', { date: w.decisions.date(v.date) })}</h2>
<p>${summary}</p>
<p>${e(w, 'page.agencies', { agencies: listOf(w, v.agencies.map((a) => w.vocabulary.agency(a).plural)) })}</p>
${v.groups.map((g) => groupSection(w, corpus, g, v.date, today))}`;
}
