/**
 * AssemblyScript source of the sparse LU's numeric kernels (compiled to wasm/build/lu-kernels.wasm
 * by scripts/build-wasm.cjs on `npm install`; loaded by src/solvers/sparse/lu-wasm.ts): the
 * refactorization with a fixed pivot sequence (src/solvers/sparse/lu-refactor.ts) and the
 * triangular solves (lu-solve.ts), line for line the same operations in the same order, so the
 * factors and solutions are bit for bit those of the TypeScript kernels (WebAssembly has no
 * fused multiply-add). The arrays are LuNumeric's, laid out in the instance's memory by
 * lu-wasm.ts (setLayout gives their byte offsets); raw loads and stores, no bounds checks: the
 * layout is sized from the arrays it holds. x and x2 are zero between calls.
 */
import { gb, gf, gi, sf } from './memory-access';

let N: i32 = 0;
let Lp: usize = 0,
  Li: usize = 0,
  Lx: usize = 0,
  Up: usize = 0,
  Ui: usize = 0,
  Ux: usize = 0;
let X: usize = 0,
  X2: usize = 0,
  APTR: usize = 0,
  AROW: usize = 0,
  AMAP: usize = 0,
  AV: usize = 0,
  AX: usize = 0;
let UPAIR: usize = 0,
  USTEP: usize = 0,
  PAIR: usize = 0,
  PROW: usize = 0,
  Q: usize = 0,
  W: usize = 0;
let NZA: i32 = 0;

export function setLayout(
  n: i32,
  nza: i32,
  lp: usize,
  li: usize,
  lx: usize,
  up: usize,
  ui: usize,
  ux: usize,
  x: usize,
  x2: usize,
  aptr: usize,
  arow: usize,
  amap: usize,
  av: usize,
  ax: usize,
  upair: usize,
  ustep: usize,
  pair: usize,
  prow: usize,
  q: usize,
  w: usize,
): void {
  N = n;
  NZA = nza;
  Lp = lp;
  Li = li;
  Lx = lx;
  Up = up;
  Ui = ui;
  Ux = ux;
  X = x;
  X2 = x2;
  APTR = aptr;
  AROW = arow;
  AMAP = amap;
  AV = av;
  AX = ax;
  UPAIR = upair;
  USTEP = ustep;
  PAIR = pair;
  PROW = prow;
  Q = q;
  W = w;
}

function clearX(x: usize, n: i32): void {
  memory.fill(x, 0, (<usize>n) << 3);
}

function scaleL(lp: usize, li: usize, lx: usize, x: usize, k: i32, pivot: f64): f64 {
  const inv = 1 / pivot;
  let lmax: f64 = 0;
  for (let pl = gi(lp, k) + 1, end = gi(lp, k + 1); pl < end; pl++) {
    const i = gi(li, pl);
    const l = gf(x, i) * inv;
    sf(x, i, 0);
    sf(lx, pl, l);
    const a = abs<f64>(l);
    if (a > lmax) lmax = a;
  }
  return lmax;
}

function pivotOk(pivot: f64, lmax: f64, tol: f64): bool {
  return lmax * tol <= 1 && abs<f64>(pivot) > 0 && isFinite<f64>(pivot);
}

export function refactor(tol: f64): i32 {
  const n = N;
  const lp = Lp,
    li = Li,
    lx = Lx,
    up = Up,
    ui = Ui,
    ux = Ux,
    x = X,
    aptr = APTR,
    arow = AROW;
  const upair = UPAIR,
    ustep = USTEP;
  const av = AV,
    amap = AMAP,
    ax = AX;
  for (let p = 0, nz = NZA; p < nz; p++) sf(av, gi(amap, p), gf(ax, p));
  for (let k = 0; k < n; k++) {
    if (gb(upair, k) != 0) {
      if (!twoColumns(av, gi(aptr, k), gi(aptr, k + 1), tol, k)) return 0;
      k++;
      continue;
    }
    for (let t = gi(aptr, k), e = gi(aptr, k + 1); t < e; t++) {
      const r = gi(arow, t);
      sf(x, r, gf(x, r) + gf(av, t));
    }
    const uend = gi(up, k + 1) - 1;
    for (let p = gi(up, k); p < uend; p++) {
      const j = gi(ui, p);
      const xj = gf(x, j);
      sf(x, j, 0);
      sf(ux, p, xj);
      const l0 = gi(lp, j) + 1,
        l1 = gi(lp, j + 1);
      const step = gb(ustep, p);
      if (step != 1) {
        const xj1 = gf(x, j + 1) - gf(lx, l0) * xj;
        sf(x, j + 1, 0);
        sf(ux, ++p, xj1);
        const m0 = gi(lp, j + 1) + 1;
        if (step == 4) {
          const n0 = gi(lp, j + 2) + 1;
          const xj2 = gf(x, j + 2) - (gf(lx, l0 + 1) * xj + gf(lx, m0) * xj1);
          const xj3 = gf(x, j + 3) - (gf(lx, l0 + 2) * xj + gf(lx, m0 + 1) * xj1) - gf(lx, n0) * xj2;
          sf(x, j + 2, 0);
          sf(x, j + 3, 0);
          sf(ux, ++p, xj2);
          sf(ux, ++p, xj3);
          for (
            let pl = l0 + 3, pm = m0 + 2, pn = n0 + 1, pr = gi(lp, j + 3) + 1, e = gi(lp, j + 4);
            pr < e;
            pl++, pm++, pn++, pr++
          ) {
            const i = gi(li, pr);
            sf(x, i, gf(x, i) - (gf(lx, pl) * xj + gf(lx, pm) * xj1) - (gf(lx, pn) * xj2 + gf(lx, pr) * xj3));
          }
          continue;
        }
        for (let pl = l0 + 1, pm = m0; pl < l1; pl++, pm++) {
          const i = gi(li, pl);
          sf(x, i, gf(x, i) - (gf(lx, pl) * xj + gf(lx, pm) * xj1));
        }
        continue;
      }
      if (xj == 0) continue;
      for (let pl = l0; pl < l1; pl++) {
        const i = gi(li, pl);
        sf(x, i, gf(x, i) - gf(lx, pl) * xj);
      }
    }
    const pivot = gf(x, k);
    sf(x, k, 0);
    sf(ux, uend, pivot);
    const lmax = scaleL(lp, li, lx, x, k, pivot);
    if (!pivotOk(pivot, lmax, tol)) {
      clearX(x, n);
      return 0;
    }
  }
  return 1;
}

