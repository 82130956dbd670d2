// One replay end to end: detect or check the layout, stream the file through the replay, and build the report.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Engine } from '../engine/engine.js';
import { replayAggregate } from './aggregate.js';
import { loadDetainerCodes, type DetainerCodes } from './codes.js';
import { loadFacilityTable, type FacilityTable } from './facilities.js';
import { COLUMNS, isParquet, readAggregate, readRecords, ReplayInputError, replayFormats, type ReplayFormat } from './inputs.js';
import { Replay, type Granularity } from './replay.js';
import { aggregateReport, recordReport, type ReplayReport } from './report.js';

/** How to replay: the input layout, the period rows are grouped by, the facility table and the record codes. */
export interface ReplayOptions {
  /** The layout; detected from the header (or the Parquet magic) when absent. */
  readonly format?: ReplayFormat;
  readonly by?: Granularity;
  readonly table?: FacilityTable;
  readonly codes?: DetainerCodes;
}

/** The layout of a file, from its first line (or Parquet magic bytes); throws ReplayInputError when it is none of them. */
export function detectFormat(file: string): ReplayFormat {
  if (isParquet(file)) return 'ddp';
  const fd = openSync(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(65_536);
    head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const header = (head.split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '');
  const names = header.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  if (names.join(',') === 'year,det_facility,city,state,count,det_facility,year,count') return 'npr-aggregate';
  if (COLUMNS.ddp.date.some((n) => names.includes(n))) return 'ddp';
  if (COLUMNS.npr.date.some((n) => names.includes(n)) && COLUMNS.npr.facility.some((n) => names.includes(n))) return 'npr';
  throw new ReplayInputError({
    path: 'format', given: names.slice(0, 12), allowed: [...replayFormats],
    message: 'cannot tell the layout from the header; give --format npr, ddp or npr-aggregate',
  });
}

/** Replays a file and returns its report. */
export async function replayFile(file: string, engine: Engine, options: ReplayOptions = {}): Promise<ReplayReport> {
  const format = options.format ?? detectFormat(file);
  const table = options.table ?? loadFacilityTable();
  table.checkJurisdictions((id) => engine.corpus.jurisdictions.has(id));
  const replay = new Replay(engine, table, options.codes ?? loadDetainerCodes(), options.by ?? (format === 'npr-aggregate' ? 'year' : 'month'));
  if (format === 'npr-aggregate') {
    return aggregateReport(replayAggregate(await readAggregate(file), replay), engine.policyVersion);
  }
  await readRecords(file, format, (d, l, f, c, s, t, k, line) => replay.add(d, l, f, c, s, t, k, line));
  return recordReport(replay, format);
}
