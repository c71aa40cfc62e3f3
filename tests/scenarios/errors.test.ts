import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec } from '../../src/scenarios';
import { CASE14, head, inputError, tempDir, writeSpec } from './helpers';

const dir = tempDir();
let n = 0;
/** Loads YAML text written to a fresh file; returns the InputError it raises. */
function fails(text: string, name = `s${n++}.yaml`) {
  const file = writeSpec(dir, name, text);
  return { file, err: inputError(() => loadSpec(file)) };
}

describe('spec errors name the file, the line and the key path', () => {
  test('unknown key deep in the spec: key path, line, allowed keys', () => {
    const { file, err } = fails(
      head(`scenarios:
  - scenario_id: a
  - scenario_id: b
    outages:
      - type: branch
        id: 3
        reason: maintenance
`),
    );
    expect(err.file).toBe(file);
    expect(err.key).toBe('scenarios[1].outages[0].reason');
    expect(err.line).toBe(9);
    expect(err.message).toContain("unknown key 'reason'");
    expect(err.message).toContain('allowed here: type, id');
    expect(err.message).toContain(`${file}:9 at scenarios[1].outages[0].reason`);
  });

  test('a misspelt key gets a suggestion', () => {
    const { err } = fails(head('defaults:\n  load_scal: 1.1\nscenarios: [{scenario_id: a}]\n'));
    expect(err.key).toBe('defaults.load_scal');
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/did you mean 'load_scale'\?/);
  });

  test('unknown top-level key and unknown generator key', () => {
    expect(fails(head('scenario: []\n')).err.message).toMatch(/unknown key 'scenario'; did you mean 'scenarios'/);
    const { err } = fails(
      head('generators:\n  - type: n_minus_1\n    elements: [branch]\n    filters: {min_rate_a: 1}\n'),
    );
    expect(err.key).toBe('generators[0].filters');
    expect(err.message).toMatch(/did you mean 'filter'/);
  });

  test('wrong values: outage type, negative scale, NaN, generator type, missing scenario_id', () => {
    let e = fails(head('scenarios:\n  - scenario_id: a\n    outages: [{type: line, id: 1}]\n')).err;
    expect(e.key).toBe('scenarios[0].outages[0].type');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/outage type must be branch, gen or bus, got "line"/);
    e = fails(head('scenarios:\n  - scenario_id: a\n    load_scale: -1\n')).err;
    expect([e.key, e.line]).toEqual(['scenarios[0].load_scale', 5]);
    expect(e.message).toMatch(/>= 0/);
    e = fails(head('defaults: {load_scale: .nan}\nscenarios: [{scenario_id: a}]\n')).err;
    expect(e.key).toBe('defaults.load_scale');
    expect(e.message).toMatch(/finite number/);
    e = fails(head('generators: [{type: n_minus_2}]\n')).err;
    expect(e.key).toBe('generators[0].type');
    expect(e.message).toMatch(/n_minus_1, n_minus_k, random_outages, load_perturbation or cartesian/);
    e = fails(head('scenarios:\n  - description: no id\n')).err;
    expect(e.key).toBe('scenarios[0].scenario_id');
    expect(e.message).toMatch(/scenario_id is required/);
    e = fails(head('scenarios: [{scenario_id: a, metadata: {x: .inf}}]\n')).err;
    expect(e.key).toBe('scenarios[0].metadata.x');
  });

  test('YAML and JSON syntax errors, duplicate keys, empty file, not a mapping', () => {
    let e = fails(head('scenarios:\n  - scenario_id: a\n   bad indent: [\n'), 'syntax.yaml').err;
    expect(e.message).toMatch(/invalid YAML/);
    expect(e.line).toBeGreaterThanOrEqual(4);
    e = fails(head('defaults: {weight: 1}\ndefaults: {weight: 2}\nscenarios: [{scenario_id: a}]\n')).err;
    expect(e.message).toMatch(/invalid YAML.*unique/i);
    expect(e.line).toBe(4);
    e = fails('{\n  "version": 1,\n  "grid_file": "x.m",\n  "scenarios": [,]\n}\n', 'bad.json').err;
    expect(e.message).toMatch(/invalid JSON/);
    expect(e.line).toBe(4);
    expect(fails('  \n', 'empty.yaml').err.message).toMatch(/empty/);
    expect(fails('- a\n- b\n', 'list.yaml').err.message).toMatch(/mapping/);
  });

  test('YAML alias bombs are rejected', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const { err } = fails(`${bomb.join('\n')}\nversion: 1\n`, 'bomb.yaml');
    expect(err.message).toMatch(/alias/i);
  });

  test('spec files over 10 MiB are refused before parsing', () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(10 * 1024 * 1024)}\nversion: 1\n`);
    expect(inputError(() => loadSpec(file)).message).toMatch(/over the limit of 10485760 \(10 MiB\)/);
  });

  test('duplicate scenario ids name both sources', () => {
    let e = fails(head('scenarios:\n  - scenario_id: peak\n  - scenario_id: off\n  - scenario_id: peak\n')).err;
    expect(e.key).toBe('scenarios[2].scenario_id');
    expect(e.line).toBe(6);
    expect(e.message).toMatch(
      /duplicate scenario id 'peak': produced by scenarios\[0\] \(.*:4\) and by scenarios\[2\] \(.*:6\)/,
    );
    e = fails(
      head('scenarios:\n  - scenario_id: n-1_branch_3\ngenerators:\n  - {type: n_minus_1, elements: [branch]}\n'),
    ).err;
    expect(e.message).toMatch(
      /duplicate scenario id 'n-1_branch_3': produced by scenarios\[0\].* and by generators\[0\] \(n_minus_1, branch 3 \(2-3\)\)/,
    );
    e = fails(head('include_base: true\nscenarios: [{scenario_id: base}]\n')).err;
    expect(e.message).toMatch(/duplicate scenario id 'base': produced by include_base/);
  });

  test.each([
    ['../x', /contains '\.\.'/],
    ['a/b', /path separator/],
    ['a\\\\b', /path separator/],
    ['.', /current folder/],
    ['', /empty/],
    ['a b', /contains " "/],
    ['x'.repeat(129), /129 characters long, over the limit of 128/],
  ])('unsafe id %j is rejected with the reason', (id, why) => {
    const { err } = fails(head(`scenarios:\n  - scenario_id: "${id}"\n`));
    expect(err.key).toBe('scenarios[0].scenario_id');
    expect(err.message).toMatch(/is not safe/);
    expect(err.message).toMatch(why);
  });

  test('unsafe ids from a template', () => {
    const { err } = fails(
      head('generators:\n  - {type: cartesian, factors: {load_scale: [1]}, id_template: "../{load_scale}"}\n'),
    );
    expect(err.key).toBe('generators[0].id_template');
    expect(err.message).toMatch(/generators\[0\] \(cartesian, load_scale=1\): scenario id '\.\.\/1' is not safe/);
  });

  test.each([
    ['branch', '21', /branch row 21 is out of range: the grid has 20 branch rows/],
    ['branch', '0', /numbered from 1/],
    ['branch', 'Branch 1-3', /no branch connects buses 1 and 3/],
    ['branch', 'line_a', /must be a 1-based branch row/],
    ['gen', '6', /gen row 6 is out of range: the grid has 5 gen rows/],
    ['bus', '99', /bus 99 is not in the grid \(14 buses\)/],
  ])('unknown outage id: %s %s', (type, id, why) => {
    const { err } = fails(
      head(
        `scenarios:\n  - scenario_id: ok\n  - scenario_id: bad\n    outages:\n      - {type: branch, id: 1}\n      - {type: ${type}, id: "${id}"}\n`,
      ),
    );
    expect(err.key).toBe('scenarios[1].outages[1].id');
    expect(err.line).toBe(8);
    expect(err.message).toMatch(/unknown outage id/);
    expect(err.message).toMatch(why);
  });

  test('dispatch overrides: unknown gen, Pmin above Pmax, outage + must_run', () => {
    let e = fails(
      head('scenarios:\n  - scenario_id: a\n    dispatch_overrides: [{resource_id: "gen:9", p_max_mw: 1}]\n'),
    ).err;
    expect(e.key).toBe('scenarios[0].dispatch_overrides[0].resource_id');
    expect(e.message).toMatch(/gen row 9 is out of range/);
    e = fails(head('scenarios:\n  - scenario_id: a\n    dispatch_overrides: [{resource_id: 2, p_min_mw: 500}]\n')).err;
    expect(e.message).toMatch(/p_min_mw 500 would exceed p_max_mw 140 \(the case value\)/);
    e = fails(
      head(
        'scenarios:\n  - scenario_id: a\n    outages: [{type: gen, id: 2}]\n    dispatch_overrides: [{resource_id: 2, must_run: true}]\n',
      ),
    ).err;
    expect(e.message).toMatch(/gen 2 is both out of service/);
  });

  test('grid file: missing key, missing file (names the grid_file line)', () => {
    let e = fails('version: 1\nscenarios: [{scenario_id: a}]\n').err;
    expect(e.message).toMatch(/grid_file is missing/);
    e = fails('version: 1\ngrid_file: nowhere.m\nscenarios: [{scenario_id: a}]\n').err;
    expect([e.key, e.line]).toEqual(['grid_file', 2]);
    expect(e.message).toMatch(/nowhere\.m not found/);
  });

  test('time slices: not RFC 3339, no zone, impossible date; job limit', () => {
    let e = fails(
      head('defaults: {time_slices: ["2025-01-01T00:00:00Z", "yesterday"]}\nscenarios: [{scenario_id: a}]\n'),
    ).err;
    expect(e.key).toBe('defaults.time_slices[1]');
    expect(e.message).toMatch(/'yesterday' is not an RFC 3339 date-time/);
    e = fails(head('scenarios: [{scenario_id: a, time_slices: ["2025-01-01 12:00:00"]}]\n')).err;
    expect(e.message).toMatch(/add a zone/);
    e = fails(head('scenarios: [{scenario_id: a, time_slices: ["2025-02-30T00:00:00Z"]}]\n')).err;
    expect(e.message).toMatch(/no such day/);
    e = fails(
      head(
        'defaults: {time_range: {start: "2025-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z", step: 1m}}\nscenarios: [{scenario_id: a}]\n',
      ),
    ).err;
    expect(e.key).toBe('defaults.time_range.step');
    expect(e.message).toMatch(/1051200 time slices, over the limit of 1048576/);
    e = fails(
      head(
        'defaults: {time_range: {start: "2025-01-01T00:00:00Z", end: "2025-02-01T00:00:00Z", step: 1h}}\ngenerators: [{type: load_perturbation, samples: 2000, seed: 1, global_range: [0.9, 1.1]}]\n',
      ),
    ).err;
    expect(e.key).toBe('generators[0].samples');
    expect(e.message).toMatch(/more than 1,048,576 jobs/);
  });

  test('JSON specs: unknown key with its line; gridFile option overrides grid_file', () => {
    const text = `{\n  "version": 1,\n  "grid_file": "missing.m",\n  "scenarios": [\n    {"scenario_id": "a",\n     "loadscale": 1.1}\n  ]\n}\n`;
    const { err } = fails(text, 'spec.json');
    expect([err.key, err.line]).toEqual(['scenarios[0].loadscale', 6]);
    expect(err.message).toMatch(/did you mean 'load_scale'/);
    const ok = writeSpec(dir, 'ok.json', text.replace('"loadscale"', '"load_scale"'));
    expect(inputError(() => loadSpec(ok)).message).toMatch(/missing\.m not found/);
    const study = loadSpec(ok, { gridFile: CASE14 });
    expect(study.gridFile).toBe(CASE14);
    expect(study.scenarios[0].loadScale).toBe(1.1);
  });

  test('a spec without scenarios, and an unknown subset id', () => {
    expect(fails(head('defaults: {weight: 1}\n')).err.message).toMatch(/defines no scenarios/);
    const file = writeSpec(
      dir,
      'subset.yaml',
      head('scenarios: [{scenario_id: a}, {scenario_id: b}, {scenario_id: c}]\n'),
    );
    expect(loadSpec(file, { scenarios: ['c', 'a'] }).scenarios.map((s) => s.scenarioId)).toEqual(['a', 'c']);
    expect(inputError(() => loadSpec(file, { scenarios: ['zz'] })).message).toMatch(
      /no scenario 'zz'; it has 3 scenarios, e\.g\. a, b, c/,
    );
  });
});
