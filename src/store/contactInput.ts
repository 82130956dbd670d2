// What a clerk may post as a contact record (contract section 7): a closed schema, so no field can carry a person's
// name, birth date, identifying number, citizenship or immigration status; and the rule that says a deviation.
import { z } from 'zod';
import type { Outcome } from '../engine/decision.js';
import type { InputError } from '../vocabulary/scenario.js';

/** Who asked, as a contact record names them. */
export const agents = ['ice_ero', 'ice_hsi', 'cbp', 'other_federal', 'unknown'] as const;
/** Which federal agency asked. */
export type Agent = (typeof agents)[number];

/** What the staff member did, as a contact record names it. */
export const actions = ['declined', 'complied', 'partially_complied', 'referred_to_supervisor', 'referred_to_counsel'] as const;
/** What staff did. */
export type Action = (typeof actions)[number];

const SITE = /^[A-Za-z0-9._-]{1,40}$/;
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The body of `POST /v1/contacts`, before the scenario itself is checked by the scenario codec. */
export const contactBodySchema = z.strictObject({
  scenario: z.record(z.string(), z.unknown()).describe('A section 1 scenario; `date` may be omitted (it is then the day of occurred_at)'),
  occurred_at: z.iso.datetime({ offset: true }).describe('When the contact happened, ISO 8601 with its UTC offset'),
  agent: z.enum(agents).describe('Which federal agency asked'),
  action: z.enum(actions).describe('What staff did'),
  site: z.string().regex(SITE).optional().describe('An opaque site code: 1-40 of A-Z a-z 0-9 . _ -'),
  corrects: z.string().regex(RECORD_ID).optional().describe('The id of an earlier record this one corrects (records are never edited)'),
});

/** A validated `POST /v1/contacts` body. */
export type ContactBody = z.infer<typeof contactBodySchema>;

const topKeys = Object.keys(contactBodySchema.shape);

const allowedAt = (key: string | undefined): readonly string[] | undefined => {
  switch (key) {
    case 'agent': return agents;
    case 'action': return actions;
    case 'occurred_at': return ['YYYY-MM-DDTHH:MM:SS±HH:MM'];
    case 'site': return ['1-40 of A-Z a-z 0-9 . _ -'];
    case 'corrects': return ['a record id'];
    case 'scenario': return ['object'];
    default: return undefined;
  }
};

/** Validates a contact body; returns it, or the contract's error object for the first problem. */
export function parseContactBody(input: unknown): { ok: true; body: ContactBody } | { ok: false; error: InputError } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: { path: '(body)', given: input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input, allowed: ['object'], message: 'a contact record must be a JSON object' } };
  }
  const r = contactBodySchema.safeParse(input);
  if (r.success) return { ok: true, body: r.data };
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return {
      ok: false,
      error: {
        path: [...issue.path, key].join('.'), given: key, allowed: topKeys,
        message: `unknown field "${key}": a contact record carries no other fields (no names, birth dates, identifying numbers, citizenship or status)`,
      },
    };
  }
  const key = issue.path[0] === undefined ? undefined : String(issue.path[0]);
  const given = key === undefined ? undefined : (input as Record<string, unknown>)[key];
  const allowed = allowedAt(key);
  return {
    ok: false,
    error: {
      path: issue.path.length ? issue.path.join('.') : '(body)',
      given: given === undefined ? null : given,
      ...(allowed ? { allowed } : {}),
      message: given === undefined ? 'required field is missing' : `value not allowed (${issue.message})`,
    },
  };
}

/** The calendar date of an ISO 8601 date-time as written (its own offset's day, not UTC's). */
export function localDate(occurredAt: string): string {
  return occurredAt.slice(0, 10);
}

/**
 * Whether what staff did contradicts the rules: complying (fully or partly) with something prohibited, or declining
 * (or complying only partly with) something required. Referrals and undecided outcomes are never deviations.
 */
export function isDeviation(outcome: Outcome, action: Action): boolean {
  if (outcome === 'prohibited') return action === 'complied' || action === 'partially_complied';
  if (outcome === 'required') return action === 'declined' || action === 'partially_complied';
  return false;
}
