// The response shapes of the contact, log and report endpoints (contract sections 7 and 8) as zod schemas: the OpenAPI
// document is generated from them, and the tests parse real responses with them (strict objects), so what is
// documented is exactly what is sent.
import { z } from 'zod';
import { outcomes } from '../policy/schema.js';
import { actions, agents } from '../store/contactInput.js';
import { REPORT_FORMAT } from '../store/report.js';
import { periodKinds } from '../store/reportPeriods.js';

const base64Hash = z.string().describe('A SHA-256 hash, standard base64');
const proof = z.array(base64Hash).describe('The proof\'s hashes, in RFC 9162 order');
const refs = z.array(z.string()).describe('<instrument>#<provision> refs of the governing provisions');
const factValue = z.union([z.string(), z.boolean()]);
const outcome = z.enum(outcomes);

/** A contact record's decision: what the rules said on the day of the contact. */
const recordDecisionSchema = z.strictObject({
  outcome,
  policy_version: z.string().describe('The exact corpus that decided'),
  governing: refs,
});

/** POST /v1/contacts: the clerk's receipt, sent once the record is durably committed. */
export const receiptSchema = z.strictObject({
  id: z.string().describe('The record\'s id (a UUID)'),
  index: z.number().int().describe('The record\'s leaf index in the log'),
  decision: recordDecisionSchema,
  deviation: z.boolean().describe('Whether the action contradicts the outcome'),
  checkpoint: z.string().describe('The signed checkpoint (C2SP signed note) of the tree that holds the record'),
  inclusion_proof: proof,
  leaf_hash: base64Hash,
}).describe('Durably committed: the record\'s id and index, its decision and deviation, and the receipt (checkpoint, inclusion proof, leaf hash)');

/** The scenario a record keeps: as posted (section 1), with the day of the contact as its date. */
const recordScenarioSchema = z
  .strictObject({ actor: z.strictObject({ agency: z.string(), jurisdiction: z.string() }), date: z.string(), request: z.string() })
  .catchall(factValue)
  .describe('The scenario as posted (contract section 1), its date the day of occurred_at');

// Properties in the order the API sends them: the committed record's canonical JSON (RFC 8785: keys sorted), then
// the leaf hash.
/** A contact record as GET /v1/contacts/{id} and GET /v1/contacts show it. */
export const contactRecordSchema = z.strictObject({
  action: z.enum(actions).describe('What staff did'),
  agent: z.enum(agents).describe('Which federal agency asked'),
  corrects: z.string().optional().describe('The id of the earlier record this one corrects'),
  decision: recordDecisionSchema,
  deviation: z.boolean().describe('Whether the action contradicts the outcome'),
  id: z.string(),
  index: z.number().int().describe('The record\'s leaf index in the log'),
  occurred_at: z.string().describe('When the contact happened, ISO 8601 with its UTC offset'),
  recorded_at: z.string().describe('When the log committed it'),
  recorded_by: z.string().describe('The id of the account that recorded it'),
  scenario: recordScenarioSchema,
  site: z.string().optional().describe('The opaque site code, if one was given'),
  leaf_hash: base64Hash,
}).describe('A contact record as committed, with its leaf hash');

/** What retention leaves of a record: its place and its leaf hash, not its content. */
export const tombstoneSchema = z.strictObject({
  id: z.string(),
  index: z.number().int(),
  tombstone: z.strictObject({ at: z.string().describe('When retention deleted the content'), reason: z.literal('retention') }),
  leaf_hash: base64Hash,
}).describe('A record whose content retention deleted');

/** GET /v1/contacts/{id} (JSON). */
export const contactResponseSchema = z.union([contactRecordSchema, tombstoneSchema]).describe('The record, or what retention left of it');

/** GET /v1/contacts (JSON). */
export const contactListSchema = z.strictObject({
  records: z.array(contactResponseSchema).describe('In log order'),
});

/** GET /v1/log/consistency. */
export const consistencyProofSchema = z.strictObject({ proof }).describe('RFC 9162 2.1.4 consistency proof between the two sizes');

/** GET /v1/log/inclusion. */
export const inclusionProofSchema = z.strictObject({ leaf_hash: base64Hash, proof }).describe('RFC 9162 2.1.3 inclusion proof of the record');

const cellKey = {
  request: z.string().nullable(),
  basis: z.string().nullable(),
  agent: z.string().nullable(),
  action: z.string().nullable(),
  outcome: outcome.nullable(),
  deviation: z.boolean().nullable(),
};
const reportCount = z.union([z.number().int(), z.string()])
  .describe('A count (0 included), "<N" below the threshold N (default "<5"), "suppressed" (hidden to protect a small count) or "withheld" (not shown in any form)');

// Properties in the order the report is signed and sent: canonical JSON, keys sorted.
/** GET /v1/reports/contacts (JSON): the signed report of contract section 8. See docs/reports.md. */
export const reportResponseSchema = z.strictObject({
  checkpoint: z.strictObject({
    note: z.string().describe('The checkpoint as the log signed it'),
    origin: z.string(),
    root: base64Hash.describe('The root hash of the first `size` records'),
    size: z.number().int(),
  }).describe('The checkpoint the report was computed at'),
  deleted_by_retention: z.number().int().describe('Records in the range whose content retention deleted: not counted'),
  jurisdictions: z.array(z.string()),
  periods: z.array(z.strictObject({ from: z.string(), id: z.string(), to: z.string() })),
  query: z.strictObject({
    by: z.enum(periodKinds), descendants: z.boolean(), from: z.string(), jurisdiction: z.string(), to: z.string(),
  }),
  report: z.literal(REPORT_FORMAT),
  rows: z.array(z.strictObject({
    action: cellKey.action,
    agent: cellKey.agent,
    basis: cellKey.basis,
    count: reportCount,
    detail: z.enum(['published', 'withheld', 'by_quarter', 'none']).nullable().describe('For a total: whether its cells follow; null for a cell'),
    deviation: cellKey.deviation,
    jurisdiction: z.string(),
    kind: z.enum(['total', 'cell']),
    outcome: cellKey.outcome,
    period: z.string(),
    request: cellKey.request,
  })),
  signature: z.string().describe('A signed note over the SHA-256 of the canonical JSON of everything else'),
  suppressed: z.strictObject({
    below_threshold: z.number().int(),
    complementary: z.number().int(),
    threshold: z.number().int(),
    withheld: z.number().int(),
    withheld_breakdowns: z.number().int(),
  }).describe('How much was suppressed'),
}).describe('The signed report (canonical JSON, RFC 8785)');
