// The Reports page's markup: the chooser (a GET form), then for each jurisdiction its totals as a chart and a table,
// the quarterly breakdown, what is hidden and why, and the checkpoint and signature with the files and how to verify.
import type { Corpus } from '../../policy/corpus.js';
import { jurisdictionNameIn } from '../../app/presentation/words.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import { html, type Html } from '../html.js';
import type { PageContext } from '../page.js';
import { barChart } from './chart.js';
import type { PublicReport, ReportRow } from './report.js';

/** What the page was asked (the form's values). */
export interface ReportForm {
  readonly jurisdiction?: string;
  readonly by: 'month' | 'quarter' | 'year';
  readonly fromYear: number;
  readonly toYear: number;
  readonly descendants: boolean;
}

/** One problem with the form. */
export interface ReportFormError {
  readonly field: string;
  readonly message: string;
}

/** What the page's words need besides the context. */
export interface ReportView {
  readonly ctx: PageContext;
  readonly corpus: Corpus;
  readonly vocabulary: VocabularyWords;
  /** Years the chooser offers, oldest first. */
  readonly years: readonly number[];
}

/** A place's name in the page's language ("Condado de Montgomery" in Spanish). */
const placeName = (v: ReportView, id: string) => jurisdictionNameIn(v.corpus, id, v.ctx.lang);

/** A period id (`2026`, `2026-Q1`, `2026-03`) in words. */
export function periodWords(v: ReportView, id: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(id);
  if (q) return v.ctx.t('web-reports.period.quarter', { quarter: q[2]!, year: q[1]! });
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) return new Intl.DateTimeFormat(v.ctx.lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return id;
}

/** A published count in words: the number, `<5`, or what a marker means. */
export function countWords(v: ReportView, count: number | string): string {
  if (typeof count === 'number') return new Intl.NumberFormat(v.ctx.lang).format(count);
  if (/^<\d+$/.test(count)) return count;
  return v.ctx.t(count === 'suppressed' ? 'web-reports.count.suppressed' : 'web-reports.count.withheld');
}

/** The jurisdictions the chooser lists: the State first, then by name. */
export function reportPlaces(corpus: Corpus): string[] {
  return [...corpus.jurisdictions.values()]
    .sort((a, b) => (a.parent === null ? -1 : b.parent === null ? 1 : a.name.localeCompare(b.name, 'en')))
    .map((j) => j.id);
}

function chooser(v: ReportView, form: ReportForm, errors: readonly ReportFormError[]): Html {
  const { t } = v.ctx;
  const error = (f: string) => errors.find((e) => e.field === f)?.message;
  const years = (name: string, id: string, label: string, value: number) => html`<div class="usa-form-group${error(id) ? ' usa-form-group--error' : ''}">
<label class="usa-label" for="${id}">${label}</label>${error(id) ? html`<span class="usa-error-message" id="${id}-error">${error(id)}</span>` : ''}
<select class="usa-select" id="${id}" name="${name}"${error(id) ? html` aria-describedby="${id}-error" aria-invalid="true"` : ''}>${v.years.map((y) => html`<option value="${y}"${y === value ? html` selected` : ''}>${y}</option>`)}</select></div>`;
  return html`<form class="usa-form report-chooser" method="get" action="/reports">
${v.ctx.langInQuery ? html`<input type="hidden" name="lang" value="${v.ctx.lang}">` : ''}
<div class="usa-form-group${error('jurisdiction') ? ' usa-form-group--error' : ''}"><label class="usa-label" for="jurisdiction">${t('web-reports.form.jurisdiction')}</label>
${error('jurisdiction') ? html`<span class="usa-error-message" id="jurisdiction-error">${error('jurisdiction')}</span>` : ''}
<select class="usa-select" id="jurisdiction" name="jurisdiction"${error('jurisdiction') ? html` aria-describedby="jurisdiction-error" aria-invalid="true"` : ''}>
<option value=""${form.jurisdiction ? '' : html` selected`}>${t('web-reports.form.choose')}</option>
${reportPlaces(v.corpus).map((id) => html`<option value="${id}"${id === form.jurisdiction ? html` selected` : ''}>${placeName(v, id)}</option>`)}
</select></div>
<div class="usa-checkbox"><input class="usa-checkbox__input" id="descendants" type="checkbox" name="descendants" value="true"${form.descendants ? html` checked` : ''}><label class="usa-checkbox__label" for="descendants">${t('web-reports.form.descendants')}</label></div>
<fieldset class="usa-fieldset"><legend class="usa-legend">${t('web-reports.form.by')}</legend>
${(['month', 'quarter', 'year'] as const).map((by) => html`<div class="usa-radio"><input class="usa-radio__input" id="by-${by}" type="radio" name="by" value="${by}"${form.by === by ? html` checked` : ''}><label class="usa-radio__label" for="by-${by}">${t(`web-reports.form.by_${by}`)}</label></div>`)}
</fieldset>
${years('from_year', 'from-year', t('web-reports.form.from_year'), form.fromYear)}
${years('to_year', 'to-year', t('web-reports.form.to_year'), form.toYear)}
<button class="usa-button" type="submit">${t('web-reports.form.submit')}</button>
</form>`;
}

