// The account pages' markup: sign-in, the account's own page, the record form, the receipt and the list of records.
// Pure functions of what the routes looked up, in the page's language; every word from web-account.yaml.
import { agents, actions } from '../../store/contactInput.js';
import { jurisdictionNameIn } from '../../app/presentation/words.js';
import type { ContactRecord, Receipt, StoredContact } from '../../store/contacts.js';
import type { User } from '../../store/users.js';
import type { Decision } from '../../engine/decision.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import type { Corpus } from '../../policy/corpus.js';
import { html, type Html } from '../html.js';
import type { PageContext } from '../page.js';
import { csrfField, errorSummary, inputGroup, radioGroup, type FieldError } from './forms.js';
import { deskTime } from './localTime.js';

/** What every account page knows besides its page context. */
export interface AccountView {
  readonly ctx: PageContext;
  readonly corpus: Corpus;
  readonly vocabulary: VocabularyWords;
  readonly zone: string;
}

/** A place's name in the page's language ("Condado de Montgomery" in Spanish). */
const placeName = (v: AccountView, id: string) => jurisdictionNameIn(v.corpus, id, v.ctx.lang);

/** "Signed in as …" with the sign-out button (a form: signing out changes state, so it posts). */
export function accountBar(v: AccountView, user: User, csrf: string): Html {
  const { t } = v.ctx;
  return html`<div class="account-bar">
<p>${t('web-account.bar.signed_in', { name: user.name, role: t(`web-account.role.${user.role}`), place: placeName(v, user.jurisdiction) })}</p>
<form method="post" action="${v.ctx.href('/sign-out')}" class="account-bar__form">${csrfField(csrf)}<button class="usa-button usa-button--unstyled" type="submit">${t('web-account.bar.sign_out')}</button></form>
</div>`;
}

/** The sign-in form. */
export function signInMain(v: AccountView, a: { csrf: string; username?: string; next?: string; errors: readonly FieldError[]; notice?: string }): Html {
  const { t } = v.ctx;
  const error = (f: string) => a.errors.find((e) => e.field === f)?.message;
  return html`<div class="usa-prose"><h1>${t('web-account.sign_in.title')}</h1>
<p>${t('web-account.sign_in.lead')}</p></div>
${a.notice ? html`<div class="usa-alert usa-alert--success usa-alert--slim" role="status"><div class="usa-alert__body"><p class="usa-alert__text">${a.notice}</p></div></div>` : ''}
${errorSummary(v.ctx, a.errors)}
<form class="usa-form usa-form--large" method="post" action="${v.ctx.href('/sign-in')}" novalidate>
${csrfField(a.csrf)}${a.next ? html`<input type="hidden" name="next" value="${a.next}">` : ''}
${inputGroup({ id: 'username', name: 'username', label: t('web-account.sign_in.username'), value: a.username ?? '', autocomplete: 'username', required: true, error: error('username') })}
${inputGroup({ id: 'password', name: 'password', label: t('web-account.sign_in.password'), type: 'password', autocomplete: 'current-password', required: true, error: error('password') })}
<button class="usa-button" type="submit">${t('web-account.sign_in.submit')}</button>
</form>
<p class="usa-hint">${t('web-account.sign_in.help')}</p>`;
}

/** The signed-in account's page: who, what they may do, where to go. */
export function accountMain(v: AccountView, user: User, csrf: string): Html {
  const { t } = v.ctx;
  const may = user.role === 'staff' ? 'staff' : user.role === 'supervisor' ? 'supervisor' : 'auditor';
  return html`${accountBar(v, user, csrf)}
<div class="usa-prose"><h1>${t('web-account.account.title')}</h1>
<p>${t(`web-account.account.may.${may}`, { place: placeName(v, user.jurisdiction) })}</p>
<ul class="usa-list">
<li><a href="${v.ctx.href('/guide')}">${t('web-account.account.record_link')}</a></li>
<li><a href="${v.ctx.href('/records')}">${t(user.role === 'staff' ? 'web-account.account.own_records' : 'web-account.account.records')}</a></li>
<li><a href="${v.ctx.href('/reports')}">${t('web-account.account.reports')}</a></li>
</ul></div>`;
}

