// Text rules: a quote says where it was read, and every instruction, instrument summary, event note and jurisdiction
// note has its Spanish version.
import type { Corpus, Instrument, Jurisdiction, PolicyEvent, Provision } from './corpus.js';
import type { Diagnostic } from './diagnostics.js';
import { translationLanguages } from './schema.js';

/** An address (https://…, or a site path such as washingtonpost.com/…) or an official citation (§, U.S.C., C.F.R., a reporter, a chapter). */
const whereRead = new RegExp(
  [
    String.raw`https?://\S+`,
    String.raw`\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|gov|net|us|edu|io|ai)/\S+`,
    String.raw`§`,
    String.raw`\bU\.S\.C\.`,
    String.raw`\bC\.?F\.?R\.?\b`,
    String.raw`\b\d+ F\.(2d|3d|4th| Supp\.)`,
    String.raw`\bCh\. \d+ of \d{4}`,
  ].join('|'),
  'i',
);

/** The project's own research notes ("research digest § 6", "seed article 002"): their § is no official citation. */
const projectNotes = /\b(research\s+digest|seed\s+article)\s*§?\s*\d*/gi;

/**
 * Why a provision's quote does not say where it was read, or undefined when it does. A paraphrase
 * (`paraphrase: true`) keeps its best source whatever it is; a verbatim quote must name an address or
 * an official citation, so that anyone can read the same words there.
 */
export function quoteSourceProblem(p: Pick<Provision, 'paraphrase' | 'source'>): string | undefined {
  if (p.paraphrase) return undefined;
  if (!whereRead.test(p.source.replace(projectNotes, ''))) {
    return `the quote's source "${p.source}" names no address or citation where the words can be read; give one, or mark the text paraphrase: true`;
  }
  return undefined;
}

/** Languages whose instruction is missing or empty on this provision. */
export function missingTranslations(p: Pick<Provision, 'translations'>): string[] {
  return translationLanguages.filter((lang) => !p.translations?.[lang]?.instruction.trim());
}

/**
 * `check` findings on provision texts: quotes without a place they were read, and instructions with no Spanish
 * version (the Spanish guide would show staff the English). Both are errors.
 */
export function provisionTextDiagnostics(corpus: Corpus, options: { translations?: boolean } = {}): Diagnostic[] {
  return [...corpus.provisions.values()].flatMap((p) => provisionTextProblems(p, options));
}

/** The quote-source and translation errors of one provision (what `provisionTextDiagnostics` finds in each). */
export function provisionTextProblems(p: Provision, options: { translations?: boolean } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const problem = quoteSourceProblem(p);
  if (problem) out.push({ severity: 'error', code: 'quote-source', position: p.position, message: `${p.ref}: ${problem}` });
  if (options.translations === false) return out;
  for (const lang of missingTranslations(p)) {
    out.push({
      severity: 'error', code: 'untranslated', position: p.position,
      message: `${p.ref}: no ${lang} instruction (translations.${lang}.instruction); staff reading in ${lang} would see the English`,
    });
  }
  return out;
}

/** Languages a jurisdiction's note lacks (missing or blank); none when it has no note. */
export function missingNoteTranslations(j: Pick<Jurisdiction, 'note' | 'translations'>): string[] {
  if (!j.note?.trim()) return [];
  return translationLanguages.filter((lang) => !j.translations?.[lang]?.note?.trim());
}

/**
 * `check` findings on jurisdiction notes with no Spanish version: the Explorer's Spanish page would show the English
 * (marked as English). Errors, as for instructions.
 */
export function jurisdictionTextDiagnostics(corpus: Pick<Corpus, 'jurisdictions'>): Diagnostic[] {
  return [...corpus.jurisdictions.values()].flatMap(jurisdictionTextProblems);
}

/** The untranslated-note errors of one jurisdiction (what `jurisdictionTextDiagnostics` finds in each). */
export function jurisdictionTextProblems(j: Jurisdiction): Diagnostic[] {
  return missingNoteTranslations(j).map((lang) => ({
    severity: 'error' as const, code: 'untranslated', position: { file: j.file, line: 1, column: 1 },
    message: `${j.id}: no ${lang} note (translations.${lang}.note); a page in ${lang} would show the English note`,
  }));
}

/** What of an instrument's prose lacks a language: its summary, and each event note (by index in `events`). */
export interface MissingInstrumentTranslation {
  readonly lang: (typeof translationLanguages)[number];
  /** `summary`, or the index of the event whose note it is. */
  readonly text: 'summary' | number;
}

/** The summary and event notes of an instrument that have no version (or a blank one) in a translation language. */
export function missingInstrumentTranslations(ins: Pick<Instrument, 'summary' | 'translations'> & { readonly events: readonly Pick<PolicyEvent, 'note' | 'translations'>[] }): MissingInstrumentTranslation[] {
  const out: MissingInstrumentTranslation[] = [];
  for (const lang of translationLanguages) {
    if (ins.summary?.trim() && !ins.translations?.[lang]?.summary?.trim()) out.push({ lang, text: 'summary' });
    ins.events.forEach((e, i) => {
      if (e.note?.trim() && !e.translations?.[lang]?.note?.trim()) out.push({ lang, text: i });
    });
  }
  return out;
}

/**
 * `check` findings on an instrument's prose with no Spanish version: the Explorer's Spanish page would show its
 * summary or an event's note in English. Errors, as for instructions.
 */
export function instrumentTextProblems(ins: Instrument): Diagnostic[] {
  return missingInstrumentTranslations(ins).map(({ lang, text }) => {
    const e = typeof text === 'number' ? ins.events[text]! : undefined;
    const what = e ? `note of event ${Number(text) + 1} (${e.type} ${e.date}) (events[${text}].translations.${lang}.note)` : `summary (translations.${lang}.summary)`;
    return {
      severity: 'error' as const, code: 'untranslated', position: { file: ins.file, line: 1, column: 1 },
      message: `${ins.id}: no ${lang} ${what}; a page in ${lang} would show the English`,
    };
  });
}
