// The Map page as HTML: the question and date form (a range slider that submits without JavaScript), Maryland's
// counties and municipalities as server-drawn SVG coloured by the engine's answer, a legend, and the same answers
// with each jurisdiction's protection index as a table. map.js only makes the slider update the map as it moves.
import type { Outcome } from '../../engine/decision.js';
import type { Corpus } from '../../policy/corpus.js';
import { html, type Html } from '../html.js';
import { exploreHref, langField, outcomeTag, provisionLink, type ViewWords } from '../explore/parts.js';
import { MAP_HEIGHT, MAP_WIDTH } from './geometry.js';
import { MAP_FIRST_DAY, monthIndex, OUTCOME_ORDER, type MapEntry, type MapView } from './model.js';
import type { IndexItem, MapQuestion } from './questions.js';

const m = (w: ViewWords, id: string, params?: Record<string, string | number>) => w.t(`web-map.${id}`, params);

/** What an entry's shape or point says: its name and answer (or that it has no such agency). */
function label(w: ViewWords, e: MapEntry): string {
  const answer = e.answer ? w.decisions.outcome(e.answer.outcome) : m(w, 'legend.no_agency');
  return m(w, 'map.label', { name: w.name(e.jurisdiction.id), answer });
}

/** The fill class of an entry: its outcome, or `none` when the question's agency does not exist there. */
const fill = (e: MapEntry) => `fill--${e.answer?.outcome ?? 'none'}`;

/** The map as SVG: each county a link to its Explorer page, each municipality a circle; every one labelled. */
export function mapSvg(w: ViewWords, view: MapView): Html {
  const counties = view.counties.map((c) => html`<a href="${exploreHref(w, c.jurisdiction.id, view.date)}" aria-label="${label(w, c)}" data-j="${c.jurisdiction.id}"><path class="map__county ${fill(c)}" d="${c.shape.d}"><title>${label(w, c)}</title></path></a>`);
  const points = view.points.map((p) => html`<a href="${exploreHref(w, p.jurisdiction.id, view.date)}" aria-label="${label(w, p)}" data-j="${p.jurisdiction.id}"><circle class="map__place ${fill(p)}" cx="${p.point.x}" cy="${p.point.y}" r="6"><title>${label(w, p)}</title></circle></a>`);
  return html`<svg class="map" id="map" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="group" aria-labelledby="map-title" data-words="${JSON.stringify(outcomeWords(w))}">
<title id="map-title">${m(w, 'map.title', { question: m(w, `question.${view.question.id}`), date: w.decisions.date(view.date) })}</title>
<g class="map__counties">${counties}</g><g class="map__places">${points}</g></svg>`;
}

/** Each outcome's word in the page's language (for map.js, which recolours and relabels without a round trip). */
function outcomeWords(w: ViewWords): Record<string, string> {
  const words: Record<string, string> = { none: m(w, 'legend.no_agency') };
  for (const o of OUTCOME_ORDER) words[o] = w.decisions.outcome(o);
  return words;
}

/** The legend: every outcome with its swatch and how many jurisdictions have it on the map now. */
export function legend(w: ViewWords, view: MapView): Html {
  const all = [...view.counties, ...view.points];
  const count = (o: Outcome | 'none') => all.filter((e) => (e.answer?.outcome ?? 'none') === o).length;
  const items = [...OUTCOME_ORDER, 'none' as const].map((o) => html`<li data-outcome="${o}"><svg class="legend__swatch" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><rect class="${`fill--${o}`}" x="1" y="1" width="18" height="18"/></svg> <span class="legend__word">${o === 'none' ? m(w, 'legend.no_agency') : w.decisions.outcome(o)}</span> <span class="legend__count" data-count="${o}">${m(w, 'legend.count', { count: count(o) })}</span><span class="legend__hint"> — ${m(w, `legend.hint.${o}`)}</span></li>`);
  return html`<h2 id="legend-heading">${m(w, 'legend.title')}</h2><ul class="legend" aria-labelledby="legend-heading">${items}</ul>
<p class="legend__shapes">${m(w, 'legend.shapes')}</p>`;
}

/** The controls: question and date (a month slider from 2008 to today, and an exact date), submitted with GET. */
export function controls(w: ViewWords, questions: readonly MapQuestion[], view: MapView, today: string): Html {
  const max = monthIndex(today);
  const value = Math.min(max, monthIndex(view.date));
  const options = questions.map((q) => html`<option value="${q.id}"${q.id === view.question.id ? html` selected` : ''}>${m(w, `question.${q.id}`)}</option>`);
  return html`<form class="usa-form map-controls" method="get" action="/map" id="map-form" data-today="${today}" data-first="${MAP_FIRST_DAY}" data-date-style="${w.t('common.date_style')}">${langField(w)}
<label class="usa-label" for="question">${m(w, 'form.question')}</label>
<select class="usa-select" id="question" name="question">${options}</select>
<label class="usa-label" for="m">${m(w, 'form.month')}</label>
<span class="usa-hint" id="m-hint">${m(w, 'form.month_hint', { first: MAP_FIRST_DAY.slice(0, 4), today: w.decisions.date(today) })}</span>
<input class="usa-range" type="range" id="m" name="m" min="0" max="${max}" step="1" value="${value}" aria-describedby="m-hint m-value" aria-valuetext="${w.decisions.date(view.date)}">
<output id="m-value" for="m" class="map-controls__date" aria-live="polite">${w.decisions.date(view.date)}</output>
<button class="usa-button" type="submit">${m(w, 'form.submit')}</button>
</form>
<form class="usa-form map-exact" method="get" action="/map">${langField(w)}<input type="hidden" name="question" value="${view.question.id}">
<label class="usa-label" for="date">${m(w, 'form.exact')}</label>
<input class="usa-input" type="date" id="date" name="date" value="${view.date}" min="${MAP_FIRST_DAY}" max="${today}">
<button class="usa-button usa-button--outline" type="submit">${m(w, 'form.exact_submit')}</button>
</form>`;
}