/** The scenario in words: place, office, request and each other fact given. */
export function scenarioList(v: AccountView, scenario: Readonly<Record<string, unknown>>): Html {
  const { t } = v.ctx;
  const actor = (scenario.actor ?? {}) as { jurisdiction?: string; agency?: string };
  const rows: [string, string][] = [
    [t('web-account.scenario.place'), placeName(v, String(actor.jurisdiction ?? ''))],
    [t('web-account.scenario.agency'), actor.agency ? v.vocabulary.agency(actor.agency).label : '—'],
    [t('web-account.scenario.request'), scenario.request ? v.vocabulary.request(String(scenario.request)).label : '—'],
  ];
  for (const [k, value] of Object.entries(scenario)) {
    if (k === 'actor' || k === 'request' || k === 'date' || value === undefined) continue;
    const words = value === 'unknown' ? t('web-account.scenario.unknown') : v.vocabulary.value(k, value as string | boolean).label;
    rows.push([v.vocabulary.fact(k).label, words]);
  }
  return html`<dl class="scenario-list">${rows.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>`;
}

/** What the record form was filled with (to show again with its errors). */
export interface RecordFormValues {
  readonly date: string;
  readonly time: string;
  readonly agent?: string;
  readonly action?: string;
  readonly site?: string;
}

/**
 * The record form itself: the scenario as hidden fields, then when, who asked, what was done and the site, posting to
 * /record with the CSRF token (the record page and the guide's answer page both show it).
 */
export function recordForm(v: AccountView, a: { csrf: string; fields: readonly [string, string][]; values: RecordFormValues; errors: readonly FieldError[] }): Html {
  const { t } = v.ctx;
  const error = (f: string) => a.errors.find((e) => e.field === f)?.message;
  return html`<form class="usa-form usa-form--large" method="post" action="${v.ctx.href('/record')}" novalidate>
${csrfField(a.csrf)}
${a.fields.map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${t('web-account.record.when')}</legend>
<p class="usa-hint" id="when-hint">${t('web-account.record.when_hint', { zone: v.zone })}</p>
${inputGroup({ id: 'occurred-date', name: 'occurred_date', label: t('web-account.record.date'), type: 'date', value: a.values.date, required: true, error: error('occurred-date') })}
${inputGroup({ id: 'occurred-time', name: 'occurred_time', label: t('web-account.record.time'), type: 'time', value: a.values.time, required: true, error: error('occurred-time') })}
</fieldset>
${radioGroup({ id: 'agent', name: 'agent', legend: t('web-account.record.agent'), value: a.values.agent, error: error('agent'), choices: agents.map((id) => ({ value: id, label: t(`web-account.agent.${id}`) })) })}
${radioGroup({ id: 'action', name: 'action', legend: t('web-account.record.action'), value: a.values.action, error: error('action'), choices: actions.map((id) => ({ value: id, label: t(`web-account.action.${id}`) })) })}
${inputGroup({ id: 'site', name: 'site', label: t('web-account.record.site'), hint: t('web-account.record.site_hint'), value: a.values.site ?? '', width: 'medium', error: error('site') })}
<p class="usa-hint">${t('web-account.record.no_names')}</p>
<button class="usa-button" type="submit">${t('web-account.record.submit')}</button>
</form>`;
}

/** The record form: the decided scenario (carried as hidden fields), then when, who asked, what was done, the site. */
export function recordMain(v: AccountView, a: {
  user: User; csrf: string; scenario: Readonly<Record<string, unknown>>; fields: readonly [string, string][]; decision: Decision;
  values: RecordFormValues; errors: readonly FieldError[];
}): Html {
  const { t } = v.ctx;
  return html`${accountBar(v, a.user, a.csrf)}
<div class="usa-prose"><h1>${t('web-account.record.title')}</h1><p>${t('web-account.record.lead')}</p></div>
${errorSummary(v.ctx, a.errors)}
<section class="usa-summary-box record-scenario" aria-labelledby="record-scenario-title"><div class="usa-summary-box__body">
<h2 class="usa-summary-box__heading" id="record-scenario-title">${t('web-account.record.scenario_title')}</h2>
${scenarioList(v, a.scenario)}
<p data-outcome="${a.decision.outcome}">${t('web-account.record.outcome', { outcome: t(`decision.outcome.${a.decision.outcome}`), date: a.values.date })}</p>
<p>${t('web-account.record.decided_again')}</p>
</div></section>
${recordForm(v, a)}`;
}

