/** start-batch options of the contingency-study issue: default --out, --screen, --job-timeout (no server). */
import { resolve } from 'node:path';
import { buildStudyInput, defaultOutDir, screenOption } from '../../src/cli/study-input';
import { solverSettings } from '../../src/cli/study-options';

const EXAMPLE = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');

describe('start-batch options', () => {
  test('without --out the folder is out/<spec>-<task>-<UTC timestamp>: two runs a second apart never share it', () => {
    expect(defaultOutDir('/x/examples/case14-n1.yaml', 'pf_ac', new Date('2026-11-30T11:20:05.123Z'))).toBe(
      'out/case14-n1-pf_ac-20261130T112005Z',
    );
    expect(defaultOutDir('/x/a.yaml', 'pf_dc', new Date('2026-11-30T11:20:06Z'))).not.toBe(
      defaultOutDir('/x/a.yaml', 'pf_dc', new Date('2026-11-30T11:20:05Z')),
    );
    const { input } = buildStudyInput({ spec: EXAMPLE, task: 'pf_dc', wait: false }, false);
    expect(input.outDir).toMatch(/\/out\/case14-n1-pf_dc-\d{8}T\d{6}Z$/);
  });

  test('--screen dc needs a positive --screen-top; other screens and a lone --screen-top are usage errors', () => {
    expect(screenOption({ screen: 'dc', screenTop: 50 })).toEqual({ task: 'pf_dc', top: 50 });
    expect(screenOption({})).toBeUndefined();
    expect(() => screenOption({ screen: 'ac', screenTop: 5 })).toThrow("--screen must be dc (got 'ac')");
    expect(() => screenOption({ screen: 'dc' })).toThrow('--screen dc needs --screen-top K, a positive integer');
    expect(() => screenOption({ screenTop: 5 })).toThrow('--screen-top needs --screen dc');
  });

  test('--job-timeout becomes solver.jobTimeoutS; a non-positive value is a usage error', () => {
    expect(solverSettings({ jobTimeout: 2.5 })).toEqual({ jobTimeoutS: 2.5 });
    expect(() => solverSettings({ jobTimeout: 0 })).toThrow('--job-timeout must be a positive number of seconds');
  });
});
