// The filters every analysis over the scenario space takes (--agency, --request), and writing a diff.
import type { Command } from 'commander';
import type { DiffRow } from '../../analysis/diff.js';
import type { Side } from '../../analysis/space.js';
import type { Lang } from '../../app/presentation/catalog.js';
import { writeChunks } from '../../app/output.js';
import { collect, optionalList } from '../../app/params.js';
import type { AnalysisWords } from '../../app/presentation/analysis.js';
import type { Corpus } from '../../policy/corpus.js';

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

/** The analyses' words in the command's --lang (loaded with the analysis, not at every start). */
export async function wordsOf(s: { options: { lang: Lang }; corpus: Corpus }): Promise<AnalysisWords> {
  const { analysisWordsFor } = await import('../../app/presentation/analysisLanguage.js');
  return analysisWordsFor(s.options.lang, s.corpus);
}

/** Writes a diff's rows as JSON (streamed) or as the readable summary, in the words' language. */
export async function writeDiff(A: Side, B: Side, rows: Iterable<DiffRow>, json: boolean, words: AnalysisWords): Promise<void> {
  const { diffJson, DiffSummarizer } = await import('../../analysis/diff.js');
  if (json) return writeChunks(diffJson(A, B, rows, words));
  const summary = new DiffSummarizer();
  for (const r of rows) summary.add(r);
  await writeChunks([words.diffText(A, B, summary)]);
}
