// The pages the web benches measure, by owner: add yours (name, address). `lighthouse: true` marks those Lighthouse
// scores (it takes ~20 s a page); every page is in the server-rendering bench, `staff: true` ones signed in.
export const pages = [
  { name: 'home', url: '/' },
  { name: 'guide (first page)', url: '/guide', lighthouse: true, budget: true },
  { name: 'guide (search)', url: '/guide?q=Montgomery+County+Public+Libraries' },
  { name: 'guide (request)', url: '/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=executive' },
  { name: 'guide (what they showed)', url: '/guide?date=2024-03-10&actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access', lighthouse: true },
  { name: 'guide (answer)', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer', lighthouse: true },
  // `staff: true`: asked signed in as staff of the answer's county, so the page carries the record form (and its CSRF token).
  { name: 'guide (answer, signed-in staff)', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer', staff: true },
  { name: 'guide (answer, es)', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer&lang=es', lighthouse: true },
  { name: 'explore (every place)', url: '/explore', lighthouse: true },
  { name: 'explore (Takoma Park)', url: '/explore/us/md/montgomery-county/takoma-park', lighthouse: true },
  { name: 'explore (Takoma Park, es)', url: '/explore/us/md/montgomery-county/takoma-park?lang=es', lighthouse: true },
  { name: 'map (detainer hold)', url: '/map?question=detainer-hold', lighthouse: true },
  { name: 'map (release notice, es)', url: '/map?question=release-notice&lang=es', lighthouse: true },
  { name: 'compare (two counties)', url: '/compare?j=us/md/montgomery-county&j=us/md/frederick-county&date=2024-01-01', lighthouse: true },
];
