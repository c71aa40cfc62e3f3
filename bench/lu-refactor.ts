/**
 * The sparse LU alone on power-flow Jacobians: the TypeScript LU (lu.ts) against native KLU
 * (scale 0, as newtonpf uses it) on the same matrices, phase by phase: ordering, first
 * factorization, refactorization, solve. The Jacobians are those of a Newton power flow from
 * the case's start (one per iteration, values cycled), so the pivots are those a time series
 * meets. Also prints the factors' fill and the refactorization's flops.
 *
 * --order jacobian (default) analyzes as newtonpf does: the bus-graph AMD of jacobian-order.ts
 * (the time of that call is the analyze column), KLU on libamd's bus-graph order without BTF;
 * --order amd: luAnalyze (AMD on J with merged columns) and klu_analyze. The TypeScript LU is
 * told the Jacobian's pattern is structurally symmetric (LuSymbolic.symmetricPattern), as
 * newtonpf may. "solve" is the solve right after each refactorization, "solve again" a second
 * solve with the factors in cache.
 *
 * "ts" runs the TypeScript LU with its TypeScript kernels, "wasm" the same LU with the WebAssembly
 * refactorization and solve kernels (lu-wasm.ts; when wasm/build/lu-kernels.wasm is built).
 *
 * --baseline DIR times a second copy of the TypeScript LU in the same process (DIR holds the
 * sparse/ folder of another commit, e.g. `git archive <commit> src/solvers/sparse | tar -x -C
 * /tmp/base`, then --baseline /tmp/base/src/solvers/sparse): A/B without a second run.
 *
 *   npx tsx bench/lu-refactor.ts [--cases case1354pegase,case9241pegase] [--repeats 30]
 *     [--clock cpu|wall] [--order jacobian|amd] [--baseline DIR] [--json]
 *
 * Medians (and minima) of --repeats runs after a warm-up, microseconds.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { readCaseFile } from '../src/grid/matpower-case';
import { Network, PQ } from '../src/grid/network';
import { bustypes, elementStatus } from '../src/solvers/bustypes';
import { fillYbus, ybusAssembly } from '../src/solvers/ybus-assembly';
import { fillJacobian, jacobianPattern } from '../src/solvers/ac-jacobian';
import { jacobianOrder } from '../src/solvers/jacobian-order';
import { libamdOrder } from '../src/solvers/sparse/klu-block-order';
import type { Csc } from '../src/solvers/sparse/csc';
import { kluFactor, loadKlu } from '../src/solvers/sparse/klu-native';
import * as lu from '../src/solvers/sparse/lu';
import { LuNumeric } from '../src/solvers/sparse/lu-numeric';
import { factorStaticPivots } from '../src/solvers/sparse/lu-static-factor';
import { zcscMulVec, zvec } from '../src/solvers/sparse/zcsc';
import { LuKernel, wasmKernelUnavailableReason } from '../src/solvers/sparse/lu-wasm';

type LuModule = Pick<typeof lu, 'luAnalyze' | 'luFactor'>;

/** The Jacobians of a Newton power flow from the case's start, one per iteration. */
/** A Jacobian and what jacobianOrder needs to order it. */
interface NewtonJacobians {
  J: Csc;
  values: Float64Array[];
  rhs: Float64Array;
  order: (amd?: (A: Pick<Csc, 'n' | 'colPtr' | 'rowIdx'>) => Int32Array) => Int32Array;
}

