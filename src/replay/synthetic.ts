// A seeded generator of synthetic detainer files in the NPR and Deportation Data Project record layouts, for tests and
// benchmarks: facility names as ICE spells them (from the facility table), other states' look-alikes, unknown
// names, the real lift-reason and form values, and dates over a chosen span. The same seed gives the same file.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { writeChunks } from '../app/output.js';
import type { FacilityTable } from './facilities.js';
import { csvField } from './report.js';

/** The Deportation Data Project columns the generator writes (a subset of the release's; see docs/replay.md). */
export const DDP_SYNTHETIC_COLUMNS = [
  'detainer_prepare_date', 'facility_state', 'facility_aor', 'detention_facility', 'detention_facility_code',
  'facility_city', 'gender', 'citizenship_country', 'birth_year', 'case_status', 'processing_disposition',
  'apprehension_method', 'detainer_lift_reason', 'detainer_type', 'data_source', 'unique_id',
] as const;

/** NPR's FOIA spreadsheet columns, in its order. */
export const NPR_COLUMNS = ['Prepare Date', 'Detainer Type', 'Detainer Detention Facility', 'State', 'City', 'Detainer Lift Reason'] as const;

/** How many synthetic records to make, in which layout, from which seed. */
export interface SyntheticOptions {
  readonly layout: 'npr' | 'ddp';
  readonly records: number;
  readonly seed: number;
  /** First and last prepare day (inclusive), YYYY-MM-DD. */
  readonly from?: string;
  readonly to?: string;
}

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LIFTS: readonly [string, number][] = [
  ['Booked into Detention', 0.42], ['', 0.25], ['Detainer Declined by LEA', 0.12], ['Lifted', 0.07], ['Case Closed', 0.05],
  ['Early Release', 0.03], ['Prosecutorial Discretion', 0.02], ['Transferred', 0.02], ['Alien Not Subject to Deportation', 0.02],
];
const FORMS: Readonly<Record<'npr' | 'ddp', readonly [string, number][]>> = {
  npr: [
    ['I247 - Immigration Detainer - Notice of Action (as of March 2013)', 0.9], ['I247D - Immigration Detainer - Request for Action', 0.06],
    ['I247N - Immigration Advisal - Request for Notification', 0.03], ['', 0.01],
  ],
  ddp: [
    ['I247A - Immigration Detainer - Immigration Detainer - Notice of Action', 0.88], ['I247N - Request for Voluntary Notification of Release', 0.07],
    ['I247X - Request for Voluntary Transfer', 0.04], ['', 0.01],
  ],
};
/** Names that must not be placed on a Maryland row: other states' namesakes, and Maryland names the table lacks. */
const DECOYS: readonly { name: string; city: string; state: string }[] = [
  { name: 'WASHINGTON COUNTY JAIL', city: 'STILLWATER', state: 'MINNESOTA' },
  { name: 'WASHINGTON COUNTY JAIL', city: 'FAYETTEVILLE', state: 'ARKANSAS' },
  { name: 'MONTGOMERY CO MAC SIM BUTLER D.F.', city: 'MONTGOMERY', state: 'ALABAMA' },
  { name: 'MONTGOMERY CNTY JAIL, PA', city: 'NORRISTOWN', state: 'PENNSYLVANIA' },
  { name: 'GARRETT COUNTY JAIL', city: 'OAKLAND', state: 'MARYLAND' },
  { name: 'MONTGOMERY COUNTY DET.', city: 'CLARKSBURG', state: 'MARYLAND' },
];

function picker(weights: readonly [string, number][], random: () => number): () => string {
  const total = weights.reduce((n, [, w]) => n + w, 0);
  return () => {
    let r = random() * total;
    for (const [value, w] of weights) {
      if ((r -= w) < 0) return value;
    }
    return weights[weights.length - 1]![0];
  };
}

/**
 * Writes `records` synthetic records to `file` as CSV. About 94% name a Maryland facility of the table (as ICE spells
 * it), 3% are other states' namesakes and 3% are Maryland names the table does not have. Resolves when written.
 */
export async function writeSyntheticCsv(file: string, table: FacilityTable, options: SyntheticOptions): Promise<void> {
  const random = seededRandom(options.seed);
  const from = Date.parse(`${options.from ?? '2013-01-01'}T00:00:00Z`);
  const days = Math.max(1, Math.round((Date.parse(`${options.to ?? '2026-11-30'}T00:00:00Z`) - from) / 86_400_000) + 1);
  const places = table.facilities.flatMap((f) => f.aliases.map((a) => ({ name: a.name, city: a.city, code: f.codes[0] ?? '' })));
  const lift = picker(LIFTS, random);
  const form = picker(FORMS[options.layout], random);
  const dayText = (n: number) => {
    const d = new Date(from + n * 86_400_000);
    const iso = d.toISOString().slice(0, 10);
    return options.layout === 'ddp' ? `${iso} 00:00:00` : `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
  };
  const header = options.layout === 'ddp' ? DDP_SYNTHETIC_COLUMNS : NPR_COLUMNS;
  const row = (i: number): string => {
    const r = random();
    const place = r < 0.94 ? places[Math.floor(random() * places.length)]! : { ...DECOYS[Math.floor(random() * DECOYS.length)]!, code: '' };
    const state = 'state' in place ? place.state : table.state;
    const date = dayText(Math.floor(random() * days));
    if (options.layout === 'ddp') {
      return `${[
        date, state, 'Baltimore Area of Responsibility', csvField(place.name), place.code, place.city,
        random() < 0.9 ? 'Male' : 'Female', 'GUATEMALA', String(1960 + Math.floor(random() * 45)), 'ACTIVE', 'Detainer',
        'CAP Local Incarceration', lift(), form(), 'release_2026', (i * 2654435761 >>> 0).toString(16).padStart(8, '0'),
      ].join(',')}\n`;
    }
    return `${[date, form(), csvField(place.name), state, place.city, lift()].join(',')}\n`;
  };
  function* lines(): Generator<string> {
    yield `${header.join(',')}\n`;
    for (let i = 0; i < options.records; i++) yield row(i);
  }
  // The app layer's writer: rows batched into large writes, waiting while the file is saturated.
  const out = createWriteStream(file);
  await writeChunks(lines(), out);
  out.end();
  await finished(out);
}
