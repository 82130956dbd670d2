#!/usr/bin/env node
// A synthetic national corpus for scale measurements: the real federal and Maryland files plus 49 generated states
// (about 3,100 counties, 9,300 jurisdictions, 18,900 instruments), written as ordinary policy YAML. Seeded: the same
// seed gives the same bytes. Usage: node bench/national/generate.mjs OUT_DIR [--seed N]
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--seed');
const seed = Number(args[args.indexOf('--seed') + 1] ?? 2026) || 2026;
if (!out) {
  console.error('usage: node bench/national/generate.mjs OUT_DIR [--seed N]');
  process.exit(2);
}

/** The 49 states other than Maryland (which is real), with FIPS codes. */
const states = [
  ['al', 'Alabama', '01'], ['ak', 'Alaska', '02'], ['az', 'Arizona', '04'], ['ar', 'Arkansas', '05'], ['ca', 'California', '06'],
  ['co', 'Colorado', '08'], ['ct', 'Connecticut', '09'], ['de', 'Delaware', '10'], ['fl', 'Florida', '12'], ['ga', 'Georgia', '13'],
  ['hi', 'Hawaii', '15'], ['id', 'Idaho', '16'], ['il', 'Illinois', '17'], ['in', 'Indiana', '18'], ['ia', 'Iowa', '19'],
  ['ks', 'Kansas', '20'], ['ky', 'Kentucky', '21'], ['la', 'Louisiana', '22'], ['me', 'Maine', '23'], ['ma', 'Massachusetts', '25'],
  ['mi', 'Michigan', '26'], ['mn', 'Minnesota', '27'], ['ms', 'Mississippi', '28'], ['mo', 'Missouri', '29'], ['mt', 'Montana', '30'],
  ['ne', 'Nebraska', '31'], ['nv', 'Nevada', '32'], ['nh', 'New Hampshire', '33'], ['nj', 'New Jersey', '34'], ['nm', 'New Mexico', '35'],
  ['ny', 'New York', '36'], ['nc', 'North Carolina', '37'], ['nd', 'North Dakota', '38'], ['oh', 'Ohio', '39'], ['ok', 'Oklahoma', '40'],
  ['or', 'Oregon', '41'], ['pa', 'Pennsylvania', '42'], ['ri', 'Rhode Island', '44'], ['sc', 'South Carolina', '45'], ['sd', 'South Dakota', '46'],
  ['tn', 'Tennessee', '47'], ['tx', 'Texas', '48'], ['ut', 'Utah', '49'], ['vt', 'Vermont', '50'], ['va', 'Virginia', '51'],
  ['wa', 'Washington', '53'], ['wv', 'West Virginia', '54'], ['wi', 'Wisconsin', '55'], ['wy', 'Wyoming', '56'],
];

let a = seed >>> 0;
/** mulberry32: small, fast, seeded. */
function random() {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];
const chance = (p) => random() < p;
const day = (from, to) => {
  const t = Date.UTC(from, 0, 1) + int((Date.UTC(to, 0, 1) - Date.UTC(from, 0, 1)) / 864e5) * 864e5;
  return new Date(t).toISOString().slice(0, 10);
};
const later = (date, maxDays) => new Date(Date.parse(`${date}T00:00:00Z`) + (1 + int(maxDays)) * 864e5).toISOString().slice(0, 10);
const words = ['Adams', 'Brook', 'Cedar', 'Dale', 'Elm', 'Fair', 'Glen', 'Hill', 'Iron', 'Jasper', 'King', 'Lake', 'Mill', 'North',
  'Oak', 'Pine', 'Quarry', 'River', 'Stone', 'Twin', 'Union', 'Vale', 'West', 'York', 'Ash', 'Bay', 'Clay', 'Dover', 'Essex', 'Ford'];
const name = () => `${pick(words)}${pick(['', 'ton', 'field', 'wood', 'ville', 'port', 'burg'])}`;
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const filler = (n) => Array.from({ length: n }, () => pick(['the', 'county', 'officer', 'federal', 'agency', 'information', 'request',
  'person', 'custody', 'immigration', 'shall', 'not', 'except', 'pursuant', 'to', 'law', 'warrant', 'judge', 'department', 'employee'])).join(' ');
