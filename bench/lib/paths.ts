// Where things are: the repository root (found from this file, compiled or not) and the compiled engine in dist/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'trustrules') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the trustrules repository root');
    dir = up;
  }
}

export const root = repoRoot();
export const peerPolicyRoot = path.join(root, 'bench', 'peer-policy');

type EngineModule = typeof import('../../src/engine/engine.js');
type LoadModule = typeof import('../../src/policy/load.js');
type VocabularyModule = typeof import('../../src/vocabulary/vocabulary.js');
type DecisionsModule = typeof import('../../src/app/presentation/decisions.js');

export interface Dist {
  readonly Engine: EngineModule['Engine'];
  readonly loadCorpusOrThrow: LoadModule['loadCorpusOrThrow'];
  readonly vocabulary: VocabularyModule['vocabulary'];
  /** The decision words of a language (what --lang picks). */
  readonly wordsFor: DecisionsModule['wordsFor'];
}

/** The compiled engine (`npm run build`), typed by its sources. The benchmarks measure what ships. */
export async function loadDist(): Promise<Dist> {
  const at = (p: string) => pathToFileURL(path.join(root, 'dist', p)).href;
  if (!existsSync(path.join(root, 'dist', 'engine', 'engine.js'))) throw new Error('bench: dist/ is missing; run `npm run build` first');
  const engine = (await import(at('engine/engine.js'))) as EngineModule;
  const load = (await import(at('policy/load.js'))) as LoadModule;
  const vocab = (await import(at('vocabulary/vocabulary.js'))) as VocabularyModule;
  const decisions = (await import(at('app/presentation/decisions.js'))) as DecisionsModule;
  return { Engine: engine.Engine, loadCorpusOrThrow: load.loadCorpusOrThrow, vocabulary: vocab.vocabulary, wordsFor: decisions.wordsFor };
}
