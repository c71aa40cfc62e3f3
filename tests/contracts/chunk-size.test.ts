/**
 * Time slices per solve chunk: sized by materialize from the grid and the task when the study
 * does not set --chunk-size (autoChunkSize, src/workflows/solve-placement.ts), recorded in the
 * scenario manifest and kept when the study starts again in its folder
 * (src/io/study-chunk-size.ts), including studies written before the size was recorded.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { materializeStudy } from '../../src/activities/materialize';
import { STUDY_DEFAULTS } from '../../src/contracts/study-defaults';
import { InputError } from '../../src/errors';
import { layout } from '../../src/io/layout';
import { openScenarioSource } from '../../src/io/scenario-source';
import { chunkSizeToWrite, recordedChunkSize } from '../../src/io/study-chunk-size';
import {
  AUTO_CHUNK_MAX,
  AUTO_CHUNK_MS,
  AUTO_CHUNK_ROWS,
  autoChunkSize,
  estimatedChunkMs,
} from '../../src/workflows/solve-placement';
import { ARTIFACTS } from '../helpers/test-server';

// one scenario of 120 hourly case14 slices
const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-long-scenario.yaml');

describe('auto chunk size', () => {
  const min = STUDY_DEFAULTS.chunkSize;
  // result rows per slice: buses + branches + generators + 1 summary row
  const CASE118 = { buses: 118, rows: 118 + 186 + 54 + 1 };
  const CASE9241 = { buses: 9241, rows: 9241 + 16049 + 1445 + 1 };
  const CASE14 = { buses: 14, rows: 14 + 20 + 5 + 1 };

  test('at most AUTO_CHUNK_MS of estimated solving and AUTO_CHUNK_ROWS result rows, at least 24 slices', () => {
    // case118 pf_ac: the rows bind (365 slices, 0.3 s): a year of hours in 24 chunks, not 365
    const pf118 = autoChunkSize('pf_ac', CASE118.buses, CASE118.rows, min);
    expect(pf118).toBe(Math.floor(AUTO_CHUNK_ROWS / CASE118.rows));
    expect(Math.ceil(8_760 / pf118)).toBe(24);
    // case118 AC OPF: the time binds (~17 ms a job: ~117 slices, about AUTO_CHUNK_MS)
    const opf118 = autoChunkSize('opf_ac', CASE118.buses, CASE118.rows, min);
    expect(estimatedChunkMs('opf_ac', 118, opf118)).toBeLessThanOrEqual(AUTO_CHUNK_MS);
    expect(estimatedChunkMs('opf_ac', 118, opf118 + 1)).toBeGreaterThan(AUTO_CHUNK_MS);
    expect(opf118 * CASE118.rows).toBeLessThanOrEqual(AUTO_CHUNK_ROWS);
    // large grids and slow jobs never go below the default's 24 slices
    expect(autoChunkSize('pf_ac', CASE9241.buses, CASE9241.rows, min)).toBe(min);
    expect(autoChunkSize('opf_ac', CASE9241.buses, CASE9241.rows, min)).toBe(min);
    expect(autoChunkSize('pf_dc', CASE14.buses, CASE14.rows, min)).toBe(Math.floor(AUTO_CHUNK_ROWS / CASE14.rows));
  });

  test('never more than a leap year of hourly slices', () => {
    expect(autoChunkSize('pf_dc', 2, 3, min)).toBe(AUTO_CHUNK_MAX);
    expect(AUTO_CHUNK_MAX).toBe(366 * 24);
  });
});

describe('a study keeps its chunk size', () => {
  const out = join(ARTIFACTS, 'chunk-size-contract');
  beforeEach(() => rmSync(out, { recursive: true, force: true }));

  test('materialize records the size it chose and returns it; an explicit size wins', () => {
    const r = materializeStudy({ batchId: 'c1', specPath: SPEC, outDir: out, task: 'pf_ac' });
    const auto = autoChunkSize('pf_ac', 14, 14 + 20 + 5 + 1, STUDY_DEFAULTS.chunkSize);
    expect(r.chunkSize).toBe(auto);
    expect(openScenarioSource(out).head.chunk_size).toBe(auto);
    rmSync(out, { recursive: true, force: true });
    const e = materializeStudy({
      batchId: 'c2',
      specPath: SPEC,
      outDir: out,
      task: 'pf_ac',
      options: { chunkSize: 5 },
    });
    expect(e.chunkSize).toBe(5);
    expect(recordedChunkSize(out, undefined)).toBe(5);
  });

  test('started again: the recorded size, whatever auto says; an explicit other size is an input error', () => {
    materializeStudy({ batchId: 'c3', specPath: SPEC, outDir: out, task: 'pf_ac', options: { chunkSize: 7 } });
    expect(chunkSizeToWrite(out, undefined, 'pf_dc', { buses: 14, branches: 20, gens: 5 })).toBe(7);
    expect(chunkSizeToWrite(out, 7, 'pf_dc', { buses: 14, branches: 20, gens: 5 })).toBe(7);
    expect(() => chunkSizeToWrite(out, 8, 'pf_dc', { buses: 14, branches: 20, gens: 5 })).toThrow(InputError);
    expect(() =>
      materializeStudy({ batchId: 'c3', specPath: SPEC, outDir: out, task: 'pf_ac', options: { chunkSize: 8 } }),
    ).toThrow(/--chunk-size 7/);
    // without the option, a study started again keeps its 7
    expect(materializeStudy({ batchId: 'c3', specPath: SPEC, outDir: out, task: 'pf_ac' }).chunkSize).toBe(7);
  });

  test('a study materialized before the size was recorded resumes with its option, else 24', () => {
    materializeStudy({ batchId: 'c4', specPath: SPEC, outDir: out, task: 'pf_ac' });
    const path = layout.scenarioManifest(out);
    const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete m.chunk_size; // as written before it was recorded
    writeFileSync(path, JSON.stringify(m));
    rmSync(layout.scenarioIndex(out), { force: true });
    expect(recordedChunkSize(out, undefined)).toBe(STUDY_DEFAULTS.chunkSize);
    expect(recordedChunkSize(out, 12)).toBe(12);
    expect(materializeStudy({ batchId: 'c4', specPath: SPEC, outDir: out, task: 'pf_ac' }).chunkSize).toBe(24);
  });
});
