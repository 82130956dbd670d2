#!/usr/bin/env node
// Writes data/places/maryland.json, every incorporated Maryland municipality with its Census GEOID, its county and
// its map point, from the Census Bureau's 2026 Gazetteer place file (data/places/census-2026-gazetteer-md-incorporated.txt,
// the rows with FUNCSTAT A) and the Comptroller of Maryland's list of municipalities by county (below). Each point
// is checked to lie inside the county it is filed under (Census county shapes from us-atlas), so a wrong county fails
// here, not on the map.
//   node scripts/places.mjs            (add --jurisdictions to write the policies/us/md/<county>/<town> folders not written by hand,
//                                       then ./bin/trustrules fmt to lay them out)
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoContains } from 'd3-geo';
import { feature } from 'topojson-client';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url);
const gazetteer = new URL('data/places/census-2026-gazetteer-md-incorporated.txt', root);

// County FIPS codes and the corpus folder names of the contract (section 2).
const COUNTIES = {
  '24001': 'allegany-county', '24003': 'anne-arundel-county', '24005': 'baltimore-county', '24009': 'calvert-county',
  '24011': 'caroline-county', '24013': 'carroll-county', '24015': 'cecil-county', '24017': 'charles-county',
  '24019': 'dorchester-county', '24021': 'frederick-county', '24023': 'garrett-county', '24025': 'harford-county',
  '24027': 'howard-county', '24029': 'kent-county', '24031': 'montgomery-county', '24033': 'prince-georges-county',
  '24035': 'queen-annes-county', '24037': 'st-marys-county', '24039': 'somerset-county', '24041': 'talbot-county',
  '24043': 'washington-county', '24045': 'wicomico-county', '24047': 'worcester-county', '24510': 'baltimore-city',
};

// The Comptroller of Maryland's political subdivision codes (the county and municipality a resident names on Form
// 502), as published in codeforamerica/vita-min, app/models/concerns/md_residence_county_concern.rb: the
// municipalities under each county, by their Census base names. A town in two lists lies in two counties; it is
// filed under the county that holds its Census internal point, and the other is named in its note.
const BY_COUNTY = {
  '24001': ['Barton', 'Cumberland', 'Frostburg', 'Lonaconing', 'Luke', 'Midland', 'Westernport'],
  '24003': ['Annapolis', 'Highland Beach'],
  '24009': ['Chesapeake Beach', 'North Beach'],
  '24011': ['Denton', 'Federalsburg', 'Goldsboro', 'Greensboro', 'Henderson', 'Hillsboro', 'Marydel', 'Preston', 'Ridgely', 'Templeville'],
  '24013': ['Hampstead', 'Manchester', 'Mount Airy', 'New Windsor', 'Sykesville', 'Taneytown', 'Union Bridge', 'Westminster'],
  '24015': ['Cecilton', 'Charlestown', 'Chesapeake City', 'Elkton', 'North East', 'Perryville', 'Port Deposit', 'Rising Sun'],
  '24017': ['Indian Head', 'La Plata', 'Port Tobacco Village'],
  '24019': ['Brookview', 'Cambridge', 'Church Creek', 'East New Market', 'Eldorado', 'Galestown', 'Hurlock', 'Secretary', 'Vienna'],
  '24021': ['Brunswick', 'Burkittsville', 'Emmitsburg', 'Frederick', 'Middletown', 'Mount Airy', 'Myersville', 'New Market', 'Rosemont', 'Thurmont', 'Walkersville', 'Woodsboro'],
  '24023': ['Accident', 'Deer Park', 'Friendsville', 'Grantsville', 'Kitzmiller', 'Loch Lynn Heights', 'Mountain Lake Park', 'Oakland'],
  '24025': ['Aberdeen', 'Bel Air', 'Havre de Grace'],
  '24029': ['Betterton', 'Chestertown', 'Galena', 'Millington', 'Rock Hall'],
  '24031': ['Barnesville', 'Brookeville', 'Chevy Chase', 'Chevy Chase Section Three', 'Chevy Chase Section Five', 'Chevy Chase View', 'Chevy Chase Village', 'Gaithersburg', 'Garrett Park', 'Glen Echo', 'Kensington', 'Laytonsville', "Martin's Additions", 'North Chevy Chase', 'Poolesville', 'Rockville', 'Somerset', 'Takoma Park', 'Washington Grove'],
  '24033': ['Berwyn Heights', 'Bladensburg', 'Bowie', 'Brentwood', 'Capitol Heights', 'Cheverly', 'College Park', 'Colmar Manor', 'Cottage City', 'District Heights', 'Eagle Harbor', 'Edmonston', 'Fairmount Heights', 'Forest Heights', 'Glenarden', 'Greenbelt', 'Hyattsville', 'Landover Hills', 'Laurel', 'Morningside', 'Mount Rainier', 'New Carrollton', 'North Brentwood', 'Riverdale Park', 'Seat Pleasant', 'University Park', 'Upper Marlboro'],
  '24035': ['Barclay', 'Centreville', 'Church Hill', 'Millington', 'Queen Anne', 'Queenstown', 'Sudlersville', 'Templeville'],
  '24037': ['Leonardtown'],
  '24039': ['Crisfield', 'Princess Anne'],
  '24041': ['Easton', 'Oxford', 'Queen Anne', 'St. Michaels', 'Trappe'],
  '24043': ['Boonsboro', 'Clear Spring', 'Funkstown', 'Hagerstown', 'Hancock', 'Keedysville', 'Sharpsburg', 'Smithsburg', 'Williamsport'],
  '24045': ['Delmar', 'Fruitland', 'Hebron', 'Mardela Springs', 'Pittsville', 'Salisbury', 'Sharptown', 'Willards'],
  '24047': ['Berlin', 'Ocean City', 'Pocomoke City', 'Snow Hill'],
};
const KIND = { 25: 'city', 43: 'town', 47: 'village' };

