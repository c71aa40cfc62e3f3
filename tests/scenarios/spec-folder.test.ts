/** A folder of specs as one study (`--spec dir/`): ids kept distinct, bases skipped, one grid. */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateCommand } from '../../src/cli/validate';
import { materializeStudy } from '../../src/activities/materialize';
import { readScenarioManifest } from '../../src/io/scenario-manifest';
import { loadSpec } from '../../src/scenarios';
import { capture } from '../helpers/cli';
import { CASE118, CASE14, inputError, tempDir, writeSpec } from './helpers';

function library(): string {
  const dir = join(tempDir(), 'library');
  mkdirSync(dir);
  const grid = JSON.stringify(CASE14);
  writeSpec(dir, 'common.yaml', `version: 1\ngrid_file: ${grid}\ndefaults: {time_slices: ["2025-01-01T00:00:00Z"]}\n`);
  writeSpec(
    dir,
    'n1.yaml',
    `extends: common.yaml\ninclude_base: true\ngenerators: [{type: n_minus_1, elements: [branch], filter: {ids: [1, 2]}}]\n`,
  );
  writeSpec(
    dir,
    'peak.yaml',
    `version: 1\ngrid_file: ${grid}\nscenarios: [{scenario_id: base, load_scale: 1.2}, {scenario_id: n-1_branch_1, outages: [{type: branch, id: 1}]}]\n`,
  );
  writeSpec(dir, 'notes.txt', 'not a spec');
  return dir;
}

describe('--spec dir/', () => {
  test('every spec of the folder, in file order, ids prefixed by the file stem; a base that others extend is not a study', () => {
    const s = loadSpec(library());
    expect(s.scenarios.map((x) => x.scenarioId)).toEqual([
      'n1.base',
      'n1.n-1_branch_1',
      'n1.n-1_branch_2',
      'peak.base',
      'peak.n-1_branch_1',
    ]);
    expect(s.specFiles?.map((f) => f.split('/').pop())).toEqual(['n1.yaml', 'peak.yaml']);
    expect(s.scenarios.find((x) => x.scenarioId === 'peak.base')?.loadScale).toBe(1.2);
    expect(new Set(s.scenarios.map((x) => x.hash)).size).toBe(5);
  });

  test('--scenarios picks by the prefixed ids; an unprefixed id is an error that shows the form', () => {
    expect(loadSpec(library(), { scenarios: ['peak.base'] }).scenarios).toHaveLength(1);
    expect(inputError(() => loadSpec(library(), { scenarios: ['base'] })).message).toMatch(
      /its ids are <file stem>\.<id>, e\.g\. n1\.base/,
    );
  });

  test('files naming another grid are an error naming the file', () => {
    const dir = library();
    writeSpec(dir, 'zz-other.yaml', `version: 1\ngrid_file: ${JSON.stringify(CASE118)}\ninclude_base: true\n`);
    const e = inputError(() => loadSpec(dir));
    expect(e.file).toBe(join(dir, 'zz-other.yaml'));
    expect(e.message).toMatch(/grid_file differs from n1\.yaml's/);
  });

  test('materialize copies every spec of the folder and writes the joined scenarios; validate prints them', async () => {
    const dir = library();
    const out = join(tempDir(), 'out');
    const r = materializeStudy({ batchId: 'folder', specPath: dir, outDir: out, task: 'pf_dc' });
    expect(r).toMatchObject({ scenarios: 5, jobs: 5 });
    expect(
      readdirSync(join(out, 'inputs'))
        .filter((f) => f.startsWith('spec-'))
        .sort(),
    ).toEqual(['spec-n1.yaml', 'spec-peak.yaml']);
    expect(readScenarioManifest(out).scenarios.map((s) => s.scenarioId)).toContain('peak.n-1_branch_1');
    const v = await capture(() => validateCommand({ spec: dir, json: true }));
    expect(JSON.parse(v.out)).toMatchObject({ scenarios: 5, jobs: 5 });
    expect(existsSync(join(out, 'scenario_manifest.json'))).toBe(true);
  });
});