/** The table: the same answers as the map, each jurisdiction with the provisions deciding it and its protection index. */
export function answersTable(w: ViewWords, corpus: Corpus, view: MapView): Html {
  const row = (e: MapEntry, kind: string) => html`<tr data-j="${e.jurisdiction.id}"><th scope="row"><a href="${exploreHref(w, e.jurisdiction.id, view.date)}">${w.name(e.jurisdiction.id)}</a></th><td>${kind}</td>
<td class="answer">${e.answer ? outcomeTag(w, e.answer.outcome) : html`<span class="outcome outcome--none" data-outcome="none">${m(w, 'legend.no_agency')}</span>`}</td>
<td class="governing">${e.answer?.governing.length ? e.answer.governing.map((ref, i) => html`${i ? html`<br>` : ''}${provisionLink(w, corpus, ref, view.date)}`) : '—'}</td>
<td class="index" data-score="${e.index.score}" data-max="${e.index.max}">${m(w, 'table.index_value', { score: e.index.score, max: e.index.max })}</td></tr>`;
  return html`<table class="usa-table usa-table--striped map-table" id="map-table">
<caption>${m(w, 'table.caption', { question: m(w, `question.${view.question.id}`), date: w.decisions.date(view.date) })}</caption>
<thead><tr><th scope="col">${m(w, 'table.jurisdiction')}</th><th scope="col">${m(w, 'table.kind')}</th><th scope="col">${m(w, 'table.answer')}</th><th scope="col">${m(w, 'table.governing')}</th><th scope="col">${m(w, 'table.index')}</th></tr></thead>
<tbody>${view.counties.map((c) => row(c, m(w, c.jurisdiction.kind === 'city' ? 'table.independent_city' : 'table.county')))}${view.points.map((p) => row(p, m(w, 'table.municipality')))}</tbody></table>`;
}

/** The protection index's rubric: each item, its points, and how an answer scores (docs/protection-index.md). */
export function rubric(w: ViewWords, items: readonly IndexItem[]): Html {
  const total = items.reduce((n, i) => n + i.points, 0);
  return html`<h2 id="rubric">${m(w, 'index.title')}</h2>
<p>${m(w, 'index.lead', { total })}</p>
<table class="usa-table usa-table--borderless rubric"><caption>${m(w, 'index.caption')}</caption>
<thead><tr><th scope="col">${m(w, 'index.item_heading')}</th><th scope="col">${m(w, 'index.points')}</th></tr></thead>
<tbody>${items.map((i) => html`<tr><td>${m(w, `index.item.${i.id}`)}</td><td>${i.points}</td></tr>`)}</tbody></table>
<p>${m(w, 'index.scoring')}</p><p>${m(w, 'index.ilrc')}</p>`;
}

/** The words map.js needs to relabel the page in its language, with `{name}`, `{answer}`, `{date}` to fill in. */
export function liveWords(w: ViewWords, question: MapQuestion, ids: readonly string[], places: number) {
  const text = m(w, `question.${question.id}`);
  return {
    question: question.id,
    text,
    label: m(w, 'map.label', { name: '{name}', answer: '{answer}' }),
    names: Object.fromEntries(ids.map((id) => [id, w.name(id)])),
    counts: Array.from({ length: places + 1 }, (_, n) => m(w, 'legend.count', { count: n })),
    indexValue: m(w, 'table.index_value', { score: '{score}', max: '{max}' }),
    on: m(w, 'page.on', { date: '{date}' }),
    caption: m(w, 'table.caption', { question: text, date: '{date}' }),
    title: m(w, 'map.title', { question: text, date: '{date}' }),
  };
}

/** The whole page's main content. */
export function mapMain(w: ViewWords, corpus: Corpus, questions: readonly MapQuestion[], items: readonly IndexItem[], view: MapView, today: string): Html {
  return html`<div class="usa-prose"><h1>${m(w, 'page.title')}</h1><p class="usa-intro">${m(w, 'page.lead')}</p></div>
<div class="map-layout"><div class="map-side">${controls(w, questions, view, today)}</div>
<div class="map-main"><h2 id="answer-heading" class="map-question">${m(w, `question.${view.question.id}`)} <span class="map-question__date">${m(w, 'page.on', { date: w.decisions.date(view.date) })}</span></h2>
<figure class="map-figure">${mapSvg(w, view)}<figcaption>${m(w, 'map.caption')}</figcaption></figure>
<div class="map-legend">${legend(w, view)}</div></div></div>
${view.unplaced.length ? html`<p>${m(w, 'page.unplaced', { names: view.unplaced.map((id) => w.name(id)).join(', ') })}</p>` : ''}
<h2 id="table-heading">${m(w, 'table.title')}</h2>
<p>${m(w, 'table.lead')} <a href="#rubric">${m(w, 'table.rubric')}</a></p>
${answersTable(w, corpus, view)}
${rubric(w, items)}
<h2>${m(w, 'page.sources')}</h2>
<ul class="usa-list"><li>${m(w, 'page.source_shapes')}</li><li>${m(w, 'page.source_places')}</li></ul>`;
}
