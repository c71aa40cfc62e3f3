import { join } from 'node:path';
import { applyScenario, loadSpec, loadStudy } from '../../src/scenarios';
import { expandTimeRange, normaliseTime, parseStep } from '../../src/scenarios/time';
import { readCaseFile } from '../../src/grid/matpower-case';
import { CASE14, FIXTURES, head, inputError, tempDir, writeSpec } from './helpers';

const PROF = join(FIXTURES, 'profiles');
const dir = tempDir();
let n = 0;
const load = (text: string) => loadSpec(writeSpec(dir, `t${n++}.yaml`, head(text)));

describe('time', () => {
  test('time_range: start inclusive, end exclusive, steps in several spellings, normalised to UTC', () => {
    const r = (start: string, end: string, step: string) => {
      const x = expandTimeRange({ start, end, step }, 1000);
      if (!x.ok) throw new Error(x.reason);
      return x.slices;
    };
    expect(r('2025-01-01T00:00:00Z', '2025-01-01T03:00:00Z', '1h')).toEqual([
      '2025-01-01T00:00:00Z',
      '2025-01-01T01:00:00Z',
      '2025-01-01T02:00:00Z',
    ]);
    expect(r('2025-01-01T01:00:00+01:00', '2025-01-01T01:00:00Z', '25m')).toEqual([
      '2025-01-01T00:00:00Z',
      '2025-01-01T00:25:00Z',
      '2025-01-01T00:50:00Z',
    ]);
    expect(r('2025-03-01T00:00:00Z', '2025-03-03T00:00:00Z', 'P1D')).toEqual([
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    ]);
    expect([parseStep('15min'), parseStep('PT1H30M'), parseStep('30s'), parseStep('1w'), parseStep('0h')]).toEqual([
      900000,
      5400000,
      30000,
      undefined,
      0,
    ]);
    expect(normaliseTime('2025-06-01T12:00:00.250-02:30')).toEqual({ ok: true, value: '2025-06-01T14:30:00.250Z' });
  });

  test('time_range in defaults and scenarios; both forms at once is an error', () => {
    const s = load(
      'defaults:\n  time_range: {start: "2025-01-01T00:00:00Z", end: "2025-01-02T00:00:00Z", step: 1h}\nscenarios:\n  - scenario_id: day\n  - scenario_id: two\n    time_range: {start: "2025-01-01T00:00:00Z", end: "2025-01-01T02:00:00Z", step: 1h}\n',
    ).scenarios;
    expect(s[0].timeSlices).toHaveLength(24);
    expect(s[0].timeSlices[23]).toBe('2025-01-01T23:00:00Z');
    expect(s[1].timeSlices).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z']);
    let err = inputError(() =>
      load(
        'scenarios:\n  - scenario_id: a\n    time_slices: ["2025-01-01T00:00:00Z"]\n    time_range: {start: "2025-01-01T00:00:00Z", end: "2025-01-01T02:00:00Z", step: 1h}\n',
      ),
    );
    expect([err.key, err.line]).toEqual(['scenarios[0].time_range', 6]);
    expect(err.message).toMatch(/either time_slices or time_range/);
    err = inputError(() =>
      load(
        'defaults: {time_range: {start: "2025-01-02T00:00:00Z", end: "2025-01-01T00:00:00Z", step: 1h}}\nscenarios: [{scenario_id: a}]\n',
      ),
    );
    expect(err.key).toBe('defaults.time_range.end');
    err = inputError(() =>
      load(
        'defaults: {time_range: {start: "2025-01-01T00:00:00Z", end: "2025-01-02T00:00:00Z", step: soon}}\nscenarios: [{scenario_id: a}]\n',
      ),
    );
    expect(err.message).toMatch(/'soon' is not a positive duration/);
  });
});

