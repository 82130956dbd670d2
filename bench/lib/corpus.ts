// The whole corpus (policies/), which others edit while the benchmarks run: retry a failed load, and as a last
// resort fall back to the committed policies (git HEAD), saying so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Corpus } from '../../src/policy/corpus.js';
import { root, type Dist } from './paths.js';

export interface LoadedCorpus {
  readonly corpus: Corpus;
  /** The policy folder actually loaded. */
  readonly policies: string;
  /** 'working tree' or 'git HEAD (working tree failed to load: …)'. */
  readonly source: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function loadWholeCorpus(dist: Dist, policies?: string): Promise<LoadedCorpus> {
  if (policies) return { corpus: dist.loadCorpusOrThrow(policies), policies, source: process.env.BENCH_POLICIES_SOURCE ?? policies };
  const dir = path.join(root, 'policies');
  const retries = Number(process.env.BENCH_CORPUS_RETRIES ?? 3);
  let last = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      return { corpus: dist.loadCorpusOrThrow(dir), policies: dir, source: 'working tree' };
    } catch (e) {
      last = (e as Error).message.split('\n')[0] ?? String(e);
      process.stderr.write(`corpus: policies/ does not load (${last}); ${attempt < retries ? 'retrying in 20 s' : 'falling back to git HEAD'}\n`);
      if (attempt < retries) await sleep(20_000);
    }
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'trustrules-bench-policies-'));
  execFileSync('sh', ['-c', `git -C "${root}" archive HEAD policies | tar -x -C "${tmp}"`]);
  const head = path.join(tmp, 'policies');
  return { corpus: dist.loadCorpusOrThrow(head), policies: head, source: `git HEAD (working tree failed to load: ${last})` };
}

/** `--policies DIR` from the command line, if given (bench/run.ts passes the folder it settled on). */
export function policiesArg(argv = process.argv): string | undefined {
  const i = argv.indexOf('--policies');
  return i >= 0 ? argv[i + 1] : undefined;
}
