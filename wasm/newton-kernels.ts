/**
 * AssemblyScript source of the Newton power flow's evaluation kernel (compiled to
 * wasm/build/newton-kernels.wasm by scripts/build-wasm.cjs; loaded by src/solvers/newton-wasm.ts):
 * the row pass of src/solvers/fused-evaluation.ts's injectionsAndMismatch (I = Ybus V row by row,
 * S = V .* conj(I), each bus's entries of F and ||F||_inf), line for line the same operations in
 * the same order, so every value is bit for bit the TypeScript kernel's (WebAssembly has no fused
 * multiply-add). V = Vm e^{j Va} is computed before, in TypeScript (Math.cos and Math.sin, which a
 * WebAssembly port would not match bit for bit). The arrays are a Newton workspace's, laid out in
 * the instance's memory by newton-wasm.ts (setLayout gives their byte offsets); raw loads and
 * stores, no bounds checks: the layout is sized from the arrays it holds.
 */
import { gb, gf, gi, sf } from './memory-access';

let NB: i32 = 0;
let YP: usize = 0,
  YI: usize = 0,
  TPOS: usize = 0,
  YR: usize = 0,
  YM: usize = 0;
let VR: usize = 0,
  VI: usize = 0,
  IR: usize = 0,
  II: usize = 0,
  SR: usize = 0,
  SI: usize = 0,
  BR: usize = 0,
  BI: usize = 0;
let FP: usize = 0,
  FQ: usize = 0,
  F: usize = 0,
  FIXED: usize = 0;

/** Sizes and byte offsets (newton-wasm.ts's layout, in this order). */
export function setLayout(
  nb: i32,
  yp: usize,
  yi: usize,
  tpos: usize,
  yr: usize,
  ym: usize,
  vr: usize,
  vi: usize,
  ir: usize,
  ii: usize,
  sr: usize,
  si: usize,
  br: usize,
  bi: usize,
  fp: usize,
  fq: usize,
  f: usize,
  fixed: usize,
): void {
  NB = nb;
  YP = yp;
  YI = yi;
  TPOS = tpos;
  YR = yr;
  YM = ym;
  VR = vr;
  VI = vi;
  IR = ir;
  II = ii;
  SR = sr;
  SI = si;
  BR = br;
  BI = bi;
  FP = fp;
  FQ = fq;
  F = f;
  FIXED = fixed;
}

/**
 * injectionsAndMismatch's row pass at V: per row I = Ybus V, S = V .* conj(I) and the bus's
 * entries of F and ||F||_inf; NaN when an entry is not finite. `withFixed`: rows of the buses
 * flagged in FIXED get F = 0 and stay out of the norm.
 */
export function injections(withFixed: i32): f64 {
  const n = NB;
  const vr = VR,
    vi = VI;
  const yp = YP,
    yi = YI,
    tpos = TPOS,
    yr = YR,
    ym = YM,
    ir = IR,
    ii = II,
    sr = SR,
    si = SI,
    br = BR,
    bi = BI,
    fp = FP,
    fq = FQ,
    f = F,
    fixed = FIXED;
  let norm: f64 = 0;
  let bad = false;
  for (let i = 0; i < n; i++) {
    let sumr: f64 = 0,
      sumi: f64 = 0;
    for (let p = gi(yp, i), e = gi(yp, i + 1); p < e; p++) {
      const k = gi(yi, p);
      const a = gf(vr, k),
        b = gf(vi, k);
      if (a == 0 && b == 0) continue;
      const q = gi(tpos, p);
      const c = gf(yr, q),
        d = gf(ym, q);
      sumr += c * a - d * b;
      sumi += c * b + d * a;
    }
    sf(ir, i, sumr);
    sf(ii, i, sumi);
    const xr = gf(vr, i),
      xi = gf(vi, i);
    const s0 = xr * sumr + xi * sumi,
      s1 = xi * sumr - xr * sumi;
    sf(sr, i, s0);
    sf(si, i, s1);
    const rp = gi(fp, i);
    if (rp < 0) continue;
    const rq = gi(fq, i);
    if (withFixed != 0 && gb(fixed, i) != 0) {
      sf(f, rp, 0);
      if (rq >= 0) sf(f, rq, 0);
      continue;
    }
    const g = s0 - gf(br, i);
    sf(f, rp, g);
    const x = abs<f64>(g);
    if (x > norm) norm = x;
    else if (x != x) bad = true;
    if (rq < 0) continue;
    const h = s1 - gf(bi, i);
    sf(f, rq, h);
    const y = abs<f64>(h);
    if (y > norm) norm = y;
    else if (y != y) bad = true;
  }
  return bad || !isFinite<f64>(norm) ? NaN : norm;
}
