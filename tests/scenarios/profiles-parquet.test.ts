/** Parquet profiles (long and wide, string or timestamp time column) load exactly as their CSV twins. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { loadSpec } from '../../src/scenarios';
import { loadProfiles } from '../../src/scenarios/profiles';
import { readCaseFile } from '../../src/grid/matpower-case';
import { isInputError } from '../../src/errors';
import { parseCsv } from '../../src/scenarios/csv';

const FIX = join(__dirname, '..', 'fixtures', 'specs', 'profiles');
const net = readCaseFile(join(__dirname, '..', '..', 'examples', 'cases', 'case14.m'));

function csvToParquet(csv: string, out: string, timestamps = false): void {
  const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8')).map((r) => r.cells);
  const columnData = header.map((name, k) => {
    if (k === 0 && timestamps) return { name, type: 'TIMESTAMP' as const, data: rows.map((r) => new Date(r[k])) };
    const numeric = rows.every((r) => r[k] === '' || !Number.isNaN(Number(r[k])));
    return numeric && name !== 'time'
      ? { name, type: 'DOUBLE' as const, data: rows.map((r) => (r[k] === '' ? null : Number(r[k]))), nullable: true }
      : { name, type: 'STRING' as const, data: rows.map((r) => r[k]) };
  });
  writeFileSync(out, new Uint8Array(parquetWriteBuffer({ columnData })));
}

describe('Parquet profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pq-profiles-'));
  for (const [name, ts] of [
    ['loads-long', false],
    ['loads-wide', false],
    ['loads-wide', true],
  ] as const) {
    test(`${name}${ts ? ' (timestamp column)' : ''} equals its CSV`, () => {
      const pq = join(dir, `${name}${ts ? '-ts' : ''}.parquet`);
      csvToParquet(join(FIX, `${name}.csv`), pq, ts);
      const a = loadProfiles(join(FIX, `${name}.csv`), 'multiplier', net);
      const b = loadProfiles(pq, 'multiplier', net);
      expect({ ...b, file: '' }).toEqual({ ...a, file: '' });
    });
  }

  test('a spec with a Parquet profile expands like the CSV one', () => {
    csvToParquet(join(FIX, 'loads-long.csv'), join(dir, 'loads-long.parquet'));
    copyFileSync(join(__dirname, '..', '..', 'examples', 'cases', 'case14.m'), join(dir, 'case14.m'));
    const spec = readFileSync(join(FIX, 'study-long.yaml'), 'utf8')
      .replace('../case14.m', 'case14.m')
      .replace('loads-long.csv', 'loads-long.parquet');
    writeFileSync(join(dir, 'study.yaml'), spec);
    const s = loadSpec(join(dir, 'study.yaml'));
    expect(s.profiles?.times.length).toBeGreaterThan(0);
    expect(s.scenarios.map((x) => x.timeSlices.length)).toEqual([3, 3]);
  });

  test('a file that is not Parquet is an input error naming it', () => {
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, 'time,load:2:p\n');
    let err: unknown;
    try {
      loadProfiles(bad, 'multiplier', net);
    } catch (e) {
      err = e;
    }
    expect(isInputError(err)).toBe(true);
    expect(String((err as Error).message)).toContain('bad.parquet');
  });
});