// Towns with a police department of their own: the FBI's list of Maryland law-enforcement agencies, each municipal
// agency matched to its town's GEOID (data/places/maryland-police.json, with its source). A town absent from it has
// no police department in that list: only its general staff (`executive`) are listed, and its note says so.
const policeList = JSON.parse(readFileSync(new URL('data/places/maryland-police.json', root), 'utf8'));
const POLICE = Object.fromEntries(policeList.agencies.map((a) => [a.geoid, a]));
// The town's own page (or a directory) for some of them, kept as a second source beside the FBI's list.
const PAGES = {
  2445900: ['City of Laurel: Laurel Police Department Overview', 'https://www.cityoflaurel.org/1624/Laurel-Police-Department-Overview'],
  2423025: ['City of District Heights: Police Department, the primary law enforcement agency for the City', 'https://www.districtheights.org/police-department'],
  2458225: ['Town of Ocean City: Ocean City Police Department', 'https://oceancitymd.gov/oc/departments/police/'],
  2437600: ['City of Havre de Grace: Police Department (38 sworn officers, dispatching its own calls)', 'https://havredegracemd.gov/police/'],
  2400125: ['Aberdeen Police Department: department policies', 'https://www.aberdeenpolice.org/policiesandprocedures'],
  2483100: ['City of Westminster: the Westminster Police Department, a full-service municipal police agency', 'https://westminstermd.gov/211/Employment'],
  2413000: ['Town of Capitol Heights: Capitol Heights Police Department COVID-19 service memorandum (2020-03-23)', 'http://www.capitolheightsmd.gov/CivicAlerts.aspx?AID=122'],
  2476725: ['Police Call Box newsletter, vol. 2 no. 1: Taneytown Police Department (secondary)', 'http://policecallbox.com/?page_id=2620'],
  2459450: ['Police Call Box newsletter, vol. 2 no. 1: Oxford Police Department (secondary)', 'http://policecallbox.com/?page_id=2620'],
  2430950: ['Police Call Box newsletter, vol. 2 no. 2: Fruitland Police Department (secondary)', 'https://policecallbox.com/?page_id=2689'],
  2421325: ['Police Call Box newsletter, vol. 2 no. 2: Cumberland Police Department (secondary)', 'https://policecallbox.com/?page_id=2689'],
  2453875: ['Carroll County Times, 2017-10-01: the first day of the Mount Airy Police Department, which replaced the Maryland State Police resident troopers', 'https://www.carrollcountytimes.com/news/local/cc-mount-airy-police-department-20171001-story.html'],
  2416225: ['localoffices.org, police departments in Kent County: Chestertown Police Department (a directory, secondary)', 'https://localoffices.org/police-department/maryland/kent-county'],
  2467400: ['localoffices.org, police departments in Kent County: Rock Hall Police Department (a directory, secondary)', 'https://localoffices.org/police-department/maryland/kent-county'],
  2462025: ['Lower Eastern Shore News, 2019-07-25 (a reader\'s letter): a Pittsville Police vehicle, and the town\'s hiring of its police chief', 'https://lowereasternshorenews.com/2019/07/25/letter-to-the-editor-why-does-pittsville-have-a-police-department-and-why-bob-harris/'],
  2448775: ['Cumberland Times-News via the News Tribune, 2022-03-30: Luke has kept its police charter and equipment (Westernport talks of sharing its police)', 'https://www.newstribune.info/story/news/2022/03/30/westernport-officials-told-bringing-back-police-difficult/7210403001/'],
};
// Towns that once had a police department of their own, with the pages that say when it ended; the FBI's list, which
// has none of theirs, is the current state (a jurisdiction's agencies are not dated).
const FORMER = {
  2478575: ['It had a police department of its own from 2007 (reactivated after more than 20 years) until its chief left in 2017; since then the Talbot County Sheriff\'s Office patrols it', [
    ['WBOC, 2024-12-11: Trappe could not replace its chief of police after 2017; the Talbot County Sheriff\'s Office covers the town', 'https://www.wboc.com/news/grant-awarded-to-expand-police-protection-in-trappe/article_f93a2c02-b808-11ef-944e-9f55ce13c54c.html'],
    ['Town of Trappe: the Trappe Police Department, reactivated in 2007 (the town\'s page of the time)', 'http://trappemd.net/police.html'],
  ]],
  2482750: ['It eliminated its police department in 2010; the Allegany County Sheriff\'s Office patrols it', [
    ['Cumberland Times-News via Yahoo News, 2022-02-17: Westernport eliminated its police department in 2010', 'https://news.yahoo.com/resident-westernport-police-protection-112001437.html'],
  ]],
};
// The same in Spanish, for the note's Spanish version (translations.es.note).
const FORMER_ES = {
  2478575: 'Tuvo un departamento de policía propio desde 2007 (reactivado después de más de 20 años) hasta que su jefe se fue en 2017; desde entonces lo patrulla la oficina del sheriff del Condado de Talbot (Talbot County Sheriff\'s Office)',
  2482750: 'Eliminó su departamento de policía en 2010; lo patrulla la oficina del sheriff del Condado de Allegany (Allegany County Sheriff\'s Office)',
};
// A municipality's kind as the Census names it (city, town, village), in Spanish.
const KIND_ES = { city: 'Ciudad', town: 'Pueblo', village: 'Villa' };
for (const geoid of Object.keys(FORMER)) if (!FORMER_ES[geoid]) throw new Error(`${geoid}: a former police department without its Spanish sentence (FORMER_ES)`);
for (const geoid of Object.keys(FORMER)) if (POLICE[geoid]) throw new Error(`${geoid}: a former police department, but an agency in data/places/maryland-police.json`);
for (const geoid of Object.keys(PAGES)) if (!POLICE[geoid]) throw new Error(`${geoid}: a police page, but no agency in data/places/maryland-police.json`);
// The FBI list's county, as a name ("PRINCE GEORGE'S" → "Prince George's County", "CARROLL, FREDERICK" → "Carroll and Frederick Counties").
const fbiCounty = (c) => {
  const names = c.toLowerCase().replace(/(^|[\s,])([a-z])/g, (m) => m.toUpperCase()).split(', ');
  return names.length > 1 ? `${names.join(' and ')} Counties` : `${names[0]} County`;
};

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve('us-atlas/counties-10m.json'), 'utf8'));
const shapes = new Map(feature(topology, topology.objects.counties).features.filter((f) => String(f.id).startsWith('24')).map((f) => [String(f.id), f]));

