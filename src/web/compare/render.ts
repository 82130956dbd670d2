// The Compare page as HTML: three GET forms (places on a date, one place on two dates, a draft against the law), then
// each request as a table of agencies by side with the clauses behind every cell, and the diff summary in words.
import { analysisWordsFor } from '../../app/presentation/analysisLanguage.js';
import type { Corpus } from '../../policy/corpus.js';
import { html, type Html } from '../html.js';
import { langField, outcomeTag, provisionLink, type ViewWords } from '../explore/parts.js';
import { MAX_SIDES, type CompareQuery, type CompareView } from './model.js';

const c = (w: ViewWords, id: string, params?: Record<string, string | number>) => w.t(`web-compare.${id}`, params);

/** A select of every jurisdiction, in name order, the current one selected. */
function jurisdictionSelect(w: ViewWords, corpus: Corpus, id: string, name: string, selected: string | undefined, optional: boolean): Html {
  const all = [...corpus.jurisdictions.values()].sort((a, b) => w.name(a.id).localeCompare(w.name(b.id), w.lang));
  return html`<select class="usa-select" id="${id}" name="${name}"${optional ? '' : html` required`}>${optional ? html`<option value="">${c(w, 'form.none')}</option>` : ''}${all.map((j) => html`<option value="${j.id}"${j.id === selected ? html` selected` : ''}>${w.name(j.id)}</option>`)}</select>`;
}

/** The three forms; each works without JavaScript. */
export function compareForms(w: ViewWords, corpus: Corpus, q: CompareQuery, date: string, drafts: readonly string[]): Html {
  const picks = Array.from({ length: MAX_SIDES }, (_, i) => html`<label class="usa-label" for="j${i}">${c(w, `form.place${i < 2 ? i + 1 : '_optional'}`, { n: i + 1 })}</label>${jurisdictionSelect(w, corpus, `j${i}`, 'j', q.vs || q.draft ? (i === 0 ? q.j[0] : undefined) : q.j[i], i >= 2)}`);
  const draftOptions = drafts.map((id) => html`<option value="${id}"${id === q.draft ? html` selected` : ''}>${corpus.instruments.get(id)?.title ?? id} (${id})</option>`);
  return html`<div class="compare-forms">
<form class="usa-form" method="get" action="/compare">${langField(w)}<fieldset class="usa-fieldset"><legend class="usa-legend usa-legend--large">${c(w, 'form.places')}</legend>
${picks}
<label class="usa-label" for="date-places">${c(w, 'form.date')}</label><input class="usa-input" type="date" id="date-places" name="date" value="${date}" required>
<button class="usa-button" type="submit">${c(w, 'form.submit')}</button></fieldset></form>
<form class="usa-form" method="get" action="/compare">${langField(w)}<fieldset class="usa-fieldset"><legend class="usa-legend usa-legend--large">${c(w, 'form.dates')}</legend>
<label class="usa-label" for="j-dates">${c(w, 'form.place')}</label>${jurisdictionSelect(w, corpus, 'j-dates', 'j', q.j[0], false)}
<label class="usa-label" for="date-a">${c(w, 'form.first_date')}</label><input class="usa-input" type="date" id="date-a" name="date" value="${date}" required>
<label class="usa-label" for="date-b">${c(w, 'form.second_date')}</label><input class="usa-input" type="date" id="date-b" name="vs" value="${q.vs ?? ''}" required>
<button class="usa-button" type="submit">${c(w, 'form.submit')}</button></fieldset></form>
<form class="usa-form" method="get" action="/compare">${langField(w)}<fieldset class="usa-fieldset"><legend class="usa-legend usa-legend--large">${c(w, 'form.draft')}</legend>
<label class="usa-label" for="j-draft">${c(w, 'form.place')}</label>${jurisdictionSelect(w, corpus, 'j-draft', 'j', q.j[0], false)}
<label class="usa-label" for="date-draft">${c(w, 'form.date')}</label><input class="usa-input" type="date" id="date-draft" name="date" value="${date}" required>
<label class="usa-label" for="draft">${c(w, 'form.instrument')}</label><span class="usa-hint" id="draft-hint">${c(w, 'form.instrument_hint')}</span>
<select class="usa-select" id="draft" name="draft" aria-describedby="draft-hint" required>${draftOptions}</select>
<button class="usa-button" type="submit">${c(w, 'form.submit')}</button></fieldset></form>
</div>`;
}

