// Recording one contact (contract section 7), shared by POST /v1/contacts and the web app's "Record this contact"
// form: the closed body checked, the scenario decided as of the day it occurred, the account's scope enforced, the
// deviation worked out and the record appended; the receipt comes back once the record is durably committed.
import { ContractError } from '../app/errors.js';
import { decideScenario } from '../app/presentation/decisions.js';
import type { Engine } from '../engine/engine.js';
import { ScenarioError } from '../vocabulary/scenario.js';
import { isDeviation, localDate, parseContactBody } from './contactInput.js';
import type { ContactQuery, ContactStore, Receipt, StoredContact } from './contacts.js';
import { withinJurisdiction, type User } from './users.js';

/** How far in the future an occurred_at may lie (clock skew between a desk and the server). */
export const FUTURE_SLACK_MS = 10 * 60 * 1000;

/** The role-and-scope rule: an account acts for its jurisdiction and those below it, and for its agency if it has one. */
export function inScope(user: User, jurisdiction: string, agency: string): boolean {
  return withinJurisdiction(user.jurisdiction, jurisdiction) && (user.agency === null || user.agency === agency);
}

/** Whether `user` may read this stored record: its own (any role but admin), or in scope for supervisors and auditors. */
export function mayRead(user: User, c: StoredContact): boolean {
  if (user.role === 'admin') return false;
  if (c.recordedBy === user.id) return true;
  if (user.role === 'staff') return false;
  const agency = 'scenario' in c.record ? String((c.record.scenario.actor as { agency?: unknown } | undefined)?.agency ?? '') : null;
  return withinJurisdiction(user.jurisdiction, c.jurisdiction) && (user.agency === null || agency === null || user.agency === agency);
}

/**
 * The list filter an account may run: its own jurisdiction unless it names one within it, only its own records for
 * staff, only its agency for an account bound to one; admin accounts read no records. Out of scope is a 403.
 */
export function scopedQuery(user: User, query: ContactQuery): ContactQuery {
  if (user.role === 'admin') throw forbidden(user, 'read contact records (admin tokens manage accounts)');
  const jurisdiction = query.jurisdiction ?? user.jurisdiction;
  if (!withinJurisdiction(user.jurisdiction, jurisdiction)) throw forbidden(user, `read records of ${jurisdiction}`);
  return {
    ...query, jurisdiction,
    ...(user.role === 'staff' ? { recordedBy: user.id } : {}),
    ...(user.agency !== null ? { agency: user.agency } : {}),
  };
}

/** The 403 of an account acting outside what it may do. */
export function forbidden(user: User, what: string): ContractError {
  return new ContractError('forbidden', {
    path: '(authorization)', given: `${user.role} for ${user.jurisdiction}${user.agency ? ` (${user.agency})` : ''}`,
    message: `this token may not ${what}`,
  });
}

/**
 * Checks a contact body (as POST /v1/contacts takes it) for `user`, decides it and appends it; resolves with the
 * receipt once durable. Bad input and scope are ContractErrors (400, 403) naming the field.
 */
export async function recordContact(engine: Engine, store: ContactStore, user: User, input: unknown, now = Date.now()): Promise<Receipt> {
  const parsed = parseContactBody(input);
  if (!parsed.ok) throw new ContractError('bad_input', parsed.error);
  const body = parsed.body;
  const occurred = Date.parse(body.occurred_at);
  if (occurred > now + FUTURE_SLACK_MS) {
    throw new ContractError('bad_input', { path: 'occurred_at', given: body.occurred_at, allowed: ['a time not in the future'], message: 'occurred_at lies in the future' });
  }
  const day = localDate(body.occurred_at);
  if (body.scenario.date !== undefined && body.scenario.date !== day) {
    throw new ContractError('bad_input', { path: 'scenario.date', given: body.scenario.date, allowed: [day], message: 'the scenario is decided as of the day the contact occurred: omit date or give that day' });
  }
  let scenario;
  try {
    scenario = engine.codec.parse({ ...body.scenario, date: day });
  } catch (e) {
    if (e instanceof ScenarioError) {
      const path = e.error.path === '(scenario)' ? 'scenario' : `scenario.${e.error.path}`;
      throw new ContractError('bad_input', { ...e.error, path });
    }
    throw e;
  }
  if (!inScope(user, scenario.jurisdiction, scenario.agency)) throw forbidden(user, `record contacts for ${scenario.jurisdiction} (${scenario.agency})`);
  if (body.corrects !== undefined) {
    const earlier = await store.get(body.corrects);
    if (!earlier) throw new ContractError('bad_input', { path: 'corrects', given: body.corrects, message: 'no record with this id to correct' });
    if (earlier.recordedBy !== user.id && !(user.role !== 'staff' && mayRead(user, earlier))) throw forbidden(user, 'correct that record');
  }
  const decision = decideScenario(engine, scenario);
  return store.append({
    scenario: { ...body.scenario, date: day },
    jurisdiction: scenario.jurisdiction,
    agency: scenario.agency,
    occurred_at: body.occurred_at,
    agent: body.agent,
    action: body.action,
    ...(body.site !== undefined ? { site: body.site } : {}),
    ...(body.corrects !== undefined ? { corrects: body.corrects } : {}),
    decision,
    deviation: isDeviation(decision.outcome, body.action),
  }, user);
}
