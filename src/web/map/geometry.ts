// Maryland's counties and places as SVG geometry: the Census Bureau's county shapes from `us-atlas` (TopoJSON, via
// `topojson-client`) projected with `d3-geo`, and the municipal points of data/places/maryland.json (the Census
// Gazetteer's internal points, by GEOID). Made once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { geoConicConformal, geoContains, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Corpus, Jurisdiction } from '../../policy/corpus.js';
import { packageRoot } from '../../vocabulary/vocabulary.js';

/** The SVG's coordinate box. */
export const MAP_WIDTH = 960;
/** The SVG's height (Maryland is wide and short). */
export const MAP_HEIGHT = 500;

/** A county (or Baltimore City) as a shape: its 5-digit FIPS code, Census name and SVG path. */
export interface CountyShape {
  readonly fips: string;
  readonly name: string;
  readonly d: string;
  /** Where its label or marker sits (the shape's centroid, projected). */
  readonly centroid: readonly [number, number];
  readonly feature: Feature<Geometry, { name: string }>;
}

/** A municipality of the corpus placed on the map. */
export interface PlacePoint {
  readonly jurisdiction: string;
  readonly lat: number;
  readonly lon: number;
  readonly x: number;
  readonly y: number;
}

/** A place of data/places/maryland.json: Census GEOID, name, county FIPS, coordinates (WGS 84). */
export interface PlaceRecord {
  readonly geoid: string;
  readonly name: string;
  readonly county: string;
  /** Every county the place lies in, `county` first. */
  readonly counties?: readonly string[];
  readonly lat: number;
  readonly lon: number;
}

/** The places file: its source, and the places. */
export interface PlacesFile {
  readonly source: Readonly<Record<string, string>>;
  readonly places: readonly PlaceRecord[];
}

/** Where the place coordinates are. */
export const placesFile = path.join(packageRoot, 'data', 'places', 'maryland.json');

/** Maryland's geometry, projected. */
export interface MarylandGeometry {
  readonly counties: readonly CountyShape[];
  /** Projects a longitude and latitude to SVG coordinates. */
  project(lon: number, lat: number): [number, number];
  /** The shape of a county by FIPS. */
  county(fips: string): CountyShape | undefined;
}

let cached: MarylandGeometry | undefined;

/** The 24 Maryland county-level shapes (FIPS 24xxx), projected to fit the SVG box. Read once per process. */
export function marylandGeometry(): MarylandGeometry {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(readFileSync(require.resolve('us-atlas/counties-10m.json'), 'utf8')) as Topology<{ counties: GeometryCollection<{ name: string }> }>;
  const all = feature(topology, topology.objects.counties) as FeatureCollection<Geometry, { name: string }>;
  const md: FeatureCollection<Geometry, { name: string }> = { type: 'FeatureCollection', features: all.features.filter((f) => String(f.id).startsWith('24')) };
  // Maryland's own State Plane projection: Lambert conformal conic, standard parallels 38°18' and 39°27', meridian 77°W.
  const projection = geoConicConformal().parallels([38.3, 39.45]).rotate([77, 0]).fitExtent([[8, 8], [MAP_WIDTH - 8, MAP_HEIGHT - 8]], md);
  const toPath = geoPath(projection);
  const counties = md.features
    .map((f): CountyShape => {
      const [cx, cy] = toPath.centroid(f);
      return { fips: String(f.id), name: f.properties.name, d: toPath(f) ?? '', centroid: [round(cx), round(cy)], feature: f };
    })
    .sort((a, b) => a.fips.localeCompare(b.fips));
  const byFips = new Map(counties.map((c) => [c.fips, c]));
  cached = {
    counties,
    project: (lon, lat) => {
      const [x, y] = projection([lon, lat]) ?? [NaN, NaN];
      return [round(x), round(y)];
    },
    county: (fips) => byFips.get(fips),
  };
  return cached;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Reads the places file. */
export function readPlaces(file = placesFile): PlacesFile {
  return JSON.parse(readFileSync(file, 'utf8')) as PlacesFile;
}

/** The county (or Baltimore City) a jurisdiction sits in or is: itself for a county, its parent for a city below one. */
export function countyOf(corpus: Corpus, j: Jurisdiction): Jurisdiction | undefined {
  if (j.fips.length === 5) return j;
  const parent = j.parent ? corpus.jurisdictions.get(j.parent) : undefined;
  return parent && parent.fips.length === 5 ? parent : undefined;
}

/**
 * The corpus's Maryland municipalities with their points: each matched in the places file by its Census GEOID (the
 * jurisdiction's `fips`). Those without a match are listed in `unplaced` (the page says so; a test fails on any).
 */
export function placeMunicipalities(corpus: Corpus, places: PlacesFile = readPlaces()): { points: PlacePoint[]; unplaced: string[] } {
  const geo = marylandGeometry();
  const index = new Map(places.places.map((p) => [p.geoid, p]));
  const points: PlacePoint[] = [];
  const unplaced: string[] = [];
  for (const j of [...corpus.jurisdictions.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (j.kind !== 'city' || !j.id.startsWith('us/md/') || j.fips.length !== 7) continue;
    const p = index.get(j.fips);
    if (!p) {
      unplaced.push(j.id);
      continue;
    }
    const [x, y] = geo.project(p.lon, p.lat);
    points.push({ jurisdiction: j.id, lat: p.lat, lon: p.lon, x, y });
  }
  return { points, unplaced };
}

/** Whether a longitude and latitude fall inside a county's shape (the test that a place sits in its county). */
export function insideCounty(fips: string, lon: number, lat: number): boolean {
  const c = marylandGeometry().county(fips);
  return c ? geoContains(c.feature, [lon, lat]) : false;
}

/** Whether a point falls inside no Maryland county's shape: on the State line, outside the simplified outline. */
export function outsideMaryland(lon: number, lat: number): boolean {
  return !marylandGeometry().counties.some((c) => geoContains(c.feature, [lon, lat]));
}