describe('profiles', () => {
  test('long CSV, multipliers: loaded, checked, applied per time slice', () => {
    const { study, grid } = loadStudy(join(PROF, 'study-long.yaml'));
    const p = study.profiles;
    expect(p).toBeDefined();
    if (!p) return;
    expect(p.file).toBe(join(PROF, 'loads-long.csv'));
    expect(p.kind).toBe('multiplier');
    expect(p.times).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z']);
    expect(p.series).toEqual([
      { element: 'load', id: 2, field: 'p' },
      { element: 'load', id: 2, field: 'q' },
      { element: 'load', id: 3, field: 'p' },
      { element: 'gen', id: 2, field: 'pmax' },
    ]);
    const peak = study.scenarios[1];
    const t0 = applyScenario(grid, peak, '2025-01-01T00:00:00Z', p);
    expect(t0.bus.Pd[1]).toBeCloseTo(21.7 * 0.5 * 1.1, 12);
    expect(t0.bus.Qd[1]).toBeCloseTo(12.7 * 0.5 * 1.1, 12);
    expect(t0.bus.Pd[2]).toBeCloseTo(94.2 * 1.1, 12);
    const t2 = applyScenario(grid, peak, '2025-01-01T02:00:00+00:00', p);
    expect(t2.bus.Pd[1]).toBeCloseTo(21.7 * 1.1, 12);
    expect(t2.bus.Pd[2]).toBeCloseTo(94.2 * 2 * 1.1, 12);
    expect(t2.gen.Pmax[1]).toBe(70);
    // time null: no profile applied
    expect(applyScenario(grid, peak, null, p).bus.Pd[1]).toBeCloseTo(21.7 * 1.1, 12);
    // the base network is untouched
    expect(grid.bus.Pd[1]).toBe(21.7);
    const err = inputError(() => applyScenario(grid, peak, '2025-01-01T09:00:00Z', p));
    expect(err.file).toBe(p.file);
    expect(err.message).toMatch(/time 2025-01-01T09:00:00Z is not in the profile/);
  });

  test('wide CSV, absolute values; empty cell = no value', () => {
    const { study, grid } = loadStudy(join(PROF, 'study-wide.yaml'));
    const p = study.profiles;
    const grow = study.scenarios[1];
    const t1 = applyScenario(grid, grow, '2025-01-01T01:00:00Z', p);
    expect(t1.bus.Pd[1]).toBe(80); // 40 MW from the profile, then load_scale 2
    expect(t1.bus.Qd[1]).toBeCloseTo(12.7 * 2, 12); // no value at 01:00: case value, scaled
    expect(t1.gen.Pg[0]).toBe(210);
  });

  test('a time slice missing from the profile is an error at the spec key profiles.file, naming the profile and the time', () => {
    const err = inputError(() => loadSpec(join(PROF, 'study-missing.yaml')));
    expect([err.file, err.key, err.line]).toEqual([join(PROF, 'study-missing.yaml'), 'profiles.file', 4]);
    expect(err.message).toMatch(/time 2025-01-01T05:00:00Z of scenario 'late' is not in the profile loads-long.csv/);
  });

  test.each([
    ['time,element,field,value\n2025-01-01T00:00:00Z,load:99,p,1\n', 2, /bus 99 is not in the grid/],
    ['time,element,field,value\n2025-01-01T00:00:00Z,load:2,pmax,1\n', 2, /field 'pmax' is not one of p, q for a load/],
    ['time,element,field,value\n2025-01-01T00:00:00Z,gen:6,p,1\n', 2, /gen row 6 is out of range/],
    ['time,element,field,value\n2025-01-01T00:00:00Z,load:2,p,abc\n', 2, /value 'abc' is not a finite number/],
    [
      'time,element,field,value\n2025-01-01T00:00:00Z,load:2,p,1\n2025-01-01T00:00:00Z,load:2,p,2\n',
      3,
      /given twice \(first at line 2\)/,
    ],
    ['time,element,field,value\nnoon,load:2,p,1\n', 2, /'noon' is not an RFC 3339 date-time/],
    ['when,load:2:p\n2025-01-01T00:00:00Z,1\n', 1, /unrecognised header/],
    ['time,load:2:p,bus:3:p\n', 1, /column 'bus:3:p': expected load:<bus>/],
    ['time,load:2:p\n2025-01-01T00:00:00Z,1,2\n', 2, /row has 3 columns, the header has 2/],
    ['time,element,field,value\n2025-01-01T00:00:00Z,load:2,p,"1\n', 2, /quoted field is not closed/],
  ])('bad profile case %#', (csv, line, why) => {
    const d = tempDir();
    writeSpec(d, 'p.csv', csv);
    const spec = writeSpec(
      d,
      's.yaml',
      head(
        'profiles: {file: p.csv}\ndefaults: {time_slices: ["2025-01-01T00:00:00Z"]}\nscenarios: [{scenario_id: a}]\n',
      ),
    );
    const err = inputError(() => loadSpec(spec));
    expect(err.file).toBe(join(d, 'p.csv'));
    expect(err.line).toBe(line);
    expect(err.message).toMatch(why);
  });

  test('a missing profile file, Parquet or CSV, is a clear error at profiles.file', () => {
    const d = tempDir();
    let err = inputError(() =>
      loadSpec(writeSpec(d, 's.yaml', head('profiles: {file: p.parquet}\nscenarios: [{scenario_id: a}]\n'))),
    );
    expect(err.message).toMatch(/s\.yaml:\d+ at profiles\.file: .*p\.parquet: profile file not found/);
    err = inputError(() =>
      loadSpec(writeSpec(d, 's2.yaml', head('profiles: {file: nope.csv}\nscenarios: [{scenario_id: a}]\n'))),
    );
    expect(err.message).toMatch(/profile file not found/);
    expect(readCaseFile(CASE14).bus.n).toBe(14);
  });
});