/** The filler's words in Spanish, word for word: a translation that draws no random number, so a seed's corpus keeps its shape. */
const fillerEs = {
  the: 'el', county: 'condado', officer: 'agente', federal: 'federal', agency: 'agencia', information: 'información', request: 'solicitud',
  person: 'persona', custody: 'custodia', immigration: 'inmigración', shall: 'deberá', not: 'no', except: 'salvo', pursuant: 'conforme',
  to: 'a', law: 'ley', warrant: 'orden', judge: 'juez', department: 'departamento', employee: 'empleado',
};
const spanish = (text) => text.split(' ').map((w) => fillerEs[w] ?? w).join(' ');
const quote = (text) => `>-\n      ${text.replace(/(.{1,90})(\s|$)/g, '$1\n      ').trim()}`;

/** One provision's YAML lines. */
function provision(p) {
  const lines = [
    `  - id: ${p.id}`,
    `    quote: ${quote(`${p.quote} ${filler(30 + int(30))}`)}`,
    `    source: ${p.source}`,
    `    confidence: ${pick(['verified', 'reported', 'reported', 'unconfirmed'])}`,
    `    instruction: ${quote(p.instruction)}`,
    '    translations:',
    '      es:',
    `        instruction: ${quote(p.es).replace(/\n      /g, '\n          ')}`,
  ];
  if (p.binds) lines.push(`    binds: [ ${p.binds.join(', ')} ]`);
  lines.push(`    requests: [ ${p.requests.join(', ')} ]`);
  if (p.when) {
    lines.push('    when:');
    for (const [fact, values] of Object.entries(p.when)) lines.push(`      ${fact}: ${Array.isArray(values) ? `[ ${values.join(', ')} ]` : `{ not: [ ${values.not.join(', ')} ] }`}`);
  }
  lines.push(`    effect: ${p.effect}`);
  if (p.exceptionTo) lines.push(`    exception_to: ${p.exceptionTo}`);
  if (p.from) lines.push(`    from: ${p.from}`);
  if (p.until) lines.push(`    until: ${p.until}`);
  return lines.join('\n');
}