/** The side-by-side tables: one per request, a row per agency, a column per side, the clauses under each outcome. */
export function compareTables(w: ViewWords, corpus: Corpus, view: CompareView): Html {
  const words = analysisWordsFor(w.lang, corpus);
  const names = view.sides.map((s) => words.side(s));
  const requests = [...new Set(view.cells.map((x) => x.request))];
  return html`${requests.map((request) => {
    const rows = view.cells.filter((x) => x.request === request);
    const hid = `r-${request}`;
    return html`<table class="usa-table usa-table--borderless compare-table" aria-labelledby="${hid}">
<caption id="${hid}">${w.vocabulary.request(request).label}<span class="compare-table__what"> — ${w.vocabulary.request(request).description}</span></caption>
<thead><tr><th scope="col">${c(w, 'table.agency')}</th>${names.map((n) => html`<th scope="col">${n}</th>`)}</tr></thead>
<tbody>${rows.map((x) => html`<tr class="${x.differs ? 'differs' : ''}" data-agency="${x.agency}" data-request="${x.request}"><th scope="row">${w.vocabulary.agency(x.agency).label}${x.difference ? html` <span class="differs__mark">${c(w, x.difference === 'office' ? 'table.differs_office' : 'table.differs')}</span>` : ''}</th>
${x.answers.map((a, i) => !a ? html`<td data-side="${i}"><span class="outcome outcome--none" data-outcome="none">${c(w, 'table.not_asked')}</span></td>` : html`<td data-side="${i}">${outcomeTag(w, a.outcome)}${a.branches.length ? html`<span class="branches">${c(w, 'table.branches', { outcomes: w.decisions.sources.catalog.list([...new Set(a.branches)].map((o) => w.decisions.outcome(o)), 'or') })}</span>` : ''}${a.governing.length ? html`<ul class="clauses">${a.governing.map((ref) => html`<li>${provisionLink(w, corpus, ref, view.sides[i]!.date)}</li>`)}</ul>` : ''}</td>`)}</tr>`)}</tbody></table>`;
  })}`;
}

/** The diff of the first side against each other one, in the presentation layer's sentences. */
export function compareSummary(w: ViewWords, corpus: Corpus, view: CompareView): Html {
  const words = analysisWordsFor(w.lang, corpus);
  return html`${view.pairs.map((p, n) => {
    const header = words.diffText(p.a, p.b, p.summary).split('\n')[0]!;
    const groups = p.summary.groups(p.a.engine.vocabulary);
    const requests = [...new Set(groups.map((g) => g.request))];
    return html`<section class="compare-diff" aria-labelledby="diff-${n}"><h3 id="diff-${n}">${c(w, 'diff.pair', { a: words.side(p.a), b: words.side(p.b) })}</h3>
<p class="compare-diff__total">${header}</p>
${requests.map((r) => html`<h4>${w.vocabulary.request(r).label}</h4><ul class="usa-list">${groups.filter((g) => g.request === r).map((g) => html`<li data-request="${g.request}" data-a="${g.a}" data-b="${g.b}">${words.group(p.a, p.b, g)} <span class="compare-diff__count">${w.t('analysis.diff.scenarios', { scenarios: g.scenarios, agencies: g.agencies.length })}</span></li>`)}</ul>`)}
</section>`;
  })}`;
}

/** The whole page's main content (the comparison only when there are sides). */
export function compareMain(w: ViewWords, corpus: Corpus, q: CompareQuery, date: string, drafts: readonly string[], view: CompareView | undefined): Html {
  return html`<div class="usa-prose"><h1>${c(w, 'page.title')}</h1><p class="usa-intro">${c(w, 'page.lead')}</p></div>
${compareForms(w, corpus, q, date, drafts)}
${view ? html`<h2 id="side-by-side">${c(w, `page.heading.${view.mode}`)}</h2>
<p>${c(w, 'page.how')}</p>
${compareTables(w, corpus, view)}
<h2 id="in-words">${c(w, 'diff.title')}</h2>
<p>${c(w, 'diff.lead')}</p>
${compareSummary(w, corpus, view)}` : html`<p>${c(w, 'page.choose')}</p>`}`;
}