function newtonJacobians(net: Network): NewtonJacobians {
  const st = elementStatus(net);
  const bt = bustypes(net, st);
  const Y = fillYbus(ybusAssembly(net, st), net, st).Ybus;
  const pv = Int32Array.from(bt.pv),
    pq = Int32Array.from(bt.pq);
  const pat = jacobianPattern(Y, pv, pq);
  const nb = net.bus.n;
  const Sbus = zvec(nb);
  for (let i = 0; i < nb; i++) {
    Sbus.re[i] = -net.bus.Pd[i] / net.baseMVA;
    Sbus.im[i] = -net.bus.Qd[i] / net.baseMVA;
  }
  for (let g = 0; g < net.gen.n; g++)
    if (st.genOn[g]) {
      Sbus.re[st.genBus[g]] += net.gen.Pg[g] / net.baseMVA;
      Sbus.im[st.genBus[g]] += net.gen.Qg[g] / net.baseMVA;
    }
  const Vm = Float64Array.from(net.bus.Vm);
  const Va = Float64Array.from(net.bus.Va, (a) => (a * Math.PI) / 180);
  for (let g = 0; g < net.gen.n; g++)
    if (st.genOn[g] && bt.typeAfter[st.genBus[g]] !== PQ) Vm[st.genBus[g]] = net.gen.Vg[g];
  const V = zvec(nb),
    I = zvec(nb),
    S = zvec(nb);
  const npv = pv.length,
    npq = pq.length,
    nx = pat.J.n;
  const F = new Float64Array(nx);
  const values: Float64Array[] = [];
  let rhs = new Float64Array(nx);
  for (let it = 0; it < 10; it++) {
    for (let i = 0; i < nb; i++) {
      V.re[i] = Vm[i] * Math.cos(Va[i]);
      V.im[i] = Vm[i] * Math.sin(Va[i]);
    }
    zcscMulVec(Y, V, I);
    for (let i = 0; i < nb; i++) {
      S.re[i] = V.re[i] * I.re[i] + V.im[i] * I.im[i];
      S.im[i] = V.im[i] * I.re[i] - V.re[i] * I.im[i];
    }
    let norm = 0;
    for (let c = 0; c < npv + npq; c++) {
      const b = c < npv ? pv[c] : pq[c - npv];
      F[c] = S.re[b] - Sbus.re[b];
      norm = Math.max(norm, Math.abs(F[c]));
    }
    for (let c = 0; c < npq; c++) {
      F[npv + npq + c] = S.im[pq[c]] - Sbus.im[pq[c]];
      norm = Math.max(norm, Math.abs(F[npv + npq + c]));
    }
    if (norm < 1e-8) break;
    fillJacobian(pat, Y, V, Vm, S);
    values.push(pat.J.values.slice());
    if (it === 0) rhs = F.slice();
    const f = lu.luFactor(pat.J);
    const dx = f.solve(F);
    for (let c = 0; c < npv; c++) Va[pv[c]] -= dx[c];
    for (let c = 0; c < npq; c++) {
      Va[pq[c]] -= dx[npv + c];
      Vm[pq[c]] -= dx[npv + npq + c];
    }
  }
  return { J: pat.J, values, rhs, order: (amd) => (amd ? jacobianOrder(Y, pv, pq, amd) : jacobianOrder(Y, pv, pq)) };
}

/** Flops of one refactorization (multiply-adds counted as 2) and the factors' entries. */
function factorCost(J: Csc, q: Int32Array): { nnzLU: number; flops: number } {
  const st = new LuNumeric(J.n);
  if (!factorStaticPivots(st, J, q, 1e-3)) return { nnzLU: NaN, flops: NaN };
  let flops = 0;
  for (let k = 0; k < J.n; k++) {
    for (let p = st.Up[k]; p < st.Up[k + 1] - 1; p++) flops += 2 * (st.Lp[st.Ui[p] + 1] - st.Lp[st.Ui[p]] - 1);
    flops += st.Lp[k + 1] - st.Lp[k] - 1;
  }
  return { nnzLU: st.Lp[J.n] + st.Up[J.n] - J.n, flops };
}

type Phase = 'analyze' | 'factor' | 'refactor' | 'solve' | 'solve again';
const PHASES: Phase[] = ['analyze', 'factor', 'refactor', 'solve', 'solve again'];
/** How the benchmark orders J (see --order). */
let busOrder: NewtonJacobians['order'] | null = null;
type Timer = (phase: Phase, fn: () => void) => void;

function runTs(
  m: LuModule,
  J: Csc,
  values: Float64Array[],
  rhs: Float64Array,
  time: Timer,
  kernel: LuKernel = 'ts',
): void {
  const A = { ...J, values: values[0] };
  let sym: lu.LuSymbolic | undefined;
  time('analyze', () => (sym = busOrder ? { n: J.n, q: busOrder() } : m.luAnalyze(A)));
  let f: lu.LuFactors | undefined;
  // a Jacobian's pattern is structurally symmetric (built on Ybus's), as newtonpf may promise
  time('factor', () => (f = m.luFactor(A, { symbolic: { ...sym!, symmetricPattern: true }, kernel })));
  const out = new Float64Array(J.n);
  for (let r = 0; r < 3; r++)
    for (const v of values) {
      const M = { ...J, values: v };
      time('refactor', () => f!.refactor(M));
      time('solve', () => f!.solve(rhs, out));
      time('solve again', () => f!.solve(rhs, out));
    }
  repivots = f!.stats.factorizations - 1;
  f!.dispose(); // as solvePfAc does: the next factorization reuses the WebAssembly memory
}

/** Refactorizations of the last TypeScript run that failed the threshold test and re-pivoted. */
let repivots = 0;

