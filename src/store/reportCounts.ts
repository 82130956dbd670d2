// The report counts (migration 005): records by quarter, jurisdiction and combination, and by month in all, kept in
// step with the records by the same transactions that change them (append under the head's lock, retention), so a
// report reads a few thousand counts instead of scanning a million records; and their rebuild from the records.
import type { Sql } from './database.js';

/** The combination columns of a cell, in the order of the table's unique key. */
const CELL = 'request, basis, agent, action, outcome, deviation';

/**
 * The two CTEs an append adds to its one statement: the batch's records counted into their quarter's cells and their
 * month's total. The parameters are the append's own arrays: jurisdictions `$j`, days `$d`, then request, basis, agent,
 * action and outcome `$c[0..4]`, and deviations `$dev`. Under the head's lock, so no two appends add at once.
 */
export function appendCountsSql(p: { j: number; d: number; c: readonly [number, number, number, number, number]; dev: number }): string {
  const batch = `unnest($${p.j}::text[], $${p.d}::date[], $${p.c[0]}::text[], $${p.c[1]}::text[], $${p.c[2]}::text[], $${p.c[3]}::text[], $${p.c[4]}::text[], $${p.dev}::boolean[])
                 AS b(jurisdiction, day, request, basis, agent, action, outcome, deviation)`;
  return `report_cell_counts AS (
      INSERT INTO report_cells (quarter, jurisdiction, ${CELL}, records)
      SELECT date_trunc('quarter', day::timestamp)::date, jurisdiction, ${CELL}, count(*) FROM ${batch} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT (quarter, jurisdiction, ${CELL}) DO UPDATE SET records = report_cells.records + EXCLUDED.records
    ), report_month_counts AS (
      INSERT INTO report_months (month, jurisdiction, records, deleted)
      SELECT date_trunc('month', day::timestamp)::date, jurisdiction, count(*), 0 FROM ${batch} GROUP BY 1, 2
      ON CONFLICT (month, jurisdiction) DO UPDATE SET records = report_months.records + EXCLUDED.records
    )`;
}

/**
 * Retention of the records `indexes` (not yet tombstoned; called in the transaction that tombstones them, before or
 * after, as their report columns do not change): each leaves its cell and moves from its month's `records` to
 * `deleted`, which is what reports count as `deleted_by_retention`. Cells that reach zero are removed.
 */
export async function retireCounts(tx: Sql, indexes: readonly number[]): Promise<void> {
  if (!indexes.length) return;
  const gone = `SELECT occurred_on, jurisdiction, ${CELL} FROM contact_records WHERE idx = ANY($1::bigint[])`;
  await tx.query(
    `UPDATE report_cells c SET records = c.records - g.n
     FROM (SELECT date_trunc('quarter', occurred_on::timestamp)::date AS quarter, jurisdiction, ${CELL}, count(*) AS n FROM (${gone}) r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g
     WHERE c.quarter = g.quarter AND c.jurisdiction = g.jurisdiction AND c.request IS NOT DISTINCT FROM g.request AND c.basis IS NOT DISTINCT FROM g.basis
       AND c.agent IS NOT DISTINCT FROM g.agent AND c.action IS NOT DISTINCT FROM g.action AND c.outcome IS NOT DISTINCT FROM g.outcome
       AND c.deviation IS NOT DISTINCT FROM g.deviation`,
    [indexes],
  );
  await tx.query('DELETE FROM report_cells WHERE records = 0');
  await tx.query(
    `UPDATE report_months m SET records = m.records - g.n, deleted = m.deleted + g.n
     FROM (SELECT date_trunc('month', occurred_on::timestamp)::date AS month, jurisdiction, count(*) AS n FROM (${gone}) r GROUP BY 1, 2) g
     WHERE m.month = g.month AND m.jurisdiction = g.jurisdiction`,
    [indexes],
  );
}

/**
 * Recounts the report counts from the records (what migration 005 did when it created them): for a store loaded by
 * other means than appends (the benchmark's bulk load), or to repair counts a manual edit of the database broke. Run
 * it in a transaction that holds the head's lock, or while nothing appends.
 */
export async function rebuildReportCounts(tx: Sql): Promise<void> {
  await tx.query('DELETE FROM report_cells');
  await tx.query('DELETE FROM report_months');
  await tx.query(
    `INSERT INTO report_cells (quarter, jurisdiction, ${CELL}, records)
     SELECT date_trunc('quarter', occurred_on::timestamp)::date, jurisdiction, ${CELL}, count(*)
     FROM contact_records WHERE tombstoned_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
  );
  await tx.query(
    `INSERT INTO report_months (month, jurisdiction, records, deleted)
     SELECT date_trunc('month', occurred_on::timestamp)::date, jurisdiction, count(*) FILTER (WHERE tombstoned_at IS NULL), count(*) FILTER (WHERE tombstoned_at IS NOT NULL)
     FROM contact_records GROUP BY 1, 2`,
  );
}