function cellRow(v: ReportView, r: ReportRow): Html {
  const { t } = v.ctx;
  const value = (fact: string, id: string | null) => (id === null ? '—' : v.vocabulary.value(fact, id).label);
  return html`<tr${r.deviation ? html` class="report-cell--deviation"` : ''}>
<td>${r.request === null ? '—' : v.vocabulary.request(r.request).label}</td>
<td>${value('basis', r.basis)}</td>
<td>${r.agent === null ? '—' : t(`web-account.agent.${r.agent}`)}</td>
<td>${r.action === null ? '—' : t(`web-account.action.${r.action}`)}</td>
<td>${r.outcome === null ? '—' : t(`decision.outcome.${r.outcome}`)}</td>
<td>${r.deviation === null ? '—' : r.deviation ? html`<span class="usa-tag deviation-tag">${t('web-account.deviation.yes')}</span>` : t('web-reports.cells.no')}</td>
<td class="report-count">${countWords(v, r.count)}</td>
</tr>`;
}

function jurisdictionSection(v: ReportView, report: PublicReport, id: string, n: number): Html {
  const { t } = v.ctx;
  const totals = report.rows.filter((r) => r.kind === 'total' && r.jurisdiction === id);
  const detail = (r: ReportRow) => (r.detail === 'none' ? t('web-reports.detail.none') : r.detail === 'withheld' ? t('web-reports.detail.withheld') : r.detail === 'by_quarter' ? t('web-reports.detail.by_quarter') : '');
  const chartId = `chart-${n}`;
  const title = t('web-reports.totals.chart_title', { place: placeName(v, id) });
  const cells = report.rows.filter((r) => r.kind === 'cell' && r.jurisdiction === id);
  const byPeriod = report.periods.map((p) => ({ period: p, rows: cells.filter((c) => c.period === p.id) })).filter((g) => g.rows.length);
  return html`<section class="report-place" aria-labelledby="place-${n}">
<h2 id="place-${n}">${placeName(v, id)}</h2>
<figure class="report-figure">
${barChart(chartId, title, totals.map((r) => ({ label: periodWords(v, r.period), count: r.count, text: countWords(v, r.count) })), report.suppressed.threshold)}
<figcaption class="usa-sr-only">${title}</figcaption>
</figure>
<table class="usa-table usa-table--borderless report-totals">
<caption>${t('web-reports.totals.caption', { place: placeName(v, id) })}</caption>
<thead><tr><th scope="col">${t('web-reports.totals.period')}</th><th scope="col">${t('web-reports.totals.count')}</th><th scope="col">${t('web-reports.totals.note')}</th></tr></thead>
<tbody>${totals.map((r) => html`<tr><th scope="row">${periodWords(v, r.period)}</th><td class="report-count">${countWords(v, r.count)}</td><td>${detail(r)}</td></tr>`)}</tbody>
</table>
${byPeriod.map((g) => html`<table class="usa-table usa-table--borderless report-cells">
<caption>${t('web-reports.cells.caption', { period: periodWords(v, g.period.id), place: placeName(v, id) })}</caption>
<thead><tr><th scope="col">${t('web-reports.cells.request')}</th><th scope="col">${t('web-reports.cells.basis')}</th><th scope="col">${t('web-reports.cells.agent')}</th><th scope="col">${t('web-reports.cells.action')}</th><th scope="col">${t('web-reports.cells.outcome')}</th><th scope="col">${t('web-reports.cells.deviation')}</th><th scope="col">${t('web-reports.cells.count')}</th></tr></thead>
<tbody>${g.rows.map((r) => cellRow(v, r))}</tbody></table>`)}
</section>`;
}

