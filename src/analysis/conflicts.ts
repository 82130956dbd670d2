// Findings over the whole scenario space: scenarios decided `conflict` (with the provisions that disagree), and
// vocabulary facts that no provision reads.
import type { Engine } from '../engine/engine.js';
import { FAR_PAST } from '../engine/binding.js';
import { instrumentsOf, jurisdictionChain, type Provision } from '../policy/corpus.js';
import type { Diagnostic, Position } from '../policy/diagnostics.js';
import type { Vocabulary } from '../vocabulary/model.js';
import { coverCubes, cubeCondition, decided, emptyFacts, points, scenarioOf, type Condition } from './space.js';

/** Provisions that together decide `conflict`, and where (actor, request, dates, conditions). */
export interface ConflictFinding {
  /** The provisions that disagree (`<instrument>#<provision>`), sorted. */
  readonly provisions: readonly string[];
  /** Each actor, request and dated stretch where they do, with the conditions. */
  readonly where: readonly { jurisdiction: string; agency: string; request: string; from: string; when: Condition; scenarios: number }[];
}

/**
 * The requests on which a jurisdiction's chain (it and its ancestors) has instruments with both a prohibition and a
 * requirement: the only ones where a conflict is possible at all. A look at the chain's data alone, so the walk below
 * compiles no cell where no conflict could arise; which of those provisions bind whom, and at what rank, is left to
 * the engine.
 */
function requestsWithBothEffects(engine: Engine, jurisdiction: string): ReadonlySet<string> {
  const effects = new Map<string, Set<string>>();
  for (const jid of jurisdictionChain(jurisdiction)) {
    for (const ins of instrumentsOf(engine.corpus, jid)) {
      for (const p of ins.provisions) {
        if (p.effect === 'permit') continue;
        for (const r of p.requests) effects.set(r, (effects.get(r) ?? new Set()).add(p.effect));
      }
    }
  }
  return new Set([...effects].filter(([, e]) => e.size > 1).map(([r]) => r));
}

/**
 * Could this actor's request be decided `conflict` on this date? Only if both a prohibition and a requirement bind the
 * actor (as the engine binds them: in force, within reach, binding the agency); the engine's outcomes then say whether
 * they ever meet at equal rank.
 */
function mayConflict(engine: Engine, jurisdiction: string, agency: string, request: string, date: string): boolean {
  const effects = new Set(engine.bindingProvisions(jurisdiction, agency, request, date).map((p) => p.effect));
  return effects.has('prohibit') && effects.has('require');
}

/** Conflicts found so far, by the provisions in conflict (`<ref> <ref>…`), in the order first found. */
export type ConflictsFound = Map<string, ConflictFinding['where'][number][]>;

/**
 * Adds the scenarios of one jurisdiction's actors decided `conflict` on any date to `found`. Called for every
 * jurisdiction in id order it gives `findConflicts`; `check` calls it as it walks the corpus one chain at a time.
 */
export function conflictsIn(engine: Engine, jurisdiction: string, found: ConflictsFound): void {
  const vocab = engine.vocabulary;
  const base = emptyFacts(vocab);
  const possible = requestsWithBothEffects(engine, jurisdiction);
  if (!possible.size) return;
  for (const agency of vocab.agencyIds) {
    for (const request of vocab.requestIds) {
      if (!possible.has(request)) continue;
      // Each of the engine's dated segments for this jurisdiction and request, from its first day.
      for (const date of [FAR_PAST, ...engine.segmentDates(jurisdiction, request)]) {
        if (!mayConflict(engine, jurisdiction, agency, request, date)) continue;
        const read = [...engine.factsRead(jurisdiction, agency, request, date)];
        const groups = new Map<string, number[][]>();
        for (const p of points(vocab, read, base)) {
          const s = scenarioOf(jurisdiction, agency, request, date, p);
          if (engine.outcome(s) !== 'conflict') continue;
          const key = decided(engine, s).governing.sort().join(' ');
          const list = groups.get(key) ?? [];
          list.push(read.map((f) => p[f]!));
          groups.set(key, list);
        }
        for (const [key, pts] of groups) {
          const where = found.get(key) ?? [];
          const relevant = vocab.factsFor(request).filter((f) => !read.includes(f.index));
          const mult = relevant.reduce((n, f) => n * f.values.length, 1);
          for (const { cube, count } of coverCubes(pts, read.map((f) => vocab.facts[f]!.values.length))) {
            where.push({ jurisdiction, agency, request, from: date, when: cubeCondition(vocab, read, cube), scenarios: count * mult });
          }
          found.set(key, where);
        }
      }
    }
  }
}

