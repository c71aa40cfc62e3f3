/**
 * KLU's symbolic analysis on the merged-column order (amd-blocks.ts) computed by SuiteSparse's
 * own AMD (libamd, which libklu depends on) on the quotient graph: on a power-flow Jacobian
 * that is AMD on the bus graph, about half the work of klu_analyze's AMD on the whole matrix.
 * Returns null for small matrices, when libamd or klu_analyze_given is missing, or when
 * merging finds few identical columns; the caller then uses klu_analyze.
 */
import { orderMerged } from './amd-blocks';
import type { Csc } from './csc';
import { scratchI32 } from '../scratch-slab';

type Fn = (...args: unknown[]) => unknown;

/** Below this order klu_analyze is as fast (the merging costs more than it saves). */
const SMALL = 1000;
let amdOrder: Fn | null | undefined;
let analyzeGiven: Fn | null | undefined;

function bindAmd(): Fn | null {
  if (amdOrder !== undefined) return amdOrder;
  amdOrder = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as { load(p: string): { func(d: string): Fn } };
    for (const name of ['libamd.so.3', 'libamd.so.2', 'libamd.so', 'libamd.dylib']) {
      try {
        amdOrder = koffi
          .load(name)
          .func('int amd_order(int n, int *Ap, int *Ai, _Out_ int *P, double *Control, double *Info)');
        break;
      } catch {
        // next name
      }
    }
  } catch {
    amdOrder = null;
  }
  return amdOrder;
}

/**
 * klu_analyze_given on the merged-column order (no BTF), or null (see above); `bind` binds a
 * KLU function (klu-native.ts's bindKluFunction), `setBtf` sets the common's btf field.
 */
export function kluAnalyzeBlocks(
  A: Csc,
  common: unknown,
  setBtf: (v: number) => void,
  bind: (decl: string) => Fn | null,
): unknown {
  if (A.n < SMALL) return null;
  const amdFn = bindAmd();
  if (analyzeGiven === undefined)
    analyzeGiven = bind('void *klu_analyze_given(int n, int *Ap, int *Ai, int *P, int *Q, gridbatch_klu_common *c)');
  if (!amdFn || !analyzeGiven) return null;
  const q = orderMerged(A, (Q) => {
    const P = new Int32Array(Q.n);
    const status = amdFn(Q.n, Q.colPtr, Q.rowIdx, P, null, null) as number;
    if (status < 0) throw new Error(`amd_order failed (status ${status})`);
    return P;
  });
  if (!q) return null;
  setBtf(0);
  try {
    return analyzeGiven(A.n, A.colPtr, A.rowIdx, q, q, common);
  } finally {
    setBtf(1);
  }
}

/**
 * SuiteSparse's AMD (libamd) as an ordering of a symmetric pattern, or null when libamd is not
 * loadable: for orders computed outside KLU (jacobian-order.ts's bus graph). The order is a
 * scratch-slab view (scratch-slab.ts): the caller copies what it keeps.
 */
export function libamdOrder(): ((A: Pick<Csc, 'n' | 'colPtr' | 'rowIdx'>) => Int32Array) | null {
  const amdFn = bindAmd();
  if (!amdFn) return null;
  return (A) => {
    const P = scratchI32(A.n);
    const status = amdFn(A.n, A.colPtr, A.rowIdx, P, null, null) as number;
    if (status < 0) throw new Error(`amd_order failed (status ${status})`);
    return P;
  };
}

/** klu_analyze_given with P = Q = `q` and no BTF, or null when the function is missing. */
export function kluAnalyzeGiven(
  A: Csc,
  q: Int32Array,
  common: unknown,
  setBtf: (v: number) => void,
  bind: (decl: string) => Fn | null,
): unknown {
  if (analyzeGiven === undefined)
    analyzeGiven = bind('void *klu_analyze_given(int n, int *Ap, int *Ai, int *P, int *Q, gridbatch_klu_common *c)');
  if (!analyzeGiven) return null;
  setBtf(0);
  try {
    return analyzeGiven(A.n, A.colPtr, A.rowIdx, q, q, common);
  } finally {
    setBtf(1);
  }
}
