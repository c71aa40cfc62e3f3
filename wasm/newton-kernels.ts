/**
 * AssemblyScript source of the Newton power flow's evaluation kernel (compiled to
 * wasm/build/newton-kernels.wasm by scripts/build-wasm.cjs; loaded by src/solvers/newton-wasm.ts):
 * the row pass of src/solvers/fused-evaluation.ts's injectionsAndMismatch (I = Ybus V row by row,
 * S = V .* conj(I), each bus's entries of F and ||F||_inf), line for line the same operations in
 * the same order, so every value is bit for bit the TypeScript kernel's (WebAssembly has no fused
 * multiply-add). V = Vm e^{j Va} is computed before, in TypeScript (Math.cos and Math.sin, which a
 * WebAssembly port would not match bit for bit). The arrays are a Newton workspace's, laid out in
 * the instance's memory by newton-wasm.ts (setLayout gives their byte offsets); raw loads and
 * stores, no bounds checks: the layout is sized from the arrays it holds. `jacobian` is
 * src/solvers/ac-jacobian.ts's fillJacobian, likewise line for line (J's values and the map from
 * Ybus entries to them in the same memory, setJacobianLayout).
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
let VM: usize = 0,
  TO: usize = 0,
  ROOM: usize = 0;
let NL: i32 = 0,
  BF: usize = 0,
  BT: usize = 0,
  BON: usize = 0,
  ADM: usize = 0,
  FLOWS: usize = 0;

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

/** Byte offsets of |V|, the Jacobian's map (4 i32 per Ybus entry) and its values (newton-wasm.ts). */
export function setJacobianLayout(vm: usize, to: usize, room: usize): void {
  VM = vm;
  TO = to;
  ROOM = room;
}

/**
 * fillJacobian (ac-jacobian.ts) at V, |V| and S without fixed buses: one pass over Ybus by
 * columns, entry (i, k) giving c = V_i conj(Y_ik V_k) and its four J entries (written to the
 * positions TO holds, the ones J has no place for into the spill slot after J's values), plus on
 * the diagonal the S_i terms; the same operations in the same order.
 */
export function jacobian(): void {
  const n = NB;
  const vr = VR,
    vi = VI,
    vm = VM,
    yp = YP,
    yi = YI,
    yr = YR,
    ym = YM,
    sr = SR,
    si = SI,
    to = TO,
    room = ROOM;
  for (let k = 0; k < n; k++) {
    const vkr = gf(vr, k),
      vki = gf(vi, k);
    const inv = 1 / gf(vm, k);
    for (let p = gi(yp, k), end = gi(yp, k + 1); p < end; p++) {
      const i = gi(yi, p);
      const a = gf(yr, p),
        b = gf(ym, p);
      const tr = a * vkr - b * vki;
      const ti = a * vki + b * vkr;
      const vir = gf(vr, i),
        vii = gf(vi, i);
      const cr = vir * tr + vii * ti;
      const ci = vii * tr - vir * ti;
      const o = p << 2;
      if (i == k) {
        const s0 = gf(sr, i),
          s1 = gf(si, i);
        sf(room, gi(to, o), ci + -s1);
        sf(room, gi(to, o + 1), -cr + s0);
        sf(room, gi(to, o + 2), (cr + s0) * inv);
        sf(room, gi(to, o + 3), (ci + s1) * inv);
      } else {
        sf(room, gi(to, o), ci);
        sf(room, gi(to, o + 1), -cr);
        sf(room, gi(to, o + 2), cr * inv);
        sf(room, gi(to, o + 3), ci * inv);
      }
    }
  }
}

/**
 * Byte offsets of the branches' from / to buses (i32), in-service flags (u8), two-port
 * admittances (8 f64 per branch: Yff, Ytf real parts, Yff, Ytf imaginary, Yft, Ytt real, Yft,
 * Ytt imaginary; see branchFlows) and the four flow outputs (pf, qf, pt, qt, f64 arrays of nl,
 * one after another).
 */
