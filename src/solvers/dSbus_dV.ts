/**
 * First derivatives of the complex bus injections in polar coordinates (MATPOWER's dSbus_dV),
 * the one implementation the power flow and the OPF share:
 *   Sbus = diag(V) conj(Ybus V),  I = Ybus V,
 *   dSbus/dVa = j diag(V) conj(diag(I) - Ybus diag(V))
 *   dSbus/dVm = diag(V) conj(Ybus diag(V./|V|)) + conj(diag(I)) diag(V./|V|)
 * Both derivatives have Ybus's pattern and come back as values aligned with its entries. (The
 * Newton power flow fills its Jacobian straight from the same entry formulas, ac-jacobian.ts.)
 */

/** Bus voltages in the forms the derivative code uses. */
export interface Voltages {
  vr: Float64Array;
  vi: Float64Array;
  vm: Float64Array;
  /** V / |V| = e^{j Va} */
  nr: Float64Array;
  ni: Float64Array;
}

export function voltages(va: ArrayLike<number>, vm: ArrayLike<number>): Voltages {
  const n = va.length;
  const V: Voltages = {
    vr: new Float64Array(n),
    vi: new Float64Array(n),
    vm: Float64Array.from(vm),
    nr: new Float64Array(n),
    ni: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    V.nr[i] = Math.cos(va[i]);
    V.ni[i] = Math.sin(va[i]);
    V.vr[i] = vm[i] * V.nr[i];
    V.vi[i] = vm[i] * V.ni[i];
  }
  return V;
}

/** A square complex CSC matrix as value arrays (ZCsc, or the OPF's Ybus fields). */
export interface ComplexCscView {
  n: number;
  colPtr: Int32Array;
  rowIdx: Int32Array;
  re: Float64Array;
  im: Float64Array;
}

export interface DSbus {
  /** dSbus/dVa and dSbus/dVm on Ybus's entries */
  aR: Float64Array;
  aI: Float64Array;
  mR: Float64Array;
  mI: Float64Array;
}

/** Position of each diagonal entry (every diagonal must be stored). */
export function diagonalPositions(Y: ComplexCscView): Int32Array {
  const d = new Int32Array(Y.n).fill(-1);
  for (let j = 0; j < Y.n; j++) for (let p = Y.colPtr[j]; p < Y.colPtr[j + 1]; p++) if (Y.rowIdx[p] === j) d[j] = p;
  for (let j = 0; j < Y.n; j++)
    if (d[j] < 0) throw new RangeError(`dSbus_dV: Ybus has no diagonal entry in column ${j}`);
  return d;
}

/** `I` is Ybus V; `diag` the diagonal positions (computed when not given). */
export function dSbus_dV(
  Y: ComplexCscView,
  V: Voltages,
  I: { ir: Float64Array; ii: Float64Array },
  diag?: Int32Array,
): DSbus {
  const { n, colPtr, rowIdx, re, im } = Y;
  const nnz = colPtr[n];
  const aR = new Float64Array(nnz),
    aI = new Float64Array(nnz),
    mR = new Float64Array(nnz),
    mI = new Float64Array(nnz);
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
      const i = rowIdx[p];
      const a = re[p],
        b = im[p];
      // w = conj(Y V_j) ; dVa = -j V_i w
      const wr = a * V.vr[j] - b * V.vi[j],
        wi = -(a * V.vi[j] + b * V.vr[j]);
      const ur = V.vr[i] * wr - V.vi[i] * wi,
        ui = V.vr[i] * wi + V.vi[i] * wr;
      aR[p] = ui;
      aI[p] = -ur;
      // dVm = V_i conj(Y Vn_j)
      const zr = a * V.nr[j] - b * V.ni[j],
        zi = -(a * V.ni[j] + b * V.nr[j]);
      mR[p] = V.vr[i] * zr - V.vi[i] * zi;
      mI[p] = V.vr[i] * zi + V.vi[i] * zr;
    }
  }
  const d = diag ?? diagonalPositions(Y);
  for (let i = 0; i < n; i++) {
    const p = d[i];
    // + j V_i conj(I_i)
    const cr = V.vr[i] * I.ir[i] + V.vi[i] * I.ii[i],
      ci = V.vi[i] * I.ir[i] - V.vr[i] * I.ii[i];
    aR[p] += -ci;
    aI[p] += cr;
    // + conj(I_i) Vn_i
    mR[p] += I.ir[i] * V.nr[i] + I.ii[i] * V.ni[i];
    mI[p] += I.ir[i] * V.ni[i] - I.ii[i] * V.nr[i];
  }
  return { aR, aI, mR, mI };
}
