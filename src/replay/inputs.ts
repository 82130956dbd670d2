// Readers for the three input layouts (contract section 10): NPR's FOIA records, the Deportation Data Project's
// detainer records (CSV or Parquet) and NPR's facility-year aggregate. Record files are streamed: a chunk at a time
// for CSV (uDSV), a row group at a time for Parquet (hyparquet), so memory does not grow with the file.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { inferSchema, initParser, type Parser } from 'udsv';
import { ContractError, type ErrorObject } from '../app/errors.js';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';

import { replayFormats, type ReplayFormat } from './formats.js';

export { replayFormats, type ReplayFormat };

/** A bad input file: a ContractError (bad_input) with the contract's error object (path, given, allowed, message). */
export class ReplayInputError extends ContractError {
  constructor(error: ErrorObject) {
    super('bad_input', error);
    this.name = 'ReplayInputError';
  }
}

/** The fields the replay reads, in this order. */
export const RECORD_FIELDS = ['date', 'lift', 'facility', 'city', 'state', 'type', 'code'] as const;
type RecordField = (typeof RECORD_FIELDS)[number];

/**
 * Column names per layout and field, first match wins. NPR's raw FOIA spreadsheet headers, then the lower-case
 * names of NPR's processed files (export/americans.csv); the Deportation Data Project's janitor-cleaned names, with
 * the 2025-2026 releases' renamings (`detainer_facility`, `prepare_date`).
 */
export const COLUMNS: Readonly<Record<'npr' | 'ddp', Readonly<Record<RecordField, readonly string[]>>>> = {
  npr: {
    date: ['Prepare Date', 'date'],
    lift: ['Detainer Lift Reason', 'lift_reason'],
    facility: ['Detainer Detention Facility', 'det_facility'],
    city: ['City', 'city'],
    state: ['State', 'state'],
    type: ['Detainer Type', 'detainer_type'],
    code: [],
  },
  ddp: {
    date: ['detainer_prepare_date', 'prepare_date'],
    lift: ['detainer_lift_reason'],
    facility: ['detention_facility', 'detainer_facility', 'detainer_detention_facility'],
    city: ['facility_city'],
    state: ['facility_state'],
    type: ['detainer_type'],
    code: ['detention_facility_code', 'detainer_facility_code'],
  },
};
const REQUIRED: readonly RecordField[] = ['date', 'lift', 'facility', 'state'];

/** Receives records: the fields in RECORD_FIELDS order (missing ones as ''), and the 1-based line or row number. */
export type RecordSink = (date: string, lift: string, facility: string, city: string, state: string, type: string, code: string, line: number) => void;

/** Which column index holds each field, or -1. Throws ReplayInputError naming the missing column. */
export function columnIndexes(header: readonly string[], format: 'npr' | 'ddp'): number[] {
  const trimmed = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  return RECORD_FIELDS.map((field) => {
    const names = COLUMNS[format][field];
    const index = names.map((n) => trimmed.indexOf(n)).find((i) => i >= 0) ?? -1;
    if (index < 0 && REQUIRED.includes(field)) {
      throw new ReplayInputError({
        path: `column ${names[0]}`, given: trimmed, allowed: names,
        message: `the ${format} layout needs a column ${names.map((n) => `"${n}"`).join(' or ')}; the header has ${trimmed.length} columns`,
      });
    }
    return index;
  });
}

/** Is the file Parquet (starts with the magic bytes PAR1)? */
export function isParquet(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === 'PAR1';
  } finally {
    closeSync(fd);
  }
}

/** Streams a CSV file to `onRow` as string arrays, after handing its header to `onHeader`. */
export async function streamCsv(file: string, onHeader: (header: string[]) => void, onRow: (row: string[]) => void): Promise<void> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let parser: Parser | undefined;
  let pending = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    if (!parser) {
      // The schema comes from the first chunk; wait until it holds a whole header line.
      pending += chunk;
      if (!/\r?\n/.test(pending)) continue;
      const schema = inferSchema(pending, { col: ',', encl: '"' }, 1);
      onHeader(schema.cols.map((c) => c.name));
      parser = initParser(schema);
      parser.chunk<string[]>(pending, parser.stringArrs, onRow);
      pending = '';
      continue;
    }
    parser.chunk<string[]>(chunk, parser.stringArrs, onRow);
  }
  if (!parser) {
    if (pending.trim() === '') throw new ReplayInputError({ path: 'file', given: file, message: 'the file is empty' });
    const schema = inferSchema(`${pending}\n`, { col: ',', encl: '"' }, 1);
    onHeader(schema.cols.map((c) => c.name));
    return;
  }
  parser.end();
}

