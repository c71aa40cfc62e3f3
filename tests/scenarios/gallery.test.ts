import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyScenario, loadStudy, previewStudy } from '../../src/scenarios';

const GALLERY = resolve(__dirname, '../../examples/specs-gallery');

/** scenarios and jobs each gallery spec is documented (in its README) to give */
const EXPECTED: Record<string, [number, number]> = {
  'gat-compatible.yaml': [3, 6],
  'n1-hourly.yaml': [178, 4272],
  'n1-hourly-summer-peak.yaml': [17, 68],
  'pglearn-perturbation.yaml': [5000, 5000],
  'cartesian-growth.yaml': [12, 12],
  'profile-day.yaml': [3, 72],
  'n2-case118-345kv.yaml': [191, 191],
  'random-outages.yaml': [369, 369],
};

describe('examples/specs-gallery', () => {
  const specs = readdirSync(GALLERY)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();

  test('every spec in the gallery is listed here', () => {
    expect(specs).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(specs)('%s loads and every scenario applies at its first time slice', (name) => {
    const { study, grid } = loadStudy(join(GALLERY, name));
    const p = previewStudy(study);
    expect([p.scenarios, p.jobs]).toEqual(EXPECTED[name]);
    for (const s of study.scenarios.slice(0, 50)) {
      const net = applyScenario(grid, s, s.timeSlices[0] ?? null, study.profiles);
      expect(net.bus.n).toBe(grid.bus.n);
    }
  });
});