const [header, ...rows] = readFileSync(gazetteer, 'utf8').trim().split('\n').map((l) => l.split('|'));
const col = (r, name) => r[header.indexOf(name)];
const problems = [];
const places = [];
for (const r of rows) {
  const geoid = col(r, 'GEOID');
  const lsad = Number(col(r, 'LSAD'));
  const censusName = col(r, 'NAME');
  const name = censusName.replace(/ (city|town|village)$/, '');
  const lat = Number(col(r, 'INTPTLAT'));
  const lon = Number(col(r, 'INTPTLONG'));
  if (geoid === '2404000') continue; // Baltimore city: a county-level jurisdiction of its own (us/md/baltimore-city)
  const counties = Object.keys(BY_COUNTY).filter((c) => BY_COUNTY[c].includes(name));
  let holding = counties.filter((c) => geoContains(shapes.get(c), [lon, lat]));
  // A point on the State line (Kitzmiller on the Potomac) can fall outside the simplified shapes of every county:
  // then the one county the Comptroller lists it under stands.
  if (!holding.length && counties.length === 1 && ![...shapes.values()].some((f) => geoContains(f, [lon, lat]))) holding = counties;
  if (holding.length !== 1) {
    problems.push(`${censusName} (${geoid}): listed under ${counties.join(', ') || 'no county'}, point inside ${holding.join(', ') || 'none of them'}`);
    continue;
  }
  const county = holding[0];
  places.push({ geoid, name, census_name: censusName, kind: KIND[lsad], county, counties: [county, ...counties.filter((c) => c !== county)], lat, lon });
}
const listed = new Set(Object.values(BY_COUNTY).flat());
for (const n of listed) if (!places.some((p) => p.name === n)) problems.push(`${n}: in the Comptroller's list, not a Census incorporated place`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
places.sort((a, b) => a.county.localeCompare(b.county) || a.name.localeCompare(b.name));

const source = {
  title: 'U.S. Census Bureau, 2026 Gazetteer Files, places, Maryland (2026_gaz_place_24.txt): the incorporated places (FUNCSTAT A), less Baltimore city, a county-level jurisdiction',
  url: 'https://www2.census.gov/geo/docs/maps-data/data/gazetteer/2026_Gazetteer/2026_gaz_place_24.txt',
  read_at: 'https://github.com/infoexteriors-source/we-roof-homes-site/blob/a24b33c18985dcc297a918ba99ba4f9256a5eb6e/assets/service-area-research/maryland-places-2026.txt',
  license: 'Public domain (U.S. Government work)',
  counties: "Comptroller of Maryland political subdivision codes (Form 502), as in https://github.com/codeforamerica/vita-min/blob/7696a8e5bd6a01c6bca594812637fdc627c5645e/app/models/concerns/md_residence_county_concern.rb; each point checked inside its county's Census shape (us-atlas)",
  fields: 'geoid: Census GEOID (state 24 + 5-digit place code); name: the Census name without its legal description; kind: LSAD 25 city, 43 town, 47 village; county: the county holding the internal point; counties: every county the town lies in; lat, lon: the Census internal point (WGS 84)',
  note: 'Regenerate with node scripts/places.mjs.',
};
// One place a line: the file stays small and its diffs readable.
const text = `{"source": ${JSON.stringify(source, null, 1)},\n"places": [\n${places.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`;
writeFileSync(new URL('data/places/maryland.json', root), text);
console.log(`${places.length} municipalities written; ${places.filter((p) => p.counties.length > 1).map((p) => p.name).join(', ')} lie in two counties`);

if (process.argv.includes('--jurisdictions')) {
  const slug = (s) => s.toLowerCase().replace(/['’.]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  let written = 0;
  for (const p of places) {
    const dir = new URL(`policies/us/md/${COUNTIES[p.county]}/${slug(p.name)}/`, root);
    // A file this script wrote says "No instrument of its own is known:"; one written by hand is left alone.
    const file = new URL('jurisdiction.yaml', dir);
    if (existsSync(file) && !String(parse(readFileSync(file, 'utf8')).note ?? '').includes('No instrument of its own is known:')) continue;
    mkdirSync(dir, { recursive: true });
    const police = POLICE[p.geoid];
    const other = p.counties.slice(1).map((c) => COUNTIES[c].replace(/-county$/, '').replace(/(^|-)([a-z])/g, (_, d, ch) => `${d ? ' ' : ''}${ch.toUpperCase()}`));
    const counties = other.map((c) => c.replace("Prince Georges", "Prince George's").replace('Queen Annes', "Queen Anne's").replace('St Marys', "St. Mary's"));
    const also = other.length ? ` It also extends into ${counties.join(', ')} County.` : '';
    const alsoEs = counties.length === 1 ? ` También se extiende al Condado de ${counties[0]}.` : counties.length ? ` También se extiende a los condados de ${counties.join(' y ')}.` : '';
    const fbi = policeList.source;
    const former = FORMER[p.geoid];
    const agency = police
      ? `the ${police.agency_name.includes('Police') ? police.agency_name : `${police.agency_name} police`} (FBI ORI ${police.ori})`
      : '';
    const note = `${p.census_name[0].toUpperCase()}${p.census_name.slice(1)} (Census GEOID ${p.geoid}).${also} No instrument of its own is known: its staff are bound by State and federal rules, and by county law only where it reaches the county's towns (a county executive's orders do not). ${police ? `It has a police department of its own, ${agency}, in the FBI's list of Maryland law-enforcement agencies (source below).` : `No police department of its own is in the FBI's list of Maryland law-enforcement agencies (source below): law enforcement there is the county's (its police or sheriff) and the State Police's, so only its general staff (executive) are listed.${former ? ` ${former[0]}.` : ''}`}`;
    // The Spanish note says the same, the agencies by their official (English) names.
    const agencyEs = police
      ? police.agency_name.includes('Police') ? `${police.agency_name}, ORI del FBI ${police.ori}` : `la policía de ${police.agency_name}, ORI del FBI ${police.ori}`
      : '';
    const noteEs = `${KIND_ES[p.kind]} de ${p.name} (GEOID del Censo ${p.geoid}).${alsoEs} No se conoce ningún instrumento propio: a su personal lo obligan las normas estatales y federales, y la ley del condado solo donde esta alcanza a los municipios del condado (las órdenes de un ejecutivo de condado no los alcanzan). ${police ? `Tiene su propio departamento de policía (${agencyEs}), que figura en la lista del FBI de agencias policiales de Maryland (vea la fuente abajo).` : `La lista del FBI de agencias policiales de Maryland no incluye ningún departamento de policía propio (vea la fuente abajo): allí la policía es la del condado (su departamento de policía o su sheriff) y la Policía Estatal de Maryland, por lo que solo se incluye a su personal general (otros departamentos del poder ejecutivo).${former ? ` ${FORMER_ES[p.geoid]}.` : ''}`}`;
    const fbiTitle = police
      ? `FBI Crime Data Explorer, Maryland law-enforcement agencies: ${police.agency_name}, ORI ${police.ori}, ${fbiCounty(police.fbi_county)}${police.agency_type ? `, agency type ${police.agency_type}` : ', listed by the town\'s name'} (as published by TidyTuesday, 2025-02-18)`
      : `FBI Crime Data Explorer, Maryland law-enforcement agencies: none is ${p.name}'s own (as published by TidyTuesday, 2025-02-18)`;
    const page = PAGES[p.geoid];
    const yaml = [
      `name: ${p.name.includes("'") ? `"${p.name}"` : p.name}`,
      'kind: city',
      `fips: "${p.geoid}"`,
      `note: ${JSON.stringify(note)}`,
      'translations:',
      '  es:',
      `    note: ${JSON.stringify(noteEs)}`,
      `agencies: [ ${police ? 'police, ' : ''}executive ]`,
      'sources:',
      `  - title: "U.S. Census Bureau, 2026 Gazetteer, Maryland places: ${p.census_name}, GEOID ${p.geoid}, an active government (FUNCSTAT A)"`,
      `    url: ${source.url}`,
      "  - title: \"Maryland Manual On-Line, municipalities: a municipality has no sheriff, jail or school system of its own (those are the county's)\"",
      '    url: https://msa.maryland.gov/msa/mdmanual/37mun/html/1af.html',
      `  - title: ${JSON.stringify(fbiTitle)}`,
      `    url: ${fbi.url}`,
      ...(page ? [`  - title: ${JSON.stringify(page[0])}`, `    url: ${page[1]}`] : []),
      ...(former ? former[1].flatMap(([title, url]) => [`  - title: ${JSON.stringify(title)}`, `    url: ${url}`]) : []),
      '',
    ].join('\n');
    writeFileSync(file, yaml);
    written++;
  }
  console.log(`${written} jurisdiction folders written`);
}
