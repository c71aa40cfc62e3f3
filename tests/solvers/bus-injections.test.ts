/**
 * Bus injections summed row by row (src/solvers/bus-injections.ts) are bit for bit those of the
 * column pass (zcscMulVec, then V .* conj(I)), buses with V = 0 included; a pattern that is not
 * structurally symmetric is refused, and large ones take the column pass.
 */
import { join } from 'node:path';
import { readCaseFile } from '../../src/grid/matpower-case';
import { busInjectionsByRows, rowPositions, transposedPositions } from '../../src/solvers/bus-injections';
import { elementStatus } from '../../src/solvers/bustypes';
import { makeYbus } from '../../src/solvers/makeYbus';
import { ZCsc, zcscMulVec, zvec } from '../../src/solvers/sparse/zcsc';
import { CASES_DIR as CASES } from '../helpers/cases';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('bus injections by rows', () => {
  it.each(['case118', 'case1354pegase', 'case9241pegase'])('%s: the column pass bit for bit', (name) => {
    const net = readCaseFile(join(CASES, `${name}.m`));
    const { Ybus } = makeYbus(net, elementStatus(net));
    const tpos = transposedPositions(Ybus);
    expect(tpos).not.toBeNull();
    // the solver takes the row pass on the two smaller cases only (ROWS_MAX_NNZ)
    expect(rowPositions(Ybus) === null).toBe(name === 'case9241pegase');
    const n = Ybus.n;
    const V = zvec(n);
    for (let i = 0; i < n; i++) {
      const vm = i % 17 === 0 ? 0 : 0.9 + 0.2 * Math.abs(Math.sin(7 * i));
      V.re[i] = vm * Math.cos(0.3 * Math.sin(i));
      V.im[i] = vm * Math.sin(0.3 * Math.sin(i));
    }
    const I = zcscMulVec(Ybus, V);
    const S = zvec(n);
    for (let i = 0; i < n; i++) {
      S.re[i] = V.re[i] * I.re[i] + V.im[i] * I.im[i];
      S.im[i] = V.im[i] * I.re[i] - V.re[i] * I.im[i];
    }
    const I2 = zvec(n),
      S2 = zvec(n);
    busInjectionsByRows(Ybus, tpos as Int32Array, V, I2, S2);
    expect(bits(I2.re).equals(bits(I.re)) && bits(I2.im).equals(bits(I.im))).toBe(true);
    expect(bits(S2.re).equals(bits(S.re)) && bits(S2.im).equals(bits(S.im))).toBe(true);
  });

  it('refuses a pattern that is not structurally symmetric', () => {
    // 2 x 2 with (1, 0) stored but not (0, 1)
    const A: ZCsc = {
      m: 2,
      n: 2,
      colPtr: Int32Array.from([0, 2, 3]),
      rowIdx: Int32Array.from([0, 1, 1]),
      re: Float64Array.from([1, 2, 3]),
      im: new Float64Array(3),
    };
    expect(transposedPositions(A)).toBeNull();
    expect(rowPositions(A)).toBeNull();
  });
});