function twoColumns(av: usize, s0: i32, s1: i32, tol: f64, k: i32): bool {
  const lp = Lp,
    li = Li,
    lx = Lx,
    up = Up,
    ui = Ui,
    ux = Ux,
    x = X,
    x2 = X2,
    aptr = APTR,
    arow = AROW;
  const pair = PAIR,
    ustep = USTEP;
  const k1 = k + 1;
  if (gb(UPAIR, k) == 2) {
    for (let t = gi(aptr, k), e = gi(aptr, k1), s = s0, s2 = s1; t < e; t++, s++, s2++) {
      const r = gi(arow, t);
      sf(x, r, gf(x, r) + gf(av, s));
      sf(x2, r, gf(x2, r) + gf(av, s2));
    }
  } else {
    for (let t = gi(aptr, k), e = gi(aptr, k1), s = s0; t < e; t++, s++) {
      const r = gi(arow, t);
      sf(x, r, gf(x, r) + gf(av, s));
    }
    for (let t = gi(aptr, k1), e = gi(aptr, k1 + 1), s = s1; t < e; t++, s++) {
      const r = gi(arow, t);
      sf(x2, r, gf(x2, r) + gf(av, s));
    }
  }
  const uend = gi(up, k1) - 1;
  const off = gi(up, k1) - gi(up, k);
  let deferred = false;
  for (let p = gi(up, k); p < uend; p++) {
    const j = gi(ui, p);
    const a = gf(x, j),
      c = gf(x2, j);
    sf(x, j, 0);
    sf(x2, j, 0);
    sf(ux, p, a);
    sf(ux, p + off, c);
    const l0 = gi(lp, j) + 1,
      l1 = gi(lp, j + 1);
    const step = gb(ustep, p);
    if (step != 1) {
      const lj = gf(lx, l0);
      const a1 = gf(x, j + 1) - lj * a,
        c1 = gf(x2, j + 1) - lj * c;
      sf(x, j + 1, 0);
      sf(x2, j + 1, 0);
      p++;
      sf(ux, p, a1);
      sf(ux, p + off, c1);
      const m0 = gi(lp, j + 1) + 1;
      if (step == 4) {
        const n0 = gi(lp, j + 2) + 1;
        const u2 = gf(lx, l0 + 1),
          v2 = gf(lx, m0),
          u3 = gf(lx, l0 + 2),
          v3 = gf(lx, m0 + 1),
          w3 = gf(lx, n0);
        const a2 = gf(x, j + 2) - (u2 * a + v2 * a1),
          c2 = gf(x2, j + 2) - (u2 * c + v2 * c1);
        const a3 = gf(x, j + 3) - (u3 * a + v3 * a1) - w3 * a2,
          c3 = gf(x2, j + 3) - (u3 * c + v3 * c1) - w3 * c2;
        sf(x, j + 2, 0);
        sf(x2, j + 2, 0);
        sf(x, j + 3, 0);
        sf(x2, j + 3, 0);
        sf(ux, p + 1, a2);
        sf(ux, p + 1 + off, c2);
        sf(ux, p + 2, a3);
        sf(ux, p + 2 + off, c3);
        p += 2;
        for (
          let pl = l0 + 3, pm = m0 + 2, pn = n0 + 1, pr = gi(lp, j + 3) + 1, e = gi(lp, j + 4);
          pr < e;
          pl++, pm++, pn++, pr++
        ) {
          const i = gi(li, pr),
            u = gf(lx, pl),
            v = gf(lx, pm),
            w = gf(lx, pn),
            z = gf(lx, pr);
          sf(x, i, gf(x, i) - (u * a + v * a1) - (w * a2 + z * a3));
          sf(x2, i, gf(x2, i) - (u * c + v * c1) - (w * c2 + z * c3));
        }
        continue;
      }
      for (let pl = l0 + 1, pm = m0; pl < l1; pl++, pm++) {
        const i = gi(li, pl),
          u = gf(lx, pl),
          v = gf(lx, pm);
        sf(x, i, gf(x, i) - (u * a + v * a1));
        sf(x2, i, gf(x2, i) - (u * c + v * c1));
      }
      continue;
    }
    if (j == k - 1 && gb(pair, j) == 1) {
      deferred = true;
      if (a == 0) continue;
      for (let pl = l0; pl < l1; pl++) {
        const i = gi(li, pl);
        sf(x, i, gf(x, i) - gf(lx, pl) * a);
      }
      continue;
    }
    for (let pl = l0; pl < l1; pl++) {
      const i = gi(li, pl),
        u = gf(lx, pl);
      sf(x, i, gf(x, i) - u * a);
      sf(x2, i, gf(x2, i) - u * c);
    }
  }
  const pivot = gf(x, k);
  sf(x, k, 0);
  sf(ux, uend, pivot);
  if (!pivotOk(pivot, scaleL(lp, li, lx, x, k, pivot), tol)) {
    clearX(x, N);
    clearX(x2, N);
    return false;
  }
  const d1 = gi(up, k1 + 1) - 1;
  if (deferred) {
    const c = gf(ux, d1 - 2);
    const l0 = gi(lp, k - 1) + 1,
      l1 = gi(lp, k);
    const c1 = gf(x2, k) - gf(lx, l0) * c;
    sf(x2, k, 0);
    sf(ux, d1 - 1, c1);
    for (let pl = l0 + 1, pm = gi(lp, k) + 1; pl < l1; pl++, pm++) {
      const i = gi(li, pl);
      sf(x2, i, gf(x2, i) - (gf(lx, pl) * c + gf(lx, pm) * c1));
    }
  } else {
    const c = gf(x2, k);
    sf(x2, k, 0);
    sf(ux, d1 - 1, c);
    for (let pl = gi(lp, k) + 1, end = gi(lp, k1); pl < end; pl++) {
      const i = gi(li, pl);
      sf(x2, i, gf(x2, i) - gf(lx, pl) * c);
    }
  }
  const pivot1 = gf(x2, k1);
  sf(x2, k1, 0);
  sf(ux, d1, pivot1);
  if (!pivotOk(pivot1, scaleL(lp, li, lx, x2, k1, pivot1), tol)) {
    clearX(x, N);
    clearX(x2, N);
    return false;
  }
  return true;
}

