// The words of decisions in a language: the engine's typed summary and reasons worded from the message catalogs and
// the vocabulary's words, with the corpus for names and titles. What the engine is given as its DecisionWords.
import type { DecisionWords, DependsBranch, FactValue, Reason, Summary } from '../../engine/decision.js';
import type { Corpus, Instrument, Jurisdiction, PolicyEvent, Provision } from '../../policy/corpus.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import type { Catalog } from './catalog.js';

/** Everything a language's words are made from. */
export interface WordSources {
  readonly catalog: Catalog;
  readonly vocabulary: VocabularyWords;
  readonly corpus: Corpus;
}

/** The decision words of the presentation layer: DecisionWords plus the pieces `explain` reuses. */
export interface PresentationWords extends DecisionWords {
  readonly sources: WordSources;
  /** An outcome in words ("no binding rule"). */
  outcome(outcome: string): string;
  /** A date as sentences write it in this language. */
  date(iso: string): string;
  /** A fact's values as a list ("judicial warrant or court order"). */
  values(fact: string, values: readonly FactValue[]): string;
  /** A depends branch: "prohibited when the matter is civil immigration". */
  branch(branch: Pick<DependsBranch, 'outcome' | 'when'>): string;
  /** A jurisdiction's name (its id when the corpus lacks it). */
  jurisdictionName(id: string): string;
}

/** Makes a language's decision words. Keep one per language and corpus: the engine caches encoded decisions by it. */
export function presentationWords(sources: WordSources): PresentationWords {
  const { catalog: c, vocabulary: v, corpus } = sources;
  const f = (id: string, params?: Record<string, string | number | boolean>) => c.format(id, params);
  // Made on first use: English writes ISO dates, and the first DateTimeFormat of a process costs tens of milliseconds.
  let long: Intl.DateTimeFormat | undefined;
  const dateStyle = f('common.date_style');
  const date = (iso: string) => (dateStyle === 'long' ? (long ??= new Intl.DateTimeFormat(c.lang, { dateStyle: 'long', timeZone: 'UTC' })).format(new Date(`${iso}T00:00:00Z`)) : iso);
  const short = (fact: string, value: FactValue) => v.value(fact, value).short;
  const values = (fact: string, list: readonly FactValue[]) => c.list(list.map((x) => short(fact, x)), 'or');
  const condition = (fact: string, list: readonly FactValue[]) => {
    const only = list.length === 1 ? v.value(fact, list[0]!).condition : undefined;
    return only ?? f('decision.condition.is', { fact: v.fact(fact).name, values: values(fact, list) });
  };
  const orWhen = (parts: readonly string[], id: string) => parts.reduce((before, next) => f(id, { before, next }));
  const branch = (b: Pick<DependsBranch, 'outcome' | 'when'>) => {
    const outcome = f(`decision.outcome.${b.outcome}`);
    const alternatives = b.when.map((cond) => Object.entries(cond).map(([fact, list]) => condition(fact, list)));
    if (alternatives.some((parts) => parts.length === 0)) return f('decision.summary.depends_branch_otherwise', { outcome });
    return f('decision.summary.depends_branch', { outcome, conditions: orWhen(alternatives.map((parts) => c.list(parts, 'and')), 'decision.condition.or_when') });
  };
  const provision = (ref: string): Provision => {
    const p = corpus.provisions.get(ref);
    if (!p) throw new Error(`words: no provision ${ref} in the corpus`);
    return p;
  };
  const instruction = (p: Provision) => translatedInstruction(p, c.lang);
  const jurisdictionName = (id: string) => jurisdictionNameIn(corpus, id, c.lang);
  /** The name after "of" ("of Montgomery County", "del Condado de Montgomery"): the file's own form, or the catalog's for its kind. */
  const jurisdictionOf = (id: string) => {
    const j = corpus.jurisdictions.get(id);
    const own = c.lang === 'en' ? undefined : j?.translations?.[c.lang]?.of;
    return own ?? f(`decision.jurisdiction_of.${j?.kind ?? 'city'}`, { name: jurisdictionName(id) });
  };
  const genderOf = (instrumentId: string) => {
    const ins = corpus.instruments.get(instrumentId);
    return ins ? f(`decision.kind.${ins.kind}.gender`) : 'none';
  };
  const caveat = (text: string, unconfirmed: boolean) => (unconfirmed ? f('decision.summary.unconfirmed', { text }) : text);

  const why = (reason: Reason, instrument: string): string => {
    switch (reason.code) {
      case 'governs': return f('decision.why.governs');
      case 'conditions_not_met': {
        const unmet = reason.unmet.map((u) => f('decision.why.unmet', {
          fact: v.fact(u.fact).name, given: short(u.fact, u.given), values: values(u.fact, u.applies_to),
        }));
        return f('decision.why.conditions_not_met', { unmet: unmet.length ? orWhen(unmet, 'decision.why.unmet_or') : '' });
      }
      case 'defeated_by':
      case 'voided_by':
      case 'outranked_by':
      case 'subordinate_to':
        return f(`decision.why.${reason.code}`, { by: reason.by });
      case 'depends_on_unknown': return f('decision.why.depends_on_unknown', { facts: c.list(reason.facts.map((x) => v.fact(x).name), 'and') });
      case 'advisory': return f('decision.why.advisory');
      case 'assumed_not_in_force': return f('decision.why.assumed_not_in_force');
      case 'provision_not_yet': return f('decision.why.provision_not_yet', { date: date(reason.from) });
      case 'provision_ended': return f('decision.why.provision_ended', { date: date(reason.until) });
      case 'own_government_only':
        return f('decision.why.own_government_only', { kind: f(`decision.kind.${reason.kind}.a`), jurisdiction_of: jurisdictionOf(reason.jurisdiction) });
      case 'jail_run_by_other':
        return f('decision.why.jail_run_by_other', {
          kind: f(`decision.kind.${reason.kind}.a`), jurisdiction_of: jurisdictionOf(reason.jurisdiction), operator_of: jurisdictionOf(reason.operator),
        });
      case 'governments_below_only':
        return f('decision.why.governments_below_only', { kind: f(`decision.kind.${reason.kind}.this`), jurisdiction_of: jurisdictionOf(reason.jurisdiction) });
      case 'persuasive_only': return f('decision.why.persuasive_only');
      case 'agency_not_bound':
        return f('decision.why.agency_not_bound', { binds: c.list(reason.binds.map((a) => v.agency(a).plural), 'and'), agency: v.agency(reason.agency).plural });
      case 'not_in_force': {
        if (reason.status === 'not_yet_in_force') return f('decision.why.not_in_force.not_yet_in_force', { date: date(reason.date ?? '') });
        if (reason.date === undefined) return f('decision.why.not_in_force.proposed_undated');
        return f(`decision.why.not_in_force.${reason.status}`, { date: date(reason.date), gender: genderOf(instrument) });
      }
    }
  };

  return {
    lang: c.lang,
    sources,
    summary(summary: Summary, dependsOn) {
      switch (summary.code) {
        case 'no_rule': return f('decision.summary.no_rule');
        case 'instruction': return caveat(instruction(provision(summary.provision)), summary.unconfirmed);
        case 'conflict': {
          const sides = summary.sides.map((ref) => {
            const p = provision(ref);
            return f('decision.summary.conflict_side', { title: corpus.instruments.get(p.instrument)?.title ?? p.instrument, effect: f(`decision.effect.verb.${p.effect}`) });
          });
          return caveat(f('decision.summary.conflict', { sides: c.list(sides, 'and') }), summary.unconfirmed);
        }
        case 'depends':
          return f('decision.summary.depends', { branches: (dependsOn ?? []).map(branch).join('; ') });
      }
    },
    why,
    instruction,
    outcome: (o) => f(`decision.outcome.${o}`),
    date,
    values,
    branch,
    jurisdictionName,
  };
}

