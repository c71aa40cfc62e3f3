import { readFileSync } from 'node:fs';
import { findIslands, loadSpec } from '../../src/scenarios';
import { IslandChecker, islandsWithOutages } from '../../src/scenarios/islands';
import { parseCase, readCaseFile } from '../../src/grid/matpower-case';
import { Network, cloneNetwork } from '../../src/grid/network';
import { CASE118, CASE14, tempDir, writeSpec } from './helpers';

/** Reference: take the branch out of a clone and run the plain union-find. */
function bruteForce(net: Network, row: number) {
  const c = cloneNetwork(net);
  c.branch.status[row] = 0;
  return findIslands(c);
}

describe('island checks', () => {
  test.each([
    ['case14', CASE14],
    ['case118', CASE118],
  ])('%s: the bridge shortcut agrees with a full union-find for every single-branch outage', (_name, file) => {
    const net = readCaseFile(file);
    const checker = new IslandChecker(net);
    let islanding = 0;
    for (let l = 0; l < net.branch.n; l++) {
      const fast = checker.check(new Set([l]), new Set());
      expect(fast).toEqual(bruteForce(net, l));
      if (!fast.ok) islanding++;
    }
    expect(islanding).toBe(file === CASE14 ? 1 : 9);
  });

  test('parallel branches are not bridges; multi-branch and bus outages use the full check', () => {
    const text = readFileSync(CASE14, 'utf8').replace(
      '\t7\t8\t0\t0.17615\t0\t0\t0\t0\t0\t0\t1\t-360\t360;',
      '\t7\t8\t0\t0.17615\t0\t0\t0\t0\t0\t0\t1\t-360\t360;\n\t7\t8\t0\t0.2\t0\t0\t0\t0\t0\t0\t1\t-360\t360;',
    );
    const net = parseCase(text, 'case14-parallel.m');
    expect(net.branch.n).toBe(21);
    const checker = new IslandChecker(net);
    expect(checker.check(new Set([13]), new Set())).toEqual({ ok: true });
    expect(checker.check(new Set([13, 14]), new Set())).toEqual({ ok: false, cutOff: [8] });
    const bus7 = net.busIndex.get(7) as number;
    expect(islandsWithOutages(net, new Set(), new Set([bus7]))).toEqual({ ok: false, cutOff: [8] });
  });

  test('a base case that is already split is reported as such', () => {
    const dir = tempDir();
    const text = readFileSync(CASE14, 'utf8').replace(
      '\t7\t8\t0\t0.17615\t0\t0\t0\t0\t0\t0\t1\t-360\t360;',
      '\t7\t8\t0\t0.17615\t0\t0\t0\t0\t0\t0\t0\t-360\t360;',
    );
    writeSpec(dir, 'split.m', text);
    const s = loadSpec(writeSpec(dir, 's.yaml', 'grid_file: split.m\ninclude_base: true\n')).scenarios[0];
    expect(s.islanding).toBe(
      'the base network is already split: bus 8 is not connected to a reference bus through in-service branches',
    );
  });
});
