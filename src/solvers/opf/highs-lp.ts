/**
 * Linear programs through HiGHS (npm `highs`, WebAssembly). Loading the WebAssembly module
 * is asynchronous; solving is synchronous. `loadHighs()` loads it once per process (or worker
 * thread); until then `highsIfLoaded()` returns null and callers fall back to MIPS.
 */
import highsLoader from 'highs';
import type { Highs } from 'highs';
import type { Csc } from '../sparse/csc';

let instance: Highs | null = null;
let loading: Promise<Highs> | null = null;

export function loadHighs(): Promise<Highs> {
  if (instance) return Promise.resolve(instance);
  if (!loading) loading = highsLoader().then((h) => (instance = h));
  return loading;
}

export function highsIfLoaded(): Highs | null {
  return instance;
}

export interface LpProblem {
  c: Float64Array;
  offset: number;
  A: Csc;
  l: Float64Array;
  u: Float64Array;
  xmin: Float64Array;
  xmax: Float64Array;
  /** optional convex quadratic term 0.5 x'Hx, H lower triangle or full (CSC) */
  H?: Csc;
}

export interface LpResult {
  /** 'optimal', 'infeasible', 'unbounded', ... (HiGHS model status, lower case) */
  status: string;
  optimal: boolean;
  x: Float64Array;
  f: number;
  /** HiGHS duals: rowDual (d f / d row activity bound), colDual (reduced costs) */
  rowDual: Float64Array;
  colDual: Float64Array;
  iterations: number;
}

const STATUS: Record<number, string> = {
  0: 'not set',
  1: 'load error',
  2: 'model error',
  3: 'presolve error',
  4: 'solve error',
  5: 'postsolve error',
  6: 'empty',
  7: 'optimal',
  8: 'infeasible',
  9: 'unbounded or infeasible',
  10: 'unbounded',
  11: 'objective bound',
  12: 'objective target',
  13: 'time limit',
  14: 'iteration limit',
  15: 'unknown',
};

export function solveLpHighs(
  h: Highs,
  p: LpProblem,
  options: Record<string, string | number | boolean> = {},
): LpResult {
  const inf = h.infinity;
  const fin = (v: Float64Array) => Float64Array.from(v, (x) => (x === Infinity ? inf : x === -Infinity ? -inf : x));
  const model = h.createModel({
    numCols: p.A.n,
    numRows: p.A.m,
    offset: p.offset,
    colCost: p.c,
    colLower: fin(p.xmin),
    colUpper: fin(p.xmax),
    rowLower: fin(p.l),
    rowUpper: fin(p.u),
    matrix: {
      format: 'csc',
      numRows: p.A.m,
      numCols: p.A.n,
      starts: p.A.colPtr,
      indices: p.A.rowIdx,
      values: p.A.values,
    },
    ...(p.H
      ? {
          hessian: {
            format: 'square' as const,
            dimension: p.H.n,
            starts: p.H.colPtr,
            indices: p.H.rowIdx,
            values: p.H.values,
          },
        }
      : {}),
  });
  try {
    model.options.set({ output_flag: false, ...options });
    model.run();
    const code = model.getModelStatus();
    const sol = model.getSolution();
    let iterations = 0;
    try {
      iterations =
        Number(model.info.get('simplex_iteration_count')) +
        Math.max(0, Number(model.info.get('ipm_iteration_count'))) +
        Math.max(0, Number(model.info.get('qp_iteration_count')));
    } catch {
      iterations = 0;
    }
    return {
      status: STATUS[code] ?? `status ${code}`,
      optimal: code === 7,
      x: Float64Array.from(sol.colValue),
      f: model.getObjectiveValue(),
      rowDual: Float64Array.from(sol.rowDual),
      colDual: Float64Array.from(sol.colDual),
      iterations,
    };
  } finally {
    model.dispose();
  }
}
