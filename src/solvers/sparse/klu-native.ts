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
import { kluAnalyzeBlocks, kluAnalyzeGiven } from './klu-block-order';
import { keepNativeHeap } from './native-heap';

/** The factorization interface both backends offer. */
export interface SparseLu {
  readonly n: number;
  readonly backend: 'ts' | 'klu';
  /** x = A \ b; `out` (length n, distinct from b) is filled and returned when given. */
  solve(b: Float64Array, out?: Float64Array): Float64Array;
  /**
   * B = A \ B in place for the first `nrhs` columns B holds one after another (n values each;
   * the rest of B is left as it is), in one call where the backend offers it (KLU); absent:
   * `solve` per column.
   */
  solveColumns?(B: Float64Array, nrhs: number): void;
  /** New values, same pattern; re-pivots when the old pivots became unsafe. */
  refactor(A: Csc): void;
  /** Frees native memory now (also done by the garbage collector). */
  dispose(): void;
}

type Fn = (...args: unknown[]) => unknown;
interface KoffiLike {
  load(path: string): { func(decl: string): Fn };
  struct(name: string, def: Record<string, string>): unknown;
  alloc(type: string, length: number): unknown;
  free(ptr: unknown): void;
  view(ptr: unknown, len: number): ArrayBuffer;
  sizeof(type: string): number;
  offsetof(type: string, member: string): number;
}

export interface KluApi {
  analyze: Fn;
  factor: Fn;
  refactor: Fn;
  solve: Fn;
  rcond: Fn;
  freeSymbolic: Fn;
  freeNumeric: Fn;
  defaults: Fn;
  /** Allocates a klu_common in native memory (passed by pointer, never marshalled per call). */
  newCommon(): NativeCommon;
  /**
   * The thread's shared klu_common (KLU defaults): calls are synchronous, so every
   * factorization of the thread uses it, setting its tolerance before each call that reads it.
   */
  common: NativeCommon | null;
}

/**
 * A klu_common struct in native memory and typed views of the fields gridbatch reads or
 * sets: passing the pointer costs nothing per call, where a JS object would be converted to
 * the struct and back on every call (most of a small matrix's refactor time).
 */
export interface NativeCommon {
  readonly ptr: unknown;
  tol(v: number): void;
  btf(v: number): void;
  scale(v: number): void;
  initmem(v: number): void;
  status(): number;
  rgrowth(): number;
  singularCol(): number;
  rcond(): number;
  free(): void;
}