/**
 * A jurisdiction's name in a language: its file's translation where the name differs ("Condado de Montgomery"), else
 * its own name ("Rockville", "Maryland"); the id when the corpus does not have it.
 */
export function jurisdictionNameIn(corpus: Pick<Corpus, 'jurisdictions'>, id: string, lang: string): string {
  const j = corpus.jurisdictions.get(id);
  if (!j) return id;
  return (lang === 'en' ? undefined : j.translations?.[lang as 'es']?.name) ?? j.name;
}

/** A provision's instruction in a language: its translation when the corpus has one, else its own (English). */
export function translatedInstruction(p: Provision, lang: string): string {
  const translations = (p as Provision & { translations?: Readonly<Record<string, { instruction?: string } | undefined>> }).translations;
  const translated = translations?.[lang]?.instruction;
  return translated && translated.trim() ? translated : p.instruction;
}

/** A text from the corpus and the language it is written in (a page marks it with `lang` when it is not the page's). */
export interface TextIn {
  readonly text: string;
  readonly lang: string;
}

/**
 * A jurisdiction's note in a language: its file's translation (`translations.<lang>.note`) when it has one, else the
 * English note, said to be English; undefined when the jurisdiction has no note.
 */
export function jurisdictionNoteIn(j: Pick<Jurisdiction, 'note' | 'translations'>, lang: string): TextIn | undefined {
  return textIn(j.note, lang === 'en' ? undefined : j.translations?.[lang as 'es']?.note, lang);
}

/** An instrument's summary in a language (`translations.<lang>.summary`, else the English, said to be English). */
export function instrumentSummaryIn(ins: Pick<Instrument, 'summary' | 'translations'>, lang: string): TextIn | undefined {
  return textIn(ins.summary, lang === 'en' ? undefined : ins.translations?.[lang as 'es']?.summary, lang);
}

/** A history event's note in a language (`translations.<lang>.note`, else the English, said to be English). */
export function eventNoteIn(ev: Pick<PolicyEvent, 'note' | 'translations'>, lang: string): TextIn | undefined {
  return textIn(ev.note, lang === 'en' ? undefined : ev.translations?.[lang as 'es']?.note, lang);
}

/** The translated text when there is one, else the English said to be English; undefined when there is no English. */
function textIn(english: string | undefined, translated: string | undefined, lang: string): TextIn | undefined {
  if (!english?.trim()) return undefined;
  return translated?.trim() ? { text: translated, lang } : { text: english, lang: 'en' };
}
