/**
 * Optional native sparse LU: SuiteSparse KLU (Debian package libklu1 / libklu2) through
 * the koffi FFI package. Detected at run time; when koffi or the shared library is missing,
 * `loadKlu()` returns null and callers use the TypeScript LU (sparse/lu.ts), which is the
 * reference implementation and the documented fallback.
 *
 * Set GRIDBATCH_LU=ts to force the TypeScript LU, GRIDBATCH_LU=klu to require KLU.
 * KLU uses the same method as lu.ts (BTF + AMD, Gilbert-Peierls, threshold partial pivoting
 * with diagonal preference, tol 0.001), so results agree to rounding.
 */
import { Csc, samePattern } from './csc';
import { SingularMatrixError } from './lu';

/** The factorization interface both backends offer. */
export interface SparseLu {
  readonly n: number;
  readonly backend: 'ts' | 'klu';
  /** x = A \ b; `out` (length n, distinct from b) is filled and returned when given. */
  solve(b: Float64Array, out?: Float64Array): Float64Array;
  /** New values, same pattern; re-pivots when the old pivots became unsafe. */
  refactor(A: Csc): void;
  /** Frees native memory now (also done by the garbage collector). */
  dispose(): void;
}

type Fn = (...args: unknown[]) => unknown;
interface KoffiLike {
  load(path: string): { func(decl: string): Fn };
  struct(name: string, def: Record<string, string>): unknown;
}

export interface KluApi {
  analyze: Fn; factor: Fn; refactor: Fn; solve: Fn; rcond: Fn; freeSymbolic: Fn; freeNumeric: Fn; defaults: Fn;
}

const LIB_NAMES = ['libklu.so.2', 'libklu.so.1', 'libklu.so', 'libklu.2.dylib', 'libklu.dylib', 'klu.dll'];
let api: KluApi | null | undefined;
let kluLib: { func(decl: string): Fn } | null = null;
let loadError = '';

function tryRequire(name: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name);
  } catch (e) {
    loadError = `${name}: ${(e as Error).message.split('\n')[0]}`;
    return null;
  }
}

/** The KLU functions, or null when koffi or libklu is missing (see `kluUnavailableReason`). */
export function loadKlu(): KluApi | null {
  if (api !== undefined) return api;
  api = null;
  const koffi = tryRequire('koffi') as KoffiLike | null;
  if (!koffi) return null;
  let lib: { func(decl: string): Fn } | null = null;
  for (const name of LIB_NAMES) {
    try { lib = koffi.load(name); break; } catch (e) { loadError = `${name}: ${(e as Error).message}`; }
  }
  if (!lib) return null;
  kluLib = lib;
  try {
    // klu_common of KLU 1.x / 2.x (SuiteSparse 5 to 7), 32-bit integer interface
    try {
      koffi.struct('gridbatch_klu_common', {
        tol: 'double', memgrow: 'double', initmem_amd: 'double', initmem: 'double', maxwork: 'double',
        btf: 'int', ordering: 'int', scale: 'int', user_order: 'void *', user_data: 'void *', halt_if_singular: 'int',
        status: 'int', nrealloc: 'int', structural_rank: 'int', numerical_rank: 'int', singular_col: 'int', noffdiag: 'int',
        flops: 'double', rcond: 'double', condest: 'double', rgrowth: 'double', work: 'double', memusage: 'size_t', mempeak: 'size_t',
      });
    } catch (e) {
      // koffi keeps named types per process: a second module instance (jest, workers) reuses it
      if (!/duplicate type name/i.test((e as Error).message)) throw e;
    }
    const c = '_Inout_ gridbatch_klu_common *c';
    api = {
      defaults: lib.func(`int klu_defaults(${c})`),
      analyze: lib.func(`void *klu_analyze(int n, int *Ap, int *Ai, ${c})`),
      factor: lib.func(`void *klu_factor(int *Ap, int *Ai, double *Ax, void *sym, ${c})`),
      refactor: lib.func(`int klu_refactor(int *Ap, int *Ai, double *Ax, void *sym, void *num, ${c})`),
      solve: lib.func(`int klu_solve(void *sym, void *num, int ldim, int nrhs, _Inout_ double *B, ${c})`),
      rcond: lib.func(`int klu_rcond(void *sym, void *num, ${c})`),
      freeSymbolic: lib.func(`int klu_free_symbolic(_Inout_ void **sym, ${c})`),
      freeNumeric: lib.func(`int klu_free_numeric(_Inout_ void **num, ${c})`),
    };
  } catch (e) {
    loadError = `binding KLU failed: ${(e as Error).message}`;
    api = null;
  }
  return api;
}