/** Every scenario decided `conflict` on any date, grouped by the provisions in conflict. */
export function findConflicts(engine: Engine): ConflictFinding[] {
  const found: ConflictsFound = new Map();
  for (const jurisdiction of [...engine.corpus.jurisdictions.keys()].sort()) conflictsIn(engine, jurisdiction, found);
  return conflictFindings(found);
}

/** The findings of what `conflictsIn` found. */
export function conflictFindings(found: ConflictsFound): ConflictFinding[] {
  return [...found].map(([key, where]) => ({ provisions: key.split(' '), where }));
}

/** A condition in the ids a policy author writes: `basis=court_order|judicial_warrant matter=civil_immigration`. */
function conditionIds(when: Condition): string {
  const parts = Object.entries(when).map(([fact, values]) => `${fact}=${values.join('|')}`);
  return parts.length ? parts.join(' ') : 'every scenario';
}

/** A warning per group of provisions in conflict, at the first one's position, with one place where they are. */
export function conflictDiagnostics(engine: Engine, findings: readonly ConflictFinding[] = findConflicts(engine)): Diagnostic[] {
  return findings.map((c) => {
    const first = engine.corpus.provisions.get(c.provisions[0]!);
    const w = c.where[0]!;
    const more = c.where.length > 1 ? ` (and ${c.where.length - 1} more actor, request or date combinations)` : '';
    return {
      severity: 'warning' as const,
      code: 'conflict',
      position: first?.position ?? { file: engine.corpus.root, line: 1, column: 1 },
      message: `${c.provisions.join(' and ')} conflict: ${w.jurisdiction} ${w.agency} ${w.request} from ${w.from === FAR_PAST ? 'the start' : w.from}, ${conditionIds(w.when)}${more}; add an exception or escalate to counsel`,
    };
  });
}

/** Which requests each fact is read for by these provisions' `when` (added to `into`): what `unreadFacts` needs. */
export function factReads(provisions: Iterable<Pick<Provision, 'when' | 'requests'>>, into: Map<string, Set<string>> = new Map()): Map<string, Set<string>> {
  for (const p of provisions) {
    for (const cond of p.when) {
      for (const fact of Object.keys(cond)) {
        const set = into.get(fact) ?? new Set<string>();
        for (const r of p.requests) set.add(r);
        into.set(fact, set);
      }
    }
  }
  return into;
}

/**
 * Facts of the vocabulary read by no provision's `when`, and for each read fact the requests where it never is; from
 * the provisions, or from their `factReads` gathered beforehand.
 */
export function unreadFacts(vocab: Vocabulary, provisions: Iterable<Pick<Provision, 'when' | 'requests'>> | ReadonlyMap<string, ReadonlySet<string>>): { fact: string; requests: string[] }[] {
  const readFor = provisions instanceof Map ? provisions as ReadonlyMap<string, ReadonlySet<string>> : factReads(provisions as Iterable<Pick<Provision, 'when' | 'requests'>>);
  return vocab.facts.flatMap((f) => {
    const read = readFor.get(f.id);
    const never = f.requests.filter((r) => !read?.has(r));
    return never.length ? [{ fact: f.id, requests: never }] : [];
  });
}

function vocabularyPosition(vocab: Vocabulary, fact: string): Position {
  const lines = vocab.source.split('\n');
  const factsAt = lines.findIndex((l) => /^facts:/.test(l));
  const at = lines.findIndex((l, i) => i > factsAt && l.startsWith(`  ${fact}:`));
  return { file: vocab.file, line: at >= 0 ? at + 1 : 1, column: 3 };
}

/** A warning for each fact no provision reads at all (the guide would ask a question that never matters). */
export function unreadFactDiagnostics(vocab: Vocabulary, provisions: Iterable<Pick<Provision, 'when' | 'requests'>> | ReadonlyMap<string, ReadonlySet<string>>): Diagnostic[] {
  return unreadFacts(vocab, provisions)
    .filter((u) => u.requests.length === vocab.fact(u.fact)!.requests.length)
    .map((u) => ({
      severity: 'warning' as const,
      code: 'unread-fact',
      position: vocabularyPosition(vocab, u.fact),
      message: `no provision reads the fact ${u.fact}: no answer to it changes any outcome (relevant to ${u.requests.join(', ')})`,
    }));
}
