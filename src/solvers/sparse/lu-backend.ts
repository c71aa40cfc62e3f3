/**
 * Chooses the sparse LU backend: native KLU when it is installed (koffi + libklu, see
 * klu-native.ts), else the TypeScript LU of lu.ts. Both factor P A Q = L U with AMD
 * ordering and threshold partial pivoting and offer pattern-reusing refactorization.
 *
 * backend 'auto' (default) follows GRIDBATCH_LU (ts | klu | auto) and availability.
 */
import type { Csc } from './csc';
import { SparseLu, kluFactor, kluUnavailableReason, loadKlu } from './klu-native';
import { LuSymbolic, luFactor } from './lu';

export type { SparseLu } from './klu-native';
export type LuBackend = 'auto' | 'ts' | 'klu';

export interface SparseLuOptions {
  pivotTol?: number;
  backend?: LuBackend;
  /** TypeScript backend only: a symbolic analysis to reuse. */
  symbolic?: LuSymbolic;
  /** TypeScript backend only: factors kept by a long-lived object (LuOptions.kept). */
  kept?: boolean;
}

/** The backend 'auto' resolves to in this process. */
export function defaultLuBackend(): 'ts' | 'klu' {
  const env = process.env.GRIDBATCH_LU;
  if (env === 'ts') return 'ts';
  if (loadKlu()) return 'klu';
  if (env === 'klu') throw new Error(`GRIDBATCH_LU=klu but KLU is unavailable (${kluUnavailableReason()})`);
  return 'ts';
}

export function sparseLu(A: Csc, opts: SparseLuOptions = {}): SparseLu {
  const backend = !opts.backend || opts.backend === 'auto' ? defaultLuBackend() : opts.backend;
  if (backend === 'klu') return kluFactor(A, { pivotTol: opts.pivotTol });
  const f = luFactor(A, { pivotTol: opts.pivotTol, symbolic: opts.symbolic, kept: opts.kept });
  return {
    n: f.n,
    backend: 'ts',
    solve: (b, out) => f.solve(b, out),
    refactor: (M) => f.refactor(M),
    dispose: () => f.dispose(),
  };
}