/** The receipt page: what was stored and proven, the checks done here, the file to keep and how to check it later. */
export function receiptMain(v: AccountView, a: {
  user: User; csrf: string; record: ContactRecord; receipt: Receipt; verified: boolean; downloadHref: string; justRecorded: boolean;
}): Html {
  const { t } = v.ctx;
  const r = a.receipt;
  const rows: [string, Html | string][] = [
    [t('web-account.receipt.id'), html`<code>${r.id}</code>`],
    [t('web-account.receipt.index'), String(r.index)],
    [t('web-account.receipt.occurred'), deskTime(a.record.occurred_at, v.zone)],
    [t('web-account.receipt.decision'), html`<span data-outcome="${r.decision.outcome}">${t(`decision.outcome.${r.decision.outcome}`)}</span> · ${t('web-account.receipt.policy_version', { version: r.decision.policy_version })}${r.decision.governing.length ? html`<br><span class="usa-hint">${r.decision.governing.join(', ')}</span>` : ''}`],
    [t('web-account.receipt.action'), t(`web-account.action.${a.record.action}`)],
    [t('web-account.receipt.deviation'), r.deviation ? html`<span class="usa-tag deviation-tag">${t('web-account.deviation.yes')}</span>` : t('web-account.deviation.no')],
    [t('web-account.receipt.leaf_hash'), html`<code class="receipt-hash">${r.leaf_hash}</code>`],
  ];
  return html`${accountBar(v, a.user, a.csrf)}
${a.justRecorded ? html`<div class="usa-alert usa-alert--success" role="status"><div class="usa-alert__body"><h1 class="usa-alert__heading">${t('web-account.receipt.recorded')}</h1><p class="usa-alert__text">${t('web-account.receipt.recorded_text')}</p></div></div>` : html`<h1>${t('web-account.receipt.title')}</h1>`}
${a.justRecorded ? html`<h2>${t('web-account.receipt.title')}</h2>` : ''}
<table class="usa-table usa-table--borderless receipt-table" data-record-id="${r.id}">
<caption class="usa-sr-only">${t('web-account.receipt.title')}</caption>
<tbody>${rows.map(([k, val]) => html`<tr><th scope="row">${k}</th><td>${val}</td></tr>`)}</tbody>
</table>
${r.deviation ? html`<div class="usa-alert usa-alert--warning usa-alert--slim"><div class="usa-alert__body"><p class="usa-alert__text">${t('web-account.receipt.deviation_note')}</p></div></div>` : ''}
<h2>${t('web-account.receipt.proof_title')}</h2>
<p>${a.verified ? t('web-account.receipt.verified') : t('web-account.receipt.not_verified')}</p>
<h3>${t('web-account.receipt.checkpoint')}</h3>
<pre class="receipt-note">${r.checkpoint}</pre>
<h3>${t('web-account.receipt.inclusion_proof', { count: r.inclusion_proof.length })}</h3>
${r.inclusion_proof.length ? html`<ol class="receipt-proof">${r.inclusion_proof.map((h) => html`<li><code>${h}</code></li>`)}</ol>` : html`<p>${t('web-account.receipt.no_proof')}</p>`}
<p><a class="usa-button" href="${a.downloadHref}" download>${t('web-account.receipt.download')}</a></p>
<h2>${t('web-account.receipt.later_title')}</h2>
<ol class="usa-list">
<li>${t('web-account.receipt.later.keep')}</li>
<li>${t('web-account.receipt.later.key')} <code>/v1/log/key</code></li>
<li>${t('web-account.receipt.later.inclusion')}</li>
<li>${t('web-account.receipt.later.consistency')} <code>/v1/log/consistency?from=${parseSize(r.checkpoint)}&amp;to=N</code></li>
<li>${t('web-account.receipt.later.verify')} <code>trustrules log verify --checkpoint receipt-checkpoint.txt</code></li>
</ol>
<p><a href="${v.ctx.href('/records')}">${t('web-account.receipt.to_list')}</a> · <a href="${v.ctx.href('/guide')}">${t('web-account.receipt.to_guide')}</a></p>`;
}

/** The tree size a checkpoint names (its second line). */
export function parseSize(note: string): number {
  return Number(note.split('\n')[1] ?? 0);
}

/** The list's filters as asked. */
export interface ListFilters {
  readonly jurisdiction?: string;
  readonly from?: string;
  readonly to?: string;
  readonly deviation: boolean;
}

