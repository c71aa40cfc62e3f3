/**
 * The dataset card: <out>/features/croissant.json is valid Croissant for mlcroissant (and fails
 * validation when broken), mlcroissant reads records through it, and README.md states the
 * provenance. Needs python3 with mlcroissant (pip install mlcroissant).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { featurizeBatch } from '../../src/featurize';
import { openStudy } from '../../src/io/study';
import { runLocalBatch } from './local-batch';
import { testWith } from '../helpers/requirements';

const mlcTest = testWith('croissant', 'tests/featurize/dataset-card.test.ts');

function mlcroissant(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('python3', ['-m', 'mlcroissant.scripts.' + args[0], ...args.slice(1)], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('dataset card', () => {
  mlcTest(
    'croissant.json describes every layout, validates, and mlcroissant reads gridfm records through it',
    async () => {
      const out = runLocalBatch('pf_ac', 'card');
      await featurizeBatch(out, { layout: 'both', split: { seed: 5, ratios: [0.6, 0.2, 0.2] } });
      await featurizeBatch(out, { layout: 'gridfm', split: { seed: 5, ratios: [0.6, 0.2, 0.2] } });
      await featurizeBatch(out, { layout: 'opfdata-json', split: { seed: 5, ratios: [0.6, 0.2, 0.2] } });
      const features = join(out, 'features');
      const card = JSON.parse(readFileSync(join(features, 'croissant.json'), 'utf8')) as {
        license: string;
        keywords: string[];
        recordSet: { '@id': string; field: { name: string }[] }[];
        distribution: { '@id': string }[];
      };
      const rec = JSON.parse(readFileSync(join(out, 'run_record.json'), 'utf8')) as {
        inputs: { role: string; sha256: string }[];
        gridbatch_version: string;
      };
      const specSha = rec.inputs.find((i) => i.role === 'spec')!.sha256;
      expect(card.license).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect(card.keywords).toEqual(
        expect.arrayContaining([`spec-sha256:${specSha}`, 'split-seed:5', `gridbatch:${rec.gridbatch_version}`]),
      );
      expect(card.recordSet.map((r) => r['@id'])).toEqual(
        expect.arrayContaining([
          'splits',
          'gnn_nodes',
          'gnn_graphs',
          'opfdata_bus',
          'gridfm_bus_data',
          'gridfm_y_bus_data',
          'opfdata_json_metadata',
        ]),
      );
      expect(card.recordSet.find((r) => r['@id'] === 'gnn_graphs')!.field.map((f) => f.name)).toContain('split');

      const v = mlcroissant(features, 'validate', '--jsonld', 'croissant.json');
      expect(v.out).not.toMatch(/error\(s\)/);
      expect(v.status).toBe(0);
      const l = mlcroissant(
        features,
        'load',
        '--jsonld',
        'croissant.json',
        '--record_set',
        'gridfm_bus_data',
        '--num_records',
        '3',
      );
      expect(l.status).toBe(0);
      expect(l.out).toMatch(
        /'gridfm_bus_data\/scenario': 0, 'gridfm_bus_data\/load_scenario_idx': \d+, 'gridfm_bus_data\/bus': 2,/,
      );

      const readme = readFileSync(join(features, 'README.md'), 'utf8');
      expect(readme).toContain(`spec sha256 ${specSha}`);
      expect(readme).toContain('split seed 5 ratios 0.6/0.2/0.2');
      expect(readme).toContain(`case_name="pglib_opf_case14_ieee", num_groups=1`);
      expect(readme).toContain('Grid licence: CC BY 4.0');
      expect(openStudy(out).task).toBe('pf_ac');

      // a broken card fails validation: a field reading from a file set that does not exist
      const broken = JSON.parse(readFileSync(join(features, 'croissant.json'), 'utf8')) as {
        recordSet: { field: { source: { fileSet: { '@id': string } } }[] }[];
      };
      broken.recordSet[1].field[0].source.fileSet['@id'] = 'no-such-files';
      writeFileSync(join(features, 'broken.json'), JSON.stringify(broken));
      const b = mlcroissant(features, 'validate', '--jsonld', 'broken.json');
      expect(b.status).not.toBe(0);
      expect(b.out).toMatch(/reference to node with UUID "no-such-files"/);
    },
  );
});
