// "Record this contact" on the guide's answer page: signed-in staff get the record form there (the scenario they just
// answered carried as hidden fields, CSRF token, posting to /record like the record page, so no JavaScript is needed);
// anyone else is offered a sign-in that comes back to the same answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { jurisdictionNameIn } from '../../app/presentation/words.js';
import { inScope } from '../../store/recordContact.js';
import type { AnswerSlotMaker } from '../app.js';
import { html } from '../html.js';
import { deskTimeZone, zonedNow } from './localTime.js';
import { scenarioFields } from './scenarioFields.js';
import { signInHref } from './session.js';
import { recordForm, type AccountView } from './views.js';

/** The record slot of the answer page, for servers with a contact store (without one, nothing is offered). */
export const recordContactSlot: AnswerSlotMaker = (options) => {
  const zone = deskTimeZone();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.contacts) return undefined;
    const user = request.account;
    return (view, { scenario }) => {
      const { ctx } = view;
      const { t } = ctx;
      const heading = html`<h2 id="record-contact-title">${t('web-account.record.title')}</h2>`;
      if (!user) {
        return html`${heading}<p>${t('web-account.record.button_hint')}</p>
<p><a class="usa-button usa-button--outline" href="${signInHref(ctx, request.url)}">${t('web-account.record.sign_in_link')}</a></p>`;
      }
      if (user.role === 'admin' || !inScope(user, scenario.actor.jurisdiction, scenario.actor.agency)) {
        return html`${heading}<p>${t('web-account.record.out_of_scope', { place: jurisdictionNameIn(options.corpus, user.jurisdiction, ctx.lang) })}</p>`;
      }
      const v: AccountView = { ctx, corpus: options.corpus, vocabulary: view.vocabulary, zone };
      const now = zonedNow(zone);
      // The day the guide was asked about, when it is not in the future; the form says the day and time it happened.
      const date = scenario.date <= now.date ? scenario.date : now.date;
      return html`${heading}<p>${t('web-account.record.lead')}</p><p class="usa-hint">${t('web-account.record.decided_again')}</p>
${recordForm(v, { csrf: reply.generateCsrf(), fields: scenarioFields(scenario as unknown as Record<string, unknown>), values: { date, time: now.time }, errors: [] })}`;
    };
  };
};