function runKlu(J: Csc, values: Float64Array[], rhs: Float64Array, time: Timer): void {
  const A = { ...J, values: values[0] };
  let f: ReturnType<typeof kluFactor> | undefined;
  const amd = busOrder ? libamdOrder() : null;
  const order = amd && busOrder ? busOrder(amd) : undefined;
  time('factor', () => (f = kluFactor(A, busOrder ? { scale: 0, btf: false, order } : { scale: 0 })));
  const out = new Float64Array(J.n);
  for (let r = 0; r < 3; r++)
    for (const v of values) {
      const M = { ...J, values: v };
      time('refactor', () => f!.refactor(M));
      time('solve', () => f!.solve(rhs, out));
      time('solve again', () => f!.solve(rhs, out));
    }
  f!.dispose();
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const argv = process.argv.slice(2);
  const arg = (k: string, d: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
  const dir = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
  const cases = arg('--cases', 'case1354pegase,case9241pegase').split(',');
  const repeats = Number(arg('--repeats', '30'));
  const cpu = arg('--clock', 'cpu') === 'cpu';
  const now = cpu
    ? () => {
        const u = process.cpuUsage();
        return u.user + u.system;
      }
    : () => performance.now() * 1000;
  const baseDir = arg('--baseline', '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const base = baseDir ? (require(resolve(baseDir, 'lu.ts')) as LuModule) : null;
  const peers: [string, (J: Csc, v: Float64Array[], b: Float64Array, t: Timer) => void][] = [
    ['ts', (J, v, b, t) => runTs(lu, J, v, b, t, 'ts')],
  ];
  if (!wasmKernelUnavailableReason()) peers.push(['wasm', (J, v, b, t) => runTs(lu, J, v, b, t, 'wasm')]);
  if (base) peers.push(['ts-baseline', (J, v, b, t) => runTs(base, J, v, b, t)]);
  if (loadKlu()) peers.push(['klu', runKlu]);
  const la0 = loadavg()[0];
  const rows: Record<string, unknown>[] = [];
  for (const name of cases) {
    const { J, values, rhs, order } = newtonJacobians(readCaseFile(join(dir, `${name}.m`)));
    busOrder = arg('--order', 'jacobian') === 'jacobian' ? order : null;
    const J0 = { ...J, values: values[0] };
    const cost = factorCost(J0, busOrder ? busOrder() : lu.luAnalyze(J0).q);
    const samples: Record<string, Record<Phase, number[]>> = {};
    for (const [p] of peers) samples[p] = { analyze: [], factor: [], refactor: [], solve: [], 'solve again': [] };
    const reps = J.n > 10000 ? Math.ceil(repeats / 3) : repeats;
    for (let r = -1; r < reps; r++)
      for (const [p, run] of r % 2 === 0 ? peers : peers.slice().reverse()) {
        run(J, values, rhs, (phase, fn) => {
          const t0 = now();
          fn();
          if (r >= 0) samples[p][phase].push(now() - t0);
        });
      }
    for (const [p] of peers) {
      const row: Record<string, unknown> = { case: name, n: J.n, nnzA: J.colPtr[J.n], lu: p };
      for (const ph of PHASES) {
        row[ph] = Number(median(samples[p][ph]).toFixed(1));
        row[`${ph} min`] = Number(Math.min(...samples[p][ph]).toFixed(1));
      }
      if (p === 'ts') Object.assign(row, cost, { repivots });
      rows.push(row);
    }
  }
  const la = `load average ${la0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`;
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ clock: cpu ? 'cpu' : 'wall', loadavg: la, rows }, null, 1));
    return;
  }
  console.log(`sparse LU on Newton Jacobians, median (min) us, ${cpu ? 'cpu' : 'wall'} clock, ${la}`);
  console.log(
    '| case | lu | analyze | factor | refactor | solve | solve again | nnz(L+U) | refactor Mflop | re-pivots |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const cell = (ph: string) => (Number.isNaN(r[ph]) ? '-' : `${String(r[ph])} (${String(r[`${ph} min`])})`);
    const mf = r.flops === undefined ? '' : (Number(r.flops) / 1e6).toFixed(2);
    console.log(
      `| ${String(r.case)} | ${String(r.lu)} | ${cell('analyze')} | ${cell('factor')} | ${cell('refactor')} | ${cell('solve')} | ${cell('solve again')} | ${r.nnzLU === undefined ? '' : String(r.nnzLU)} | ${mf} | ${r.repivots === undefined ? '' : String(r.repivots)} |`,
    );
  }
}

main();
