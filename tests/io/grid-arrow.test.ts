/** The base grid's Arrow IPC files round-trip every column, name and cost of a case. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGridArrow, writeGridArrow } from '../../src/io/grid-arrow';
import { readCaseFile } from '../../src/grid/matpower-case';
import { casePath } from '../helpers/cases';

describe('grid as Arrow IPC', () => {
  for (const name of ['case14', 'pglib_opf_case118_ieee', 't_case9_pf']) {
    test(`${name} round-trips`, () => {
      const net = readCaseFile(casePath(name));
      const dir = mkdtempSync(join(tmpdir(), 'grid-arrow-'));
      expect(writeGridArrow(net, dir)).toHaveLength(4);
      const back = readGridArrow(dir);
      expect(back.name).toBe(net.name);
      expect(back.baseMVA).toBe(net.baseMVA);
      expect(back.bus).toEqual(net.bus);
      expect(back.gen).toEqual(net.gen);
      expect(back.branch).toEqual(net.branch);
      expect(back.gencost).toEqual(net.gencost);
      expect(back.busName).toEqual(net.busName);
      expect(back.genFuel).toEqual(net.genFuel);
      expect([...back.busIndex]).toEqual([...net.busIndex]);
    });
  }
});
