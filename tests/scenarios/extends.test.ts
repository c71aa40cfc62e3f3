import { join } from 'node:path';
import { loadSpec } from '../../src/scenarios';
import { CASE14, FIXTURES, inputError, tempDir, writeSpec } from './helpers';

const EXT = join(FIXTURES, 'extends');

describe('extends', () => {
  test('child overrides defaults, replaces same-id scenarios and same-name generators, appends the rest', () => {
    const study = loadSpec(join(EXT, 'child.yaml'));
    expect(study.specFile).toBe(join(EXT, 'child.yaml'));
    expect(study.gridFile).toBe(CASE14); // relative to the BASE file's folder
    const ids = study.scenarios.map((s) => s.scenarioId);
    expect(ids).toEqual([
      'base',
      'peak',
      'valley',
      'storm',
      'n1_gen_1',
      'n1_gen_2',
      'n1_gen_3',
      'n1_gen_4',
      'n1_gen_5',
      'ls=0.9',
      'ls=1.1',
    ]);
    const by = Object.fromEntries(study.scenarios.map((s) => [s.scenarioId, s]));
    expect(by.base.loadScale).toBe(1.1); // child's default
    expect(by.valley.loadScale).toBe(0.6); // base's own value
    expect(by.peak).toMatchObject({ loadScale: 1.3, description: 'hotter peak' });
    expect(by.base.tags).toEqual(['base-study']);
    expect(by.base.metadata).toEqual({ owner: 'planning' });
    // the child's time_range replaces the base's time_slices
    expect(by.base.timeSlices).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z']);
    expect(by.storm.islanding).toMatch(/bus 8 is not connected/);
  });

  test('extends cycles are detected and named', () => {
    const err = inputError(() => loadSpec(join(EXT, 'cycle-a.yaml')));
    expect(err.message).toMatch(/extends cycle: .*cycle-a\.yaml -> .*cycle-b\.yaml -> .*cycle-a\.yaml/);
    expect(err.file).toBe(join(EXT, 'cycle-b.yaml'));
    expect([err.key, err.line]).toEqual(['extends', 2]);
    const dir = tempDir();
    const self = writeSpec(dir, 'self.yaml', 'extends: self.yaml\n');
    expect(inputError(() => loadSpec(self)).message).toMatch(/extends cycle/);
  });

  test('errors inside a base file name the base file and its line', () => {
    const dir = tempDir();
    writeSpec(
      dir,
      'base.yaml',
      `grid_file: ${JSON.stringify(CASE14)}\nscenarios:\n  - scenario_id: a\n  - scenario_id: b\n    outages: [{type: bus, id: 77}]\n`,
    );
    const child = writeSpec(dir, 'child.yaml', 'extends: base.yaml\nscenarios:\n  - scenario_id: c\n');
    let err = inputError(() => loadSpec(child));
    expect(err.file).toBe(join(dir, 'base.yaml'));
    expect([err.key, err.line]).toEqual(['scenarios[1].outages[0].id', 5]);
    writeSpec(dir, 'bad.yaml', 'version: 1\ndefaults:\n  wieght: 2\n');
    err = inputError(() => loadSpec(writeSpec(dir, 'c2.yaml', 'extends: bad.yaml\n')));
    expect(err.file).toBe(join(dir, 'bad.yaml'));
    expect(err.key).toBe('defaults.wieght');
    err = inputError(() => loadSpec(writeSpec(dir, 'c3.yaml', 'extends: missing.yaml\n')));
    expect(err.file).toBe(join(dir, 'c3.yaml'));
    expect(err.message).toMatch(/base spec .*missing\.yaml not found/);
  });

  test('null in the child removes the base value; a duplicate id from the child is still caught', () => {
    const dir = tempDir();
    writeSpec(
      dir,
      'base.yaml',
      `grid_file: ${JSON.stringify(CASE14)}\ndefaults: {tags: [x], weight: 3}\nscenarios: [{scenario_id: a}]\n`,
    );
    const s = loadSpec(writeSpec(dir, 'child.yaml', 'extends: base.yaml\ndefaults: {tags: null}\n')).scenarios[0];
    expect(s.tags).toEqual([]);
    expect(s.weight).toBe(3);
    const err = inputError(() =>
      loadSpec(writeSpec(dir, 'dup.yaml', 'extends: base.yaml\nscenarios: [{scenario_id: a}, {scenario_id: a}]\n')),
    );
    expect(err.message).toMatch(/duplicate scenario id 'a'/);
    expect(err.file).toBe(join(dir, 'dup.yaml'));
  });
});