/** The provisions of one generated instrument, from a few templates modelled on the Maryland corpus. */
function provisionsFor(template) {
  const src = `https://example.org/code/${int(1e6)}`;
  switch (template) {
    case 'detainers':
      return [
        { id: 'no-detainer-holds', quote: 'shall not detain a person on the basis of an immigration detainer', source: src, instruction: 'Do not hold anyone past release on an ICE detainer alone.',
          es: 'No retenga a nadie después de su liberación solo por una solicitud de retención de ICE.',
          binds: ['police', 'corrections', 'sheriff'], requests: ['detain_past_release'], when: { basis: { not: ['judicial_warrant', 'court_order'] } }, effect: 'prohibit' },
        { id: 'serious-offense-notice', quote: 'may notify federal authorities of the release of a person charged with a serious offense', source: src, instruction: 'You may give release notice for a serious offense.',
          es: 'Puede avisar de la liberación de una persona acusada de un delito grave.',
          binds: ['corrections', 'sheriff'], requests: ['notify_release'], when: { serious_offense: ['true'] }, effect: 'permit' },
        { id: 'no-release-notice', quote: 'shall not provide release dates or times to immigration authorities', source: src, instruction: 'Do not tell ICE when someone will be released.',
          es: 'No le diga a ICE cuándo se liberará a una persona.',
          binds: ['corrections'], requests: ['notify_release'], when: { basis: ['none', 'ice_detainer', 'ice_administrative_warrant'] }, effect: 'prohibit' },
      ];
    case 'trust':
      return [
        { id: 'no-status-questions', quote: 'no employee shall inquire about the citizenship or immigration status of any person', source: src, instruction: 'Do not ask about immigration status.',
          es: 'No pregunte por la situación migratoria.',
          requests: ['inquire_status'], effect: 'prohibit' },
        { id: 'criminal-investigation', quote: 'except as necessary to a criminal investigation', source: src, instruction: 'Police may ask when it is needed for a criminal investigation.',
          es: 'La policía puede preguntar cuando sea necesario para una investigación penal.',
          binds: ['police', 'sheriff'], requests: ['inquire_status'], when: { purpose: ['criminal_investigation', 'consular_notification'] }, effect: 'permit', exceptionTo: 'no-status-questions' },
        { id: 'no-facility-access', quote: 'shall not permit federal immigration agents access to nonpublic areas without a judicial warrant', source: src, instruction: 'Do not let ICE into nonpublic areas without a judicial warrant.',
          es: 'No permita que ICE entre en áreas no públicas sin una orden judicial.',
          requests: ['grant_facility_access'], when: { basis: { not: ['judicial_warrant', 'court_order', 'exigent_circumstances'] } }, effect: 'prohibit' },
        { id: 'no-personal-info', quote: 'shall not disclose personal information for purposes of civil immigration enforcement', source: src, instruction: 'Do not share personal information for immigration enforcement.',
          es: 'No comparta información personal para el control migratorio.',
          requests: ['share_personal_info'], when: { purpose: ['immigration_enforcement'] }, effect: 'prohibit' },
      ];
    case 'agreement':
      return [
        { id: 'agreement', quote: 'the sheriff is authorized to enter into an agreement under section 287(g)', source: src, instruction: 'The 287(g) agreement may be operated.',
          es: 'Se puede aplicar el acuerdo 287(g).',
          binds: ['sheriff', 'corrections'], requests: ['immigration_agreement', 'assist_enforcement'], when: { matter: ['civil_immigration', 'criminal_immigration'] }, effect: 'permit' },
        { id: 'honor-detainers', quote: 'designated officers shall honor detainers issued under the agreement', source: src, instruction: 'Designated officers must honor ICE detainers.',
          es: 'Los agentes designados deben cumplir las solicitudes de retención de ICE.',
          binds: ['sheriff'], requests: ['detain_past_release'], when: { basis: ['ice_detainer'] }, effect: 'require' },
      ];
    case 'order':
    default:
      return [
        { id: 'no-civil-arrests', quote: 'officers shall not stop, arrest or detain a person solely for a civil immigration violation', source: src, instruction: 'Do not arrest anyone only for a civil immigration matter.',
          es: 'No arreste a nadie solo por un asunto migratorio civil.',
          binds: ['police'], requests: ['arrest_civil'], when: { matter: ['civil_immigration'] }, effect: 'prohibit' },
        { id: 'no-custody-access', quote: 'shall not grant immigration agents access to persons in custody for interviews without consent', source: src, instruction: 'Do not let ICE interview people in custody without a judicial warrant.',
          es: 'No permita que ICE entreviste a personas bajo custodia sin una orden judicial.',
          binds: ['corrections', 'police'], requests: ['grant_custody_access'], when: { basis: { not: ['judicial_warrant', 'court_order'] } }, effect: 'prohibit' },
        { id: 'no-assistance', quote: 'no resources of the government shall be used to assist civil immigration enforcement', source: src, instruction: 'Do not use county resources to help civil immigration enforcement.',
          es: 'No use recursos del condado para ayudar al control migratorio civil.',
          requests: ['assist_enforcement'], when: { matter: ['civil_immigration'] }, effect: 'prohibit' },
      ];
  }
}

/** Events of a generated instrument: most in force, some vetoed, repealed, enjoined or only proposed. */
function eventsFor(kind) {
  const introduced = day(2008, 2026);
  const fate = random();
  const ev = [{ date: introduced, type: 'introduced' }];
  if (fate < 0.08 && kind === 'bill') return [...ev, { date: later(introduced, 60), type: 'vetoed' }];
  if (fate < 0.12) return ev;
  const passed = later(introduced, 90);
  const effective = later(passed, 120);
  ev.push({ date: passed, type: kind === 'executive_order' ? 'signed' : 'passed' }, { date: effective, type: 'effective' });
  if (fate > 0.85) ev.push({ date: later(effective, 2000), type: pick(['repealed', 'enjoined', 'superseded', 'expired']) });
  return ev;
}

