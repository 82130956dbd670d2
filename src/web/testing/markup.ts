// For the web app's tests: markup a strict CSP would block, and the pages every check walks.
import { explorePages } from '../explore/pages.js';

/** Pages to hold to the shared rules (others add theirs as they come). */
export const pagesToCheck = [
  '/', '/?lang=es', '/guide', '/guide?q=Takoma&lang=es', '/guide?actor.jurisdiction=us/md/montgomery-county',
  '/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access&lang=es',
  '/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access&basis=unknown&federal_court_warrant=unknown',
  ...explorePages,
  '/sign-in', '/sign-in?lang=es', '/reports', '/reports?lang=es', '/reports?jurisdiction=us%2Fmd&lang=es',
];

/** The markup a strict CSP would block: <script> without src, <style>, style="", on* handlers. */
export function inlineCode(page: string): string[] {
  return [
    ...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g),
    ...page.matchAll(/<style[\s>]/g),
    ...page.matchAll(/\sstyle\s*=/g),
    ...page.matchAll(/\son[a-z]+\s*=/g),
  ].map((m) => m[0]);
}

