// The filters every analysis over the scenario space takes (--agency, --request), and writing a diff.
import type { Command } from 'commander';
import { diffJson, DiffSummarizer, diffText, type DiffRow } from '../../analysis/diff.js';
import type { Side } from '../../analysis/space.js';
import { writeChunks } from '../../app/output.js';
import { collect, optionalList } from '../../app/params.js';

/** The filter options as commander collects them. */
export interface Filters {
  agency?: string[];
  request?: string[];
}

/** Adds --agency and --request (repeatable, or comma-separated). */
export function withFilters(command: Command): Command {
  return command
    .option('--agency <agency>', 'only this agency (repeatable, or comma-separated)', collect)
    .option('--request <request>', 'only this request (repeatable, or comma-separated)', collect);
}

/** The filters as analysis parameters. */
export function filterParams(opts: Filters): { agency: string[] | undefined; request: string[] | undefined } {
  return { agency: optionalList(opts.agency), request: optionalList(opts.request) };
}

/** Writes a diff's rows as JSON (streamed) or as the readable summary. */
export async function writeDiff(A: Side, B: Side, rows: Iterable<DiffRow>, json: boolean): Promise<void> {
  if (json) return writeChunks(diffJson(A, B, rows));
  const summary = new DiffSummarizer();
  let count = 0;
  for (const r of rows) {
    summary.add(r);
    count++;
  }
  await writeChunks([diffText(A, B, summary, count)]);
}
