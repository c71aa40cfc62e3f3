/**
 * Reading scenarios of a materialized study without parsing all of scenario_manifest.json: the
 * head (everything but the scenarios), one scenario, or a page of consecutive scenarios, each
 * read from the byte ranges scenario_manifest.index gives (src/io/scenario-index.ts).
 *
 * A study without an index (materialized before it), or whose index does not match its manifest
 * (a rewrite stopped between the two renames), is read the old way: the whole manifest, parsed once.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { layout } from './layout';
import { readScenarioManifest, StudyManifest } from './scenario-manifest';
import { INDEX_HEADER, INDEX_VERSION } from './scenario-index';
import type { ResolvedScenario } from '../scenarios/types';

export interface ScenarioSource {
  /** the manifest with `scenarios: []` */
  head: StudyManifest;
  count: number;
  /** scenarios [offset, offset + limit), clipped to the study */
  page(offset: number, limit: number): ResolvedScenario[];
  /** scenario `index`, checked to be `id` */
  at(index: number, id: string): ResolvedScenario;
}

/**
 * Scenarios of `source` by index, for a caller that reads many of them (a part of the bucket
 * layout: hundreds of consecutive scenarios): indexes within a span of at most `maxSpan` are
 * read as one page (one read, one parse, instead of one of each per scenario), others one by one.
 */
export function scenarioReader(
  source: ScenarioSource,
  indexes: readonly number[],
  maxSpan: number,
): (index: number, id: string) => ResolvedScenario {
  let from = Infinity,
    to = -Infinity;
  for (const i of indexes) {
    if (!Number.isInteger(i)) return source.at;
    from = Math.min(from, i);
    to = Math.max(to, i + 1);
  }
  if (!(to > from) || to - from > maxSpan || from < 0 || to > source.count) return source.at;
  const page = source.page(from, to - from);
  return (i, id) => checkedAt(page[i - from], i, id);
}

function readBytes(path: string, start: number, end: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < buf.length) {
      const k = readSync(fd, buf, got, buf.length - got, start + got);
      if (k === 0) throw new Error(`${path}: ended at byte ${start + got}, expected ${end}`);
      got += k;
    }
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function checkedAt(s: ResolvedScenario | undefined, index: number, id: string): ResolvedScenario {
  if (!s || s.scenarioId !== id) throw new Error(`scenario ${index} of the manifest is not '${id}'`);
  return s;
}

/** The index of `outDir` when it matches its manifest (version, size, brackets), else undefined. */
function readIndex(outDir: string): Float64Array | undefined {
  const ip = layout.scenarioIndex(outDir);
  if (!existsSync(ip)) return undefined;
  const raw = readFileSync(ip);
  if (raw.length < INDEX_HEADER * 8 || raw.length % 8 !== 0) return undefined;
  const index = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const n = index[1];
  if (index[0] !== INDEX_VERSION || index.length !== INDEX_HEADER + 2 * n) return undefined;
  const mp = layout.scenarioManifest(outDir);
  if (statSync(mp).size !== index[2]) return undefined;
  const open = readBytes(mp, index[3], index[3] + 1);
  const close = readBytes(mp, index[4] - 1, index[4]);
  return open === '[' && close === ']' ? index : undefined;
}

function indexedSource(outDir: string, index: Float64Array): ScenarioSource {
  const mp = layout.scenarioManifest(outDir);
  const n = index[1];
  const head = JSON.parse(`${readBytes(mp, 0, index[3])}[]${readBytes(mp, index[4], index[2])}`) as StudyManifest;
  const startOf = (i: number) => index[INDEX_HEADER + 2 * i];
  const endOf = (i: number) => index[INDEX_HEADER + 2 * i + 1];
  const page = (offset: number, limit: number): ResolvedScenario[] => {
    const from = Math.max(0, offset);
    const to = Math.min(n, offset + limit);
    if (to <= from) return [];
    // consecutive scenarios are one range of the file, separated by commas: one read, one parse
    return JSON.parse(`[${readBytes(mp, startOf(from), endOf(to - 1))}]`) as ResolvedScenario[];
  };
  return {
    head,
    count: n,
    page,
    at: (i, id) =>
      checkedAt(
        Number.isInteger(i) && i >= 0 && i < n
          ? (JSON.parse(readBytes(mp, startOf(i), endOf(i))) as ResolvedScenario)
          : undefined,
        i,
        id,
      ),
  };
}

function parsedSource(m: StudyManifest): ScenarioSource {
  return {
    head: { ...m, scenarios: [] },
    count: m.scenarios.length,
    page: (offset, limit) => m.scenarios.slice(Math.max(0, offset), Math.max(0, offset + limit)),
    at: (i, id) => checkedAt(m.scenarios[i], i, id),
  };
}

/** The scenarios of `outDir`, read through the index when there is a matching one. */
export function openScenarioSource(outDir: string): ScenarioSource {
  const index = readIndex(outDir);
  return index ? indexedSource(outDir, index) : parsedSource(readScenarioManifest(outDir));
}

/** Every scenario of `source` in order, `pageSize` at a time (only one page is held). */
export function* scenariosOf(source: ScenarioSource, pageSize = 500): Generator<ResolvedScenario> {
  for (let offset = 0; offset < source.count; offset += pageSize) yield* source.page(offset, pageSize);
}
