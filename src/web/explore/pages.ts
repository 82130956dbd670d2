// The Explorer's, Map's and Compare's pages every check walks (routes, browser, axe, screenshots, benchmarks).
/** Addresses of the pages, with the queries that exercise each mode. */
export const explorePages: readonly string[] = [
  '/explore',
  '/explore?q=park',
  '/explore/us/md/montgomery-county?date=2020-06-01',
  '/explore/us/md/prince-georges-county/hyattsville?date=2026-11-15',
  '/map',
  '/map?question=agreement&date=2019-06-01',
  '/compare',
  '/compare?j=us/md/montgomery-county&j=us/md/frederick-county&date=2019-06-01',
  '/compare?j=us/md/frederick-county&date=2025-06-01&vs=2026-11-15',
  '/compare?j=us/md/howard-county&date=2017-06-01&draft=howard-cb9-2017',
];
