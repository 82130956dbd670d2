// For the browser tests: axe-core's WCAG 2.2 AA rules on a page, with the violations worded for a failing assertion.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The rule sets every page is held to. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] as const;

/** One violation: the rule, its impact and the elements that break it. */
export interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** Runs axe on the page as it is now; an empty list means no violations. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  const results = await new AxeBuilder({ page }).withTags([...wcagTags]).analyze();
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact ?? null, help: v.help,
    targets: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
}