export function setBranchLayout(nl: i32, f: usize, t: usize, on: usize, adm: usize, flows: usize): void {
  NL = nl;
  BF = f;
  BT = t;
  BON = on;
  ADM = adm;
  FLOWS = flows;
}

/**
 * src/solvers/pfsoln.ts's branch flows at V (MW / MVAr): per branch in service If = Yf V and
 * It = Yt V over its from and to bus (a bus at V = 0 adds nothing), Sf = V_f conj(If) and
 * St = V_t conj(It) times baseMVA; 0 for branches out of service. The admittances in ADM are
 * 0 + the two-port admittance, as Yf and Yt hold it (newton-wasm.ts adds the 0 when it copies
 * them in); the two terms of a current summed from 0 give the same sum in either order, so the
 * flows are bit for bit the matrix products'.
 *
 * The from and to ends go side by side in the two lanes of f64x2 vectors (WebAssembly SIMD): per
 * branch ADM holds [Yff, Ytf] real, [Yff, Ytf] imaginary, [Yft, Ytt] real, [Yft, Ytt] imaginary
 * parts, so [Re If, Re It] += [Yff, Ytf].re V_f.re - [Yff, Ytf].im V_f.im and so on: each lane
 * does the scalar operations in the scalar order (a lane is an IEEE double, no fused
 * multiply-add), half the instructions.
 */
export function branchFlows(baseMVA: f64): void {
  const nl = NL;
  const vr = VR,
    vi = VI;
  const sz = (<usize>nl) << 3;
  const adm = ADM;
  const pf = FLOWS,
    qf = pf + sz,
    pt = qf + sz,
    qt = pt + sz;
  const on = BON,
    bf = BF,
    bt = BT;
  const base = f64x2.splat(baseMVA);
  for (let l = 0; l < nl; l++) {
    if (gb(on, l) == 0) {
      sf(pf, l, 0);
      sf(qf, l, 0);
      sf(pt, l, 0);
      sf(qt, l, 0);
      continue;
    }
    const a = gi(bf, l),
      b = gi(bt, l);
    const far = gf(vr, a),
      fai = gf(vi, a),
      tbr = gf(vr, b),
      tbi = gf(vi, b);
    // [Re If, Re It] and [Im If, Im It], summed from 0
    let cr = f64x2.splat(0),
      ci = f64x2.splat(0);
    const y = adm + ((<usize>l) << 6);
    if (far != 0 || fai != 0) {
      const yr = v128.load(y),
        yi = v128.load(y, 16);
      const xr = f64x2.splat(far),
        xi = f64x2.splat(fai);
      cr = f64x2.add(cr, f64x2.sub(f64x2.mul(yr, xr), f64x2.mul(yi, xi)));
      ci = f64x2.add(ci, f64x2.add(f64x2.mul(yr, xi), f64x2.mul(yi, xr)));
    }
    if (tbr != 0 || tbi != 0) {
      const yr = v128.load(y, 32),
        yi = v128.load(y, 48);
      const xr = f64x2.splat(tbr),
        xi = f64x2.splat(tbi);
      cr = f64x2.add(cr, f64x2.sub(f64x2.mul(yr, xr), f64x2.mul(yi, xi)));
      ci = f64x2.add(ci, f64x2.add(f64x2.mul(yr, xi), f64x2.mul(yi, xr)));
    }
    // [V_f.re, V_t.re] and [V_f.im, V_t.im]
    const er = f64x2.replace_lane(f64x2.splat(far), 1, tbr),
      ei = f64x2.replace_lane(f64x2.splat(fai), 1, tbi);
    const p = f64x2.mul(f64x2.add(f64x2.mul(er, cr), f64x2.mul(ei, ci)), base);
    const q = f64x2.mul(f64x2.sub(f64x2.mul(ei, cr), f64x2.mul(er, ci)), base);
    sf(pf, l, f64x2.extract_lane(p, 0));
    sf(qf, l, f64x2.extract_lane(q, 0));
    sf(pt, l, f64x2.extract_lane(p, 1));
    sf(qt, l, f64x2.extract_lane(q, 1));
  }
}