export function solve(b: usize, xo: usize): void {
  const n = N;
  const y = W;
  const prow = PROW,
    lp = Lp,
    li = Li,
    lx = Lx,
    up = Up,
    ui = Ui,
    ux = Ux,
    pair = PAIR,
    upair = UPAIR,
    q = Q;
  for (let k = 0; k < n; k++) sf(y, k, gf(b, gi(prow, k)));
  for (let j = 0; j < n; j++) {
    const yj = gf(y, j);
    const l0 = gi(lp, j) + 1,
      l1 = gi(lp, j + 1);
    if (gb(pair, j) == 1) {
      const yj1 = gf(y, j + 1) - gf(lx, l0) * yj;
      sf(y, j + 1, yj1);
      j++;
      if (yj == 0 && yj1 == 0) continue;
      for (let pl = l0 + 1, pm = gi(lp, j) + 1; pl < l1; pl++, pm++) {
        const i = gi(li, pl);
        sf(y, i, gf(y, i) - gf(lx, pl) * yj - gf(lx, pm) * yj1);
      }
      continue;
    }
    if (yj == 0) continue;
    for (let pl = l0; pl < l1; pl++) {
      const i = gi(li, pl);
      sf(y, i, gf(y, i) - gf(lx, pl) * yj);
    }
  }
  for (let j = n - 1; j >= 0; j--) {
    const d = gi(up, j + 1) - 1;
    const yj = gf(y, j) / gf(ux, d);
    sf(xo, gi(q, j), yj);
    if (j > 0 && gb(upair, j - 1) != 0) {
      const d0 = gi(up, j) - 1;
      const yj1 = (gf(y, j - 1) - gf(ux, d - 1) * yj) / gf(ux, d0);
      sf(xo, gi(q, j - 1), yj1);
      const p0 = gi(up, j - 1);
      j--;
      if (yj == 0 && yj1 == 0) continue;
      for (let p = p0, pm = d0 + 1; p < d0; p++, pm++) {
        const i = gi(ui, p);
        sf(y, i, gf(y, i) - gf(ux, pm) * yj - gf(ux, p) * yj1);
      }
      continue;
    }
    if (yj == 0) continue;
    for (let p = gi(up, j); p < d; p++) {
      const i = gi(ui, p);
      sf(y, i, gf(y, i) - gf(ux, p) * yj);
    }
  }
}
