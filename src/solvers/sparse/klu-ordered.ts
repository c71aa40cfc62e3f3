/**
 * KLU on a column order chosen by the caller (klu_analyze_given, no BTF): for matrices whose
 * good order is known from their structure (the OPF KKT systems, kkt-order.ts), where KLU's
 * own AMD on the whole pattern fills several times more. Same threshold partial pivoting with
 * diagonal preference as klu-native.ts; the row order starts from the same permutation.
 *
 * `refactor` is numeric only (klu_refactor: the pivot sequence and the L/U patterns of the last
 * factorization, no search, no allocation) and reports whether it broke down (a zero or
 * non-finite pivot); whether the reused pivots are accurate enough is the caller's test (KLU's
 * rcond, min/max |U_kk|, is tiny on saddle-point matrices whatever the pivots).
 * `factor` redoes the numeric factorization with pivoting.
 */
import type { Csc } from './csc';
import { bindKluFunction, loadKlu, kluUnavailableReason } from './klu-native';
import { SingularMatrixError } from './lu';

type Fn = (...args: unknown[]) => unknown;

let analyzeGiven: Fn | null | undefined;
let rgrowthFn: Fn | null | undefined;

export interface OrderedKlu {
  readonly n: number;
  /** numeric factorization with pivoting (threshold pivotTol); throws SingularMatrixError */
  factor(A: Csc, pivotTol: number): void;
  /** same pivots and patterns, new values; false when it broke down (then call factor) */
  refactor(A: Csc): boolean;
  solve(b: Float64Array, out?: Float64Array): Float64Array;
  /** KLU's reciprocal pivot growth min_j max_i |A_ij| / max_i |U_ij| of the current factors (1: no growth) */
  rgrowth(A: Csc): number;
  dispose(): void;
}

const registry = new FinalizationRegistry<() => void>((free) => free());

/** Symbolic analysis of A's pattern on the order q (column k of the ordered matrix is A's column q[k], rows likewise). */
export function orderedKlu(A: Csc, q: Int32Array): OrderedKlu {
  const k = loadKlu();
  if (!k) throw new Error(`KLU is unavailable (${kluUnavailableReason()})`);
  if (analyzeGiven === undefined) {
    analyzeGiven = bindKluFunction(
      'void *klu_analyze_given(int n, int *Ap, int *Ai, int *P, int *Q, gridbatch_klu_common *c)',
    );
  }
  if (rgrowthFn === undefined)
    rgrowthFn = bindKluFunction(
      'int klu_rgrowth(int *Ap, int *Ai, double *Ax, void *sym, void *num, gridbatch_klu_common *c)',
    );
  if (!analyzeGiven) throw new Error('KLU has no klu_analyze_given');
  const n = A.n;
  if (A.m !== n || q.length !== n) throw new RangeError(`orderedKlu: matrix ${A.m}x${n}, order of length ${q.length}`);
  // its own klu_common in native memory (the thread's shared one keeps KLU's BTF default)
  const nc = k.newCommon();
  const common = nc.ptr;
  k.defaults(common);
  nc.btf(0);
  const sym = [analyzeGiven(n, A.colPtr, A.rowIdx, q, q, common)];
  if (!sym[0]) {
    const status = nc.status();
    nc.free();
    throw new Error(`klu_analyze_given failed (status ${status})`);
  }
  const num: unknown[] = [null];
  const h = { freed: false };
  const free = () => {
    if (h.freed) return;
    h.freed = true;
    if (num[0]) k.freeNumeric(num, common);
    if (sym[0]) k.freeSymbolic(sym, common);
    nc.free();
  };
  const self: OrderedKlu = {
    n,
    factor(M: Csc, pivotTol: number): void {
      if (num[0]) k.freeNumeric(num, common);
      nc.tol(pivotTol);
      num[0] = k.factor(M.colPtr, M.rowIdx, M.values, sym[0], common);
      if (!num[0]) {
        if (nc.status() === 1) throw new SingularMatrixError(nc.singularCol(), 'KLU found no nonzero pivot');
        throw new Error(`klu_factor failed (status ${nc.status()})`);
      }
    },
    rgrowth(M: Csc): number {
      if (!num[0] || !rgrowthFn) return NaN;
      rgrowthFn(M.colPtr, M.rowIdx, M.values, sym[0], num[0], common);
      return nc.rgrowth();
    },
    refactor(M: Csc): boolean {
      if (!num[0]) return false;
      // klu_rcond: 0 for a zero or non-finite pivot
      return (
        !!k.refactor(M.colPtr, M.rowIdx, M.values, sym[0], num[0], common) &&
        !!k.rcond(sym[0], num[0], common) &&
        nc.rcond() > 0 &&
        Number.isFinite(nc.rcond())
      );
    },
    solve(b: Float64Array, out?: Float64Array): Float64Array {
      if (!num[0]) throw new Error('solve: no valid factorization');
      const x = out ?? new Float64Array(n);
      x.set(b);
      if (!k.solve(sym[0], num[0], n, 1, x, common)) throw new Error(`klu_solve failed (status ${nc.status()})`);
      return x;
    },
    dispose(): void {
      registry.unregister(self);
      free();
    },
  };
  registry.register(self, free, self);
  return self;
}