const COMMON = 'gridbatch_klu_common';

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
    try {
      lib = koffi.load(name);
      break;
    } catch (e) {
      loadError = `${name}: ${(e as Error).message}`;
    }
  }
  if (!lib) return null;
  kluLib = lib;
  // factors' memory from the heap, not a fresh mmap per factorization (native-heap.ts)
  keepNativeHeap(koffi);
  try {
    // klu_common of KLU 1.x / 2.x (SuiteSparse 5 to 7), 32-bit integer interface
    try {
      koffi.struct('gridbatch_klu_common', {
        tol: 'double',
        memgrow: 'double',
        initmem_amd: 'double',
        initmem: 'double',
        maxwork: 'double',
        btf: 'int',
        ordering: 'int',
        scale: 'int',
        user_order: 'void *',
        user_data: 'void *',
        halt_if_singular: 'int',
        status: 'int',
        nrealloc: 'int',
        structural_rank: 'int',
        numerical_rank: 'int',
        singular_col: 'int',
        noffdiag: 'int',
        flops: 'double',
        rcond: 'double',
        condest: 'double',
        rgrowth: 'double',
        work: 'double',
        memusage: 'size_t',
        mempeak: 'size_t',
      });
    } catch (e) {
      // koffi keeps named types per process: a second module instance (jest, workers) reuses it
      if (!/duplicate type name/i.test((e as Error).message)) throw e;
    }
    const c = `${COMMON} *c`;
    const k = koffi;
    const size = k.sizeof(COMMON);
    const off = (f: string) => k.offsetof(COMMON, f);
    const oTol = off('tol'),
      oBtf = off('btf'),
      oScale = off('scale'),
      oInitmem = off('initmem'),
      oStatus = off('status'),
      oSing = off('singular_col'),
      oRcond = off('rcond'),
      oGrowth = off('rgrowth');
    api = {
      common: null,
      newCommon(): NativeCommon {
        const ptr = k.alloc(COMMON, 1);
        const buf = k.view(ptr, size);
        const dv = new DataView(buf);
        let freed = false;
        return {
          ptr,
          tol: (v) => dv.setFloat64(oTol, v, true),
          btf: (v) => dv.setInt32(oBtf, v, true),
          scale: (v) => dv.setInt32(oScale, v, true),
          initmem: (v) => dv.setFloat64(oInitmem, v, true),
          status: () => dv.getInt32(oStatus, true),
          rgrowth: () => dv.getFloat64(oGrowth, true),
          singularCol: () => dv.getInt32(oSing, true),
          rcond: () => dv.getFloat64(oRcond, true),
          free: () => {
            if (!freed) {
              freed = true;
              k.free(ptr);
            }
          },
        };
      },
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

/** klu_defaults' initmem (klu_common of KLU 1.x / 2.x), restored after each factorization that sets another. */
const KLU_INITMEM = 10;

/** Below this reciprocal pivot ratio a refactorization is redone with fresh pivoting. */
const RCOND_REFACTOR = Math.pow(2.220446049250313e-16, 2 / 3);

interface Handles {
  sym: unknown[];
  num: unknown[];
  common: NativeCommon;
}

function sharedCommon(k: KluApi): NativeCommon {
  if (!k.common) {
    const nc = k.newCommon();
    k.defaults(nc.ptr);
    k.common = nc;
  }
  return k.common;
}

const registry = new FinalizationRegistry<Handles>((h) => freeHandles(h));

function freeHandles(h: Handles): void {
  const k = api;
  if (!k) return;
  if (h.num[0]) k.freeNumeric(h.num, h.common.ptr);
  if (h.sym[0]) k.freeSymbolic(h.sym, h.common.ptr);
  h.num[0] = null;
  h.sym[0] = null;
}

/** Factors A with KLU. Throws SingularMatrixError (with KLU's singular column) when singular. */
/**
 * KLU's settings a factorization may change from its defaults: `scale` (0 none, 1 sum, 2 max
 * of each row; default 2) and `btf` (block triangular form first; default true).
 */
export interface KluOptions {
  pivotTol?: number;
  scale?: 0 | 1 | 2;
  btf?: boolean;
  /**
   * A fill-reducing symmetric column order computed by the caller (klu_analyze_given, no BTF)
   * instead of KLU's own analysis; ignored when klu_analyze_given is missing.
   */
  order?: Int32Array;
  /**
   * Room klu_factor first allocates for L and for U after klu_analyze_given (which estimates no
   * fill), as a multiple of nnz(A) (plus n); KLU grows it when the factors need more. Default
   * KLU's 10: far more than a power-flow Jacobian's factors take (L has 0.8-0.9 nnz(J) on the
   * PEGASE cases), and the unused room is still mapped and freed on every factorization.
   */
  initmem?: number;
}

export function kluFactor(A: Csc, opts: KluOptions = {}): SparseLu {
  const k = loadKlu();
  if (!k) throw new Error(`KLU is unavailable (${loadError})`);
  if (A.m !== A.n) throw new RangeError(`LU needs a square matrix, got ${A.m}x${A.n}`);
  const n = A.n;
  const nc = sharedCommon(k);
  const common = nc.ptr;
  const tol = opts.pivotTol ?? 1e-3;
  const scale = opts.scale ?? 2;
  const initmem = opts.initmem ?? KLU_INITMEM;
  const h: Handles = { sym: [null as unknown], num: [null as unknown], common: nc };
  nc.btf(opts.btf === false ? 0 : 1);
  // without BTF, KLU's own AMD (ordering 0) orders a Jacobian faster and with less fill than the
  // merged-column order (klu-block-order.ts), which stays the default with BTF
  const setBtf = (v: number) => nc.btf(v);
  h.sym[0] =
    (opts.order
      ? kluAnalyzeGiven(A, opts.order, common, setBtf, bindKluFunction)
      : opts.btf === false
        ? null
        : kluAnalyzeBlocks(A, common, setBtf, bindKluFunction)) ?? k.analyze(n, A.colPtr, A.rowIdx, common);
  nc.btf(1);
  if (!h.sym[0]) throw new Error(`klu_analyze failed (status ${nc.status()})`);
  const factorFresh = (M: Csc) => {
    if (h.num[0]) k.freeNumeric(h.num, common);
    nc.tol(tol);
    nc.scale(scale);
    nc.initmem(initmem);
    h.num[0] = k.factor(M.colPtr, M.rowIdx, M.values, h.sym[0], common);
    nc.initmem(KLU_INITMEM);
    if (!h.num[0]) {
      if (nc.status() === 1) throw new SingularMatrixError(nc.singularCol(), 'KLU found no nonzero pivot');
      throw new Error(`klu_factor failed (status ${nc.status()})`);
    }
  };
  try {
    factorFresh(A);
  } catch (e) {
    freeHandles(h);
    throw e;
  }
  const colPtr = A.colPtr,
    rowIdx = A.rowIdx;
  let disposed = false;
  const self: SparseLu = {
    n,
    backend: 'klu',
    solve(b: Float64Array, out?: Float64Array): Float64Array {
      if (b.length !== n) throw new RangeError(`solve: b has length ${b.length}, expected ${n}`);
      if (!h.num[0]) throw new Error('solve: no valid factorization (the last one failed or was disposed)');
      const x = out ?? new Float64Array(n);
      if (x === b) throw new RangeError('solve: out must not alias b');
      x.set(b);
      if (!k.solve(h.sym[0], h.num[0], n, 1, x, common)) throw new Error(`klu_solve failed (status ${nc.status()})`);
      return x;
    },
    solveColumns(B: Float64Array, nrhs: number): void {
      if (B.length < n * nrhs) throw new RangeError(`solveColumns: B has length ${B.length}, below ${n * nrhs}`);
      if (!h.num[0]) throw new Error('solve: no valid factorization (the last one failed or was disposed)');
      if (!k.solve(h.sym[0], h.num[0], n, nrhs, B, common)) throw new Error(`klu_solve failed (status ${nc.status()})`);
    },
    refactor(M: Csc): void {
      if (disposed) throw new Error('refactor: the factorization was disposed');
      if ((M.colPtr !== colPtr || M.rowIdx !== rowIdx) && !samePattern(M, { m: n, n, colPtr, rowIdx }))
        throw new RangeError('refactor: the matrix pattern differs from the factored one');
      nc.tol(tol);
      nc.scale(scale);
      if (
        h.num[0] &&
        k.refactor(M.colPtr, M.rowIdx, M.values, h.sym[0], h.num[0], common) &&
        k.rcond(h.sym[0], h.num[0], common) &&
        nc.rcond() >= RCOND_REFACTOR
      )
        return;
      try {
        factorFresh(M);
      } catch (e) {
        if (h.num[0]) k.freeNumeric(h.num, common);
        h.num[0] = null;
        throw e;
      }
    },
    dispose(): void {
      disposed = true;
      registry.unregister(self);
      freeHandles(h);
    },
  };
  registry.register(self, h, self);
  return self;
}