/**
 * Binds one more KLU function (C declaration; the klu_common argument type is
 * `gridbatch_klu_common`), or null when KLU is unavailable.
 */
export function bindKluFunction(decl: string): Fn | null {
  if (!loadKlu() || !kluLib) return null;
  return kluLib.func(decl);
}

export function kluUnavailableReason(): string {
  return loadKlu() ? '' : loadError;
}

interface KluCommon {
  tol: number; rcond: number; status: number; singular_col: number;
  [k: string]: unknown;
}

/** Below this reciprocal pivot ratio a refactorization is redone with fresh pivoting. */
const RCOND_REFACTOR = Math.pow(2.220446049250313e-16, 2 / 3);

const registry = new FinalizationRegistry<{ sym: unknown[]; num: unknown[]; common: KluCommon }>((h) => freeHandles(h));

function freeHandles(h: { sym: unknown[]; num: unknown[]; common: KluCommon }): void {
  const k = api;
  if (!k) return;
  if (h.num[0]) k.freeNumeric(h.num, h.common);
  if (h.sym[0]) k.freeSymbolic(h.sym, h.common);
  h.num[0] = null;
  h.sym[0] = null;
}

/** Factors A with KLU. Throws SingularMatrixError (with KLU's singular column) when singular. */
export function kluFactor(A: Csc, opts: { pivotTol?: number } = {}): SparseLu {
  const k = loadKlu();
  if (!k) throw new Error(`KLU is unavailable (${loadError})`);
  if (A.m !== A.n) throw new RangeError(`LU needs a square matrix, got ${A.m}x${A.n}`);
  const n = A.n;
  const common = {} as KluCommon;
  k.defaults(common);
  common.tol = opts.pivotTol ?? 1e-3;
  const h = { sym: [null as unknown], num: [null as unknown], common };
  h.sym[0] = k.analyze(n, A.colPtr, A.rowIdx, common);
  if (!h.sym[0]) throw new Error(`klu_analyze failed (status ${common.status})`);
  const factorFresh = (M: Csc) => {
    if (h.num[0]) k.freeNumeric(h.num, common);
    h.num[0] = k.factor(M.colPtr, M.rowIdx, M.values, h.sym[0], common);
    if (!h.num[0]) {
      if (common.status === 1) throw new SingularMatrixError(common.singular_col, 'KLU found no nonzero pivot');
      throw new Error(`klu_factor failed (status ${common.status})`);
    }
  };
  try {
    factorFresh(A);
  } catch (e) {
    freeHandles(h);
    throw e;
  }
  const colPtr = A.colPtr, rowIdx = A.rowIdx;
  const self: SparseLu = {
    n,
    backend: 'klu',
    solve(b: Float64Array, out?: Float64Array): Float64Array {
      if (b.length !== n) throw new RangeError(`solve: b has length ${b.length}, expected ${n}`);
      if (!h.num[0]) throw new Error('solve: no valid factorization (the last one failed or was disposed)');
      const x = out ?? new Float64Array(n);
      if (x === b) throw new RangeError('solve: out must not alias b');
      x.set(b);
      if (!k.solve(h.sym[0], h.num[0], n, 1, x, common)) throw new Error(`klu_solve failed (status ${common.status})`);
      return x;
    },
    refactor(M: Csc): void {
      if (!samePattern(M, { m: n, n, colPtr, rowIdx })) throw new RangeError('refactor: the matrix pattern differs from the factored one');
      if (h.num[0] && k.refactor(M.colPtr, M.rowIdx, M.values, h.sym[0], h.num[0], common)
        && k.rcond(h.sym[0], h.num[0], common) && common.rcond >= RCOND_REFACTOR) return;
      try {
        factorFresh(M);
      } catch (e) {
        if (h.num[0]) k.freeNumeric(h.num, common);
        h.num[0] = null;
        throw e;
      }
    },
    dispose(): void {
      registry.unregister(self);
      freeHandles(h);
    },
  };
  registry.register(self, h, self);
  return self;
}
