// Form pieces every account page shares, in USWDS markup: the error summary (announced, focused, linking each field),
// text inputs and radio groups that show their own error, and the hidden CSRF token every form posts.
import { html, type Html } from '../html.js';
import type { PageContext } from '../page.js';

/** One problem with a form: the field's element id and what to say. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * The error summary above a form: an error alert announced as soon as the page loads (role="alert") and focused
 * (autofocus on the summary itself, so keyboard and screen-reader users start at it), each problem linking its field.
 */
export function errorSummary(ctx: PageContext, errors: readonly FieldError[]): Html {
  if (!errors.length) return html``;
  return html`<div class="usa-alert usa-alert--error error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<div class="usa-alert__body">
<h2 class="usa-alert__heading" id="error-summary-title">${ctx.t('web-account.form.problem')}</h2>
<ul class="usa-list usa-list--unstyled">${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul>
</div></div>`;
}

/** The page title with "Error:" in front when the form has problems (what a screen reader reads first). */
export function titled(ctx: PageContext, title: string, errors: readonly FieldError[]): string {
  return errors.length ? ctx.t('web-account.form.error_title', { title }) : title;
}

/** The hidden CSRF token of a form that posts. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A labelled text input (or date, time, password) with its hint and its error. */
export function inputGroup(options: {
  id: string; name: string; label: string; type?: string; value?: string; hint?: string; error?: string;
  autocomplete?: string; required?: boolean; width?: string;
}): Html {
  const { id, error, hint } = options;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="usa-form-group${error ? ' usa-form-group--error' : ''}">
<label class="usa-label${error ? ' usa-label--error' : ''}" for="${id}">${options.label}</label>
${hint ? html`<div class="usa-hint" id="${id}-hint">${hint}</div>` : ''}${error ? html`<span class="usa-error-message" id="${id}-error" role="alert">${error}</span>` : ''}
<input class="usa-input${error ? ' usa-input--error' : ''}${options.width ? ` usa-input--${options.width}` : ''}" id="${id}" name="${options.name}" type="${options.type ?? 'text'}"${options.value !== undefined ? html` value="${options.value}"` : ''}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.required ? html` required aria-required="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}>
</div>`;
}

/** A fieldset of radio buttons (one question), with its legend, error and the value chosen. */
export function radioGroup(options: {
  id: string; name: string; legend: string; choices: readonly { value: string; label: string; hint?: string }[]; value?: string; error?: string;
}): Html {
  const { id, error } = options;
  return html`<div class="usa-form-group${error ? ' usa-form-group--error' : ''}">
<fieldset class="usa-fieldset" id="${id}"${error ? html` aria-describedby="${id}-error"` : ''}>
<legend class="usa-legend usa-legend--large">${options.legend}</legend>
${error ? html`<span class="usa-error-message" id="${id}-error" role="alert">${error}</span>` : ''}
${options.choices.map((c, i) => html`<div class="usa-radio">
<input class="usa-radio__input usa-radio__input--tile" id="${id}-${i}" type="radio" name="${options.name}" value="${c.value}"${options.value === c.value ? html` checked` : ''}${i === 0 ? html` required` : ''}>
<label class="usa-radio__label" for="${id}-${i}">${c.label}${c.hint ? html`<span class="usa-checkbox__label-description">${c.hint}</span>` : ''}</label>
</div>`)}
</fieldset>
</div>`;
}