let instruments = 0;
let jurisdictions = 0;
/** Writes one instrument file into a jurisdiction folder. */
function instrument(dir, jurisdictionId, id, kind, template) {
  const events = eventsFor(kind);
  const provisions = provisionsFor(template);
  if (chance(0.2)) provisions[0].from = later(events[events.length - 1].date, 400);
  // Drawn in the order the text uses them, so that a seed gives the corpus it gave before the Spanish was added.
  const confidence = pick(['verified', 'reported', 'unconfirmed']);
  const summaryWords = filler(40);
  const text = [
    `id: ${id}`,
    `title: ${id.replace(/-/g, ' ')} (${template} ${kind.replace(/_/g, ' ')}, generated)`,
    `jurisdiction: ${jurisdictionId}`,
    `kind: ${kind}`,
    `confidence: ${confidence}`,
    `summary: ${quote(`Generated for scale measurements (seed ${seed}). ${summaryWords}`)}`,
    'translations:',
    '  es:',
    `    summary: ${quote(`Generado para mediciones de escala (semilla ${seed}). ${spanish(summaryWords)}`).replace(/\n      /g, '\n        ')}`,
    'events:',
    ...events.map((e) => `  - { date: ${e.date}, type: ${e.type}, source: "https://example.org/minutes/${int(1e6)}" }`),
    'sources:',
    `  - { title: "${id} as enacted", url: "https://example.org/${slug(id)}" }`,
    `notes: ${quote(filler(50))}`,
    'provisions:',
    ...provisions.map(provision),
    '',
  ].join('\n');
  writeFileSync(path.join(dir, `${id}.yaml`), text);
  instruments++;
}

/** Writes a jurisdiction folder with its jurisdiction.yaml. */
function jurisdiction(dir, display, kind, fips) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'jurisdiction.yaml'), `name: ${display}\nkind: ${kind}\nfips: "${fips}"\n`);
  jurisdictions++;
}

const started = Date.now();
if (existsSync(out)) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// The real federal files and the whole real Maryland tree, tests included; other real states are left out.
const realUs = path.join(root, 'policies', 'us');
for (const entry of readdirSync(realUs)) {
  const from = path.join(realUs, entry);
  if (statSync(from).isDirectory() ? entry === 'md' : true) cpSync(from, path.join(out, 'us', entry), { recursive: true });
}
const countFiles = (d) => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(d, e.name)) : e.name === 'jurisdiction.yaml' ? (jurisdictions++, 0) : e.name.endsWith('.test.yaml') ? 0 : 1), 0);
instruments += countFiles(path.join(out, 'us'));

for (const [code, display, fips] of states) {
  const stateDir = path.join(out, 'us', code);
  const stateId = `us/${code}`;
  jurisdiction(stateDir, display, 'state', fips);
  for (let i = 0; i < 8; i++) {
    const kind = pick(['statute', 'statute', 'regulation', 'executive_order', 'bill', 'guidance']);
    instrument(stateDir, stateId, `${code}-${slug(kind)}-${2000 + i}-${int(1000)}`, kind, pick(['detainers', 'trust', 'agreement', 'order']));
  }
  const counties = 60 + int(7);
  const usedCounties = new Set();
  for (let c = 0; c < counties; c++) {
    let county;
    do county = `${slug(name())}-county`; while (usedCounties.has(county));
    usedCounties.add(county);
    const countyDir = path.join(stateDir, county);
    const countyId = `${stateId}/${county}`;
    jurisdiction(countyDir, county.replace(/-/g, ' '), 'county', `${fips}${String(c * 2 + 1).padStart(3, '0')}`);
    for (let i = 0, n = 2 + int(4); i < n; i++) {
      const kind = pick(['ordinance', 'executive_order', 'executive_order', 'policy', 'agreement', 'bill', 'directive']);
      const template = kind === 'agreement' ? 'agreement' : pick(['detainers', 'trust', 'order']);
      instrument(countyDir, countyId, `${code}-${county}-${slug(kind)}-${i}`, kind, template);
    }
    const usedCities = new Set();
    for (let t = 0, n = 1 + int(3); t < n; t++) {
      let city;
      do city = slug(name()); while (usedCities.has(city));
      usedCities.add(city);
      const cityDir = path.join(countyDir, city);
      jurisdiction(cityDir, city, 'city', `${fips}${String(10000 + int(89999))}`);
      for (let i = 0, m = int(3) + (chance(0.2) ? 1 : 0); i < m; i++) {
        const kind = pick(['ordinance', 'ordinance', 'executive_order', 'policy', 'directive']);
        instrument(cityDir, `${countyId}/${city}`, `${code}-${county}-${city}-${slug(kind)}-${i}`, kind, pick(['trust', 'order', 'detainers']));
      }
    }
  }
}
console.log(JSON.stringify({ out, seed, jurisdictions, instruments, seconds: (Date.now() - started) / 1000 }));