/** The records list: filters (a GET form), the records as a table with deviations marked, and the CSV of the same. */
export function listMain(v: AccountView, a: {
  user: User; csrf: string; filters: ListFilters; places: readonly string[]; list: readonly StoredContact[]; csvHref: string; errors: readonly FieldError[]; limited: boolean;
}): Html {
  const { t } = v.ctx;
  const error = (f: string) => a.errors.find((e) => e.field === f)?.message;
  const lead = a.user.role === 'staff' ? t('web-account.list.lead_staff') : t('web-account.list.lead_scope', { place: placeName(v, a.user.jurisdiction) });
  const deviations = a.list.filter((c) => 'scenario' in c.record && c.record.deviation).length;
  const rows = a.list.map((c) => {
    if (!('scenario' in c.record)) {
      return html`<tr><td>${c.index}</td><td colspan="7">${t('web-account.list.tombstone')}</td></tr>`;
    }
    const r = c.record;
    const actor = (r.scenario.actor ?? {}) as { jurisdiction?: string; agency?: string };
    return html`<tr class="${r.deviation ? 'record-row record-row--deviation' : 'record-row'}" data-record-id="${r.id}" data-deviation="${String(r.deviation)}">
<td>${c.index}</td>
<td>${deskTime(r.occurred_at, v.zone)}</td>
<td>${placeName(v, actor.jurisdiction ?? c.jurisdiction)}<br><span class="record-detail">${actor.agency ? v.vocabulary.agency(actor.agency).label : ''}</span></td>
<td>${r.scenario.request ? v.vocabulary.request(String(r.scenario.request)).label : ''}${r.scenario.basis && r.scenario.basis !== 'unknown' ? html`<br><span class="record-detail">${v.vocabulary.value('basis', String(r.scenario.basis)).label}</span>` : ''}</td>
<td>${t(`web-account.agent.${r.agent}`)}</td>
<td>${t(`decision.outcome.${r.decision.outcome}`)}</td>
<td>${t(`web-account.action.${r.action}`)}${r.deviation ? html` <span class="usa-tag deviation-tag">${t('web-account.deviation.yes')}</span>` : ''}</td>
<td><a href="${v.ctx.href(`/records/${r.id}`)}">${t('web-account.list.receipt_link')}<span class="usa-sr-only"> ${c.index}</span></a></td>
</tr>`;
  });
  return html`${accountBar(v, a.user, a.csrf)}
<div class="usa-prose"><h1>${t('web-account.list.title')}</h1><p>${lead}</p></div>
${errorSummary(v.ctx, a.errors)}
<form class="usa-form records-filter" method="get" action="${v.ctx.path}">
${v.ctx.langInQuery ? html`<input type="hidden" name="lang" value="${v.ctx.lang}">` : ''}
${a.places.length > 1 ? html`<div class="usa-form-group"><label class="usa-label" for="jurisdiction">${t('web-account.list.jurisdiction')}</label>
<select class="usa-select" id="jurisdiction" name="jurisdiction">${a.places.map((p) => html`<option value="${p}"${p === (a.filters.jurisdiction ?? a.user.jurisdiction) ? html` selected` : ''}>${placeName(v, p)}</option>`)}</select></div>` : ''}
${inputGroup({ id: 'from', name: 'from', label: t('web-account.list.from'), type: 'date', value: a.filters.from ?? '', error: error('from') })}
${inputGroup({ id: 'to', name: 'to', label: t('web-account.list.to'), type: 'date', value: a.filters.to ?? '', error: error('to') })}
<div class="usa-checkbox"><input class="usa-checkbox__input" id="deviation" type="checkbox" name="deviation" value="true"${a.filters.deviation ? html` checked` : ''}><label class="usa-checkbox__label" for="deviation">${t('web-account.list.deviation_only')}</label></div>
<button class="usa-button" type="submit">${t('web-account.list.filter')}</button>
</form>
<p class="records-count" role="status">${t('web-account.list.count', { count: a.list.length, deviations })}${a.limited ? html` ${t('web-account.list.limited')}` : ''}</p>
<p><a class="usa-button usa-button--outline" href="${a.csvHref}" download>${t('web-account.list.csv')}</a></p>
${a.list.length ? html`<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-label="${t('web-account.list.title')}"><table class="usa-table usa-table--striped records-table">
<caption>${t('web-account.list.caption')}</caption>
<thead><tr><th scope="col">${t('web-account.list.col.index')}</th><th scope="col">${t('web-account.list.col.occurred')}</th><th scope="col">${t('web-account.list.col.place')}</th><th scope="col">${t('web-account.list.col.request')}</th><th scope="col">${t('web-account.list.col.agent')}</th><th scope="col">${t('web-account.list.col.outcome')}</th><th scope="col">${t('web-account.list.col.action')}</th><th scope="col">${t('web-account.list.col.receipt')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>` : html`<p>${t('web-account.list.none')}</p>`}`;
}