/** The page: chooser, then the report (or what went wrong), then how to verify it. */
export function reportsMain(v: ReportView, a: {
  form: ReportForm; errors: readonly ReportFormError[]; report?: PublicReport; unavailable?: boolean; jsonHref?: string; csvHref?: string;
}): Html {
  const { t } = v.ctx;
  const r = a.report;
  return html`<div class="usa-prose"><h1>${t('web-reports.title')}</h1><p class="usa-intro">${t('web-reports.lead')}</p></div>
${a.errors.length ? html`<div class="usa-alert usa-alert--error error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="report-errors"><div class="usa-alert__body"><h2 class="usa-alert__heading" id="report-errors">${t('web-account.form.problem')}</h2><ul class="usa-list usa-list--unstyled">${a.errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul></div></div>` : ''}
${chooser(v, a.form, a.errors)}
${a.unavailable ? html`<div class="usa-alert usa-alert--info"><div class="usa-alert__body"><p class="usa-alert__text">${t('web-reports.unavailable')}</p></div></div>` : ''}
${r ? html`<div class="report" data-checkpoint-size="${r.checkpoint.size}">
<p class="report-scope" role="status">${t('web-reports.scope', { place: placeName(v, r.query.jurisdiction), from: r.query.from, to: r.query.to, size: r.checkpoint.size })}</p>
<div class="usa-summary-box report-suppression"><div class="usa-summary-box__body">
<h2 class="usa-summary-box__heading">${t('web-reports.hidden.title')}</h2>
<ul class="usa-list">
<li>${t('web-reports.hidden.below', { threshold: r.suppressed.threshold, max: r.suppressed.threshold - 1 })}</li>
<li>${t('web-reports.hidden.suppressed')}</li>
<li>${t('web-reports.hidden.withheld')}</li>
<li>${t('web-reports.hidden.zero')}</li>
<li>${t('web-reports.hidden.breakdown')}</li>
</ul>
<p>${t('web-reports.hidden.counts', { below: r.suppressed.below_threshold, complementary: r.suppressed.complementary, withheld: r.suppressed.withheld + r.suppressed.withheld_breakdowns })}</p>
${r.deleted_by_retention ? html`<p>${t('web-reports.hidden.retention', { count: r.deleted_by_retention })}</p>` : ''}
</div></div>
${r.jurisdictions.map((id, i) => jurisdictionSection(v, r, id, i))}
<section class="report-verify" aria-labelledby="verify-title">
<h2 id="verify-title">${t('web-reports.verify.title')}</h2>
<p>${t('web-reports.verify.lead', { origin: r.checkpoint.origin, size: r.checkpoint.size })}</p>
<ul class="usa-list">
<li><a href="${a.jsonHref}">${t('web-reports.verify.json')}</a></li>
<li><a href="${a.csvHref}">${t('web-reports.verify.csv')}</a></li>
<li><a href="/v1/log/key">${t('web-reports.verify.key')}</a></li>
</ul>
<h3>${t('web-reports.verify.root')}</h3>
<p><code class="receipt-hash">${r.checkpoint.root}</code></p>
<h3>${t('web-reports.verify.checkpoint')}</h3>
<pre class="receipt-note">${r.checkpoint.note}</pre>
<h3>${t('web-reports.verify.signature')}</h3>
<pre class="receipt-note">${r.signature}</pre>
<h3>${t('web-reports.verify.how')}</h3>
<ol class="usa-list">
<li>${t('web-reports.verify.step_download')}</li>
<li>${t('web-reports.verify.step_run')} <code>trustrules report verify report.json --key log.key.txt</code></li>
<li>${t('web-reports.verify.step_by_hand')}</li>
<li>${t('web-reports.verify.step_compare')}</li>
</ol>
<p>${t('web-reports.verify.docs')}</p>
</section>
</div>` : ''}`;
}