/** Reads an NPR or DDP record file (CSV, or Parquet for DDP) and hands every record to the sink. */
export async function readRecords(file: string, format: 'npr' | 'ddp', sink: RecordSink): Promise<void> {
  if (isParquet(file)) {
    if (format !== 'ddp') throw new ReplayInputError({ path: 'format', given: format, allowed: ['ddp'], message: 'a Parquet file is read only in the ddp layout' });
    return readParquetRecords(file, sink);
  }
  // Column positions, set from the header; plain variables, so the per-row callback reads no array.
  let [d, l, f, c, s, t, k] = [0, 0, 0, -1, 0, -1, -1];
  let line = 1;
  await streamCsv(
    file,
    (header) => {
      [d, l, f, c, s, t, k] = columnIndexes(header, format) as [number, number, number, number, number, number, number];
    },
    (row) => {
      line++;
      if (row.length === 1 && row[0] === '') return;
      sink(
        row[d] ?? '', row[l] ?? '', row[f] ?? '', c < 0 ? '' : (row[c] ?? ''), row[s] ?? '',
        t < 0 ? '' : (row[t] ?? ''), k < 0 ? '' : (row[k] ?? ''), line,
      );
    },
  );
}

const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return String(v);
};

/** Reads a DDP Parquet file one row group at a time. */
async function readParquetRecords(file: string, sink: RecordSink): Promise<void> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const header = parquetSchema(metadata).children.map((c) => c.element.name);
  const idx = columnIndexes(header, 'ddp');
  const columns = idx.filter((i) => i >= 0).map((i) => header[i]!);
  const position = idx.map((i) => (i < 0 ? -1 : columns.indexOf(header[i]!)));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: unknown[][] = [];
    await parquetRead({ file: buffer, metadata, columns, rowStart, rowEnd, onComplete: (data) => { rows = data as unknown[][]; } });
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const at = (k: number) => (position[k]! < 0 ? '' : text(row[position[k]!]));
      sink(at(0), at(1), at(2), at(3), at(4), at(5), at(6), rowStart + r + 1);
    }
    rowStart = rowEnd;
  }
}

/** One row of NPR's declined_vs_everythingelse.csv: a facility-year with at least one decline. */
export interface AggregateRow {
  readonly line: number;
  readonly year: string;
  readonly facility: string;
  readonly city: string;
  readonly state: string;
  readonly declined: number;
  /** Every other lift reason that year, or null where NPR's join found none (the file leaves the cells empty). */
  readonly other: number | null;
}

/**
 * Reads NPR's aggregate. Its header repeats names (`year,det_facility,city,state,count,det_facility,year,count`:
 * the declines, then NPR's join of every other lift reason by facility name and year), so columns are read by
 * position, after checking the header is that one.
 */
export async function readAggregate(file: string): Promise<AggregateRow[]> {
  const expected = ['year', 'det_facility', 'city', 'state', 'count', 'det_facility', 'year', 'count'];
  const rows: AggregateRow[] = [];
  let line = 1;
  const count = (v: string | undefined, column: string, row: number): number | null => {
    if (v === undefined || v.trim() === '') return null;
    if (!/^\d+$/.test(v.trim())) throw new ReplayInputError({ path: `line ${row}, ${column}`, given: v, message: 'not a count' });
    return Number(v);
  };
  await streamCsv(
    file,
    (header) => {
      const got = header.map((h) => h.replace(/^\uFEFF/, '').trim());
      if (got.length !== expected.length || got.some((h, i) => h !== expected[i])) {
        throw new ReplayInputError({ path: 'header', given: got, allowed: [expected.join(',')], message: "not NPR's declined_vs_everythingelse.csv header" });
      }
    },
    (r) => {
      line++;
      if (r.length === 1 && r[0] === '') return;
      const declined = count(r[4], 'declined count', line);
      if (declined === null || !/^\d{4}$/.test(r[0] ?? '')) {
        throw new ReplayInputError({ path: `line ${line}`, given: r.join(','), message: 'a row needs a year and a declined count' });
      }
      rows.push({ line, year: r[0]!, facility: r[1] ?? '', city: r[2] ?? '', state: r[3] ?? '', declined, other: count(r[7], 'other count', line) });
    },
  );
  return rows;
}
