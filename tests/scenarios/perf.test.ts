import { loadSpec, previewStudy } from '../../src/scenarios';
import { CASE118, tempDir, writeSpec } from './helpers';

/**
 * Large specs expand correctly; the time is printed, not asserted (speed is shown by
 * `client.ts validate` on these specs and by the benchmarks, never by timed tests).
 */
function timed<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  // eslint-disable-next-line no-console
  console.log(`${label}: ${ms.toFixed(0)} ms`);
  return out;
}

describe('large specs expand (time printed)', () => {
  const dir = tempDir();

  test('case118: N-1 over 186 branches + 4,167 load perturbations, x 24 hourly slices = 104,472 jobs', () => {
    const spec = writeSpec(
      dir,
      'big.yaml',
      `version: 1
grid_file: ${JSON.stringify(CASE118)}
defaults:
  time_range: {start: "2025-01-01T00:00:00Z", end: "2025-01-02T00:00:00Z", step: 1h}
generators:
  - {type: n_minus_1, elements: [branch]}
  - {type: load_perturbation, samples: 4167, seed: 2024, global_range: [0.8, 1.2], local_noise: 0.05}
`,
    );
    const study = timed('case118 N-1 + 4,167 samples x 24 h', () => loadSpec(spec));
    const p = previewStudy(study);
    expect(p.scenarios).toBe(186 + 4167);
    expect(p.jobs).toBe((186 + 4167) * 24);
    expect(p.sampleIds).toEqual([
      'n-1_branch_1',
      'n-1_branch_2',
      'n-1_branch_3',
      'n-1_branch_4',
      'n-1_branch_5',
      'sample_4162',
      'sample_4163',
      'sample_4164',
      'sample_4165',
      'sample_4166',
    ]);
    const islanding = study.scenarios.filter((s) => s.islanding).length;
    // eslint-disable-next-line no-console
    console.log(`case118 N-1: ${islanding} of 186 branch outages island the network`);
    expect(islanding).toBeGreaterThan(0);
  });

  test('100,000 perturbation scenarios (one job each) on case118', () => {
    const spec = writeSpec(
      dir,
      'samples.yaml',
      `version: 1
grid_file: ${JSON.stringify(CASE118)}
generators:
  - {type: load_perturbation, samples: 100000, seed: 7, global_range: [0.7, 1.3], local_noise: 0.1, id_template: "s{index|zfill:6}"}
`,
    );
    const study = timed('case118 100,000 samples', () => loadSpec(spec));
    expect(previewStudy(study).jobs).toBe(100_000);
    expect(new Set(study.scenarios.map((s) => s.hash)).size).toBe(100_000);
  });
});
