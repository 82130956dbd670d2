// How contact records are shown: as JSON objects (the record, its index and leaf hash) and as CSV rows, the same for
// the API and the CLI's export.
import { stringify } from 'csv-stringify/sync';
import { encodeHash } from '../log/index.js';
import type { ContactRecord, StoredContact } from './contacts.js';

/** A stored record as the API shows it. */
export function contactJson(c: StoredContact): Record<string, unknown> {
  return { ...c.record, index: c.index, leaf_hash: encodeHash(c.leafHash) };
}

const csvColumns = [
  'index', 'id', 'occurred_at', 'jurisdiction', 'agency', 'request', 'basis', 'agent', 'action', 'site',
  'outcome', 'deviation', 'governing', 'policy_version', 'corrects', 'recorded_at', 'recorded_by', 'tombstoned',
] as const;

/** Records as CSV, one row each (a tombstone keeps its index and id only). */
export function contactsCsv(list: readonly StoredContact[]): string {
  const rows = list.map((c) => {
    if (!('scenario' in c.record)) return [c.index, c.id, '', c.jurisdiction, '', '', '', '', '', '', '', '', '', '', '', '', c.recordedBy, 'true'];
    const r: ContactRecord = c.record;
    const actor = (r.scenario.actor ?? {}) as { jurisdiction?: string; agency?: string };
    return [
      c.index, r.id, r.occurred_at, actor.jurisdiction ?? c.jurisdiction, actor.agency ?? '', String(r.scenario.request ?? ''), String(r.scenario.basis ?? ''),
      r.agent, r.action, r.site ?? '', r.decision.outcome, String(r.deviation), r.decision.governing.join(' '), r.decision.policy_version,
      r.corrects ?? '', r.recorded_at, r.recorded_by, 'false',
    ];
  });
  return stringify([[...csvColumns], ...rows]);
}

