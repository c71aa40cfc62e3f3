/**
 * Where a cold AC power flow (`solvePfAc` from scratch, as bench:contingency and bench:pf time
 * it) spends its time, phase by phase, on each LU backend: element status and bus types, Ybus /
 * Yf / Yt in one pass (ybus-direct.ts, as pf-ac-cold.ts builds them), the Jacobian pattern, the
 * LU's ordering (TS: AMD on the bus graph, jacobian-order.ts; KLU: libamd on the same bus graph,
 * then klu_analyze_given without BTF or scaling, as newtonpf calls it) and first numeric
 * factorization, the Newton iterations after it (Jacobian fill, refactor, solve, mismatch),
 * pfsoln. The network is loaded before timing (parsing is excluded). The phases repeat what
 * solvePfAc does through the same functions; `total` times solvePfAc itself for comparison.
 * Medians (--stat min: minima, steadier on a loaded machine) over --repeats runs after a
 * warm-up, milliseconds; --clock cpu (default) uses process CPU time, wall the elapsed time.
 *
 *   npx tsx bench/pf-cold-phases.ts [--cases case118,case1354pegase,case9241pegase]
 *     [--repeats 20] [--clock wall|cpu] [--stat median|min] [--lu ts,klu] [--json]
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { readCaseFile } from '../src/grid/matpower-case';
import { Network, PQ, PV } from '../src/grid/network';
import { busesWithoutReference, bustypes, elementStatus } from '../src/solvers/bustypes';
import { ybusDirect } from '../src/solvers/ybus-direct';
import { fillJacobian, jacobianPattern } from '../src/solvers/ac-jacobian';
import { pfsoln } from '../src/solvers/pfsoln';
import { solvePfAc } from '../src/solvers/pf-ac';
import { luFactor } from '../src/solvers/sparse/lu';
import { jacobianOrder } from '../src/solvers/jacobian-order';
import type { SparseLu } from '../src/solvers/sparse/lu-backend';
import { kluFactor, loadKlu } from '../src/solvers/sparse/klu-native';
import { libamdOrder } from '../src/solvers/sparse/klu-block-order';
import { ZVec, zcscMulVec, zvec } from '../src/solvers/sparse/zcsc';

type Clock = () => number;

function clockOf(kind: 'wall' | 'cpu'): Clock {
  if (kind === 'wall') return () => performance.now();
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

const PHASES = [
  'status+bustypes',
  'ybus (one pass)',
  'islands',
  'jacobian pattern',
  'sbus+start',
  'first J fill',
  'ordering (AMD)',
  'first factor',
  'newton rest',
  'pfsoln',
  'phases sum',
  'solvePfAc total',
] as const;
type Phase = (typeof PHASES)[number];

/** One cold solve split into phases (same steps as solvePfAc, no reactive limits). */
function phases(net: Network, lu: 'ts' | 'klu', now: Clock, tol = 1e-8): Record<Phase, number> & { its: number } {
  const out = {} as Record<Phase, number> & { its: number };
  let t = now();
  const lap = (p: Phase) => {
    const u = now();
    out[p] = u - t;
    t = u;
  };
  const st = elementStatus(net, false); // end rows looked up afresh, as the cold path does
  const bt = bustypes(net, st);
  lap('status+bustypes');
  const Y = ybusDirect(net, st);
  lap('ybus (one pass)');
  busesWithoutReference(net, st, bt.ref);
  lap('islands');
  const pv = Int32Array.from(bt.pv),
    pq = Int32Array.from(bt.pq);
  const pat = jacobianPattern(Y.Ybus, pv, pq);
  lap('jacobian pattern');
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
  const Vm = new Float64Array(nb),
    Va = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    Vm[i] = net.bus.Vm[i];
    Va[i] = (net.bus.Va[i] * Math.PI) / 180;
  }
  for (let g = 0; g < net.gen.n; g++) {
    const b = st.genBus[g];
    if (st.genOn[g] && bt.typeAfter[b] !== PQ) Vm[b] = net.gen.Vg[g];
  }
  const V = zvec(nb),
    I = zvec(nb),
    S = zvec(nb);
  const inject = () => {
    for (let i = 0; i < nb; i++) {
      V.re[i] = Vm[i] * Math.cos(Va[i]);
      V.im[i] = Vm[i] * Math.sin(Va[i]);
    }
    zcscMulVec(Y.Ybus, V, I);
    for (let i = 0; i < nb; i++) {
      S.re[i] = V.re[i] * I.re[i] + V.im[i] * I.im[i];
      S.im[i] = V.im[i] * I.re[i] - V.re[i] * I.im[i];
    }
  };
  const npv = pv.length,
    npq = pq.length,
    nx = pat.J.n;
  const F = new Float64Array(nx),
    dx = new Float64Array(nx);
  const mismatch = (): number => {
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
    return norm;
  };
  inject();
  let normF = mismatch();
  lap('sbus+start');
  fillJacobian(pat, Y.Ybus, V, Vm, S);
  lap('first J fill');
  let f: SparseLu;
  if (lu === 'ts') {
    const q = jacobianOrder(Y.Ybus, pv, pq); // as newtonpf orders the TS LU's Jacobian
    lap('ordering (AMD)');
    const g = luFactor(pat.J, { symbolic: { n: nx, q } });
    f = { n: nx, backend: 'ts', solve: (b, o) => g.solve(b, o), refactor: (M) => g.refactor(M), dispose: () => 0 };
    lap('first factor');
  } else {
    // as newtonpf factors the Jacobian with KLU: libamd on the bus graph, klu_analyze_given
    // (KLU's own klu_analyze, timed with the factorization, when libamd is missing)
    const amd = libamdOrder();
    const q = amd ? jacobianOrder(Y.Ybus, pv, pq, amd) : undefined;
    lap('ordering (AMD)');
    f = kluFactor(pat.J, { scale: 0, btf: false, order: q });
    lap('first factor');
  }
  let its = 0;
  for (;;) {
    f.solve(F, dx);
    its++;
    for (let c = 0; c < npv; c++) Va[pv[c]] -= dx[c];
    for (let c = 0; c < npq; c++) {
      Va[pq[c]] -= dx[npv + c];
      Vm[pq[c]] -= dx[npv + npq + c];
    }
    inject();
    normF = mismatch();
    if (normF < tol || its >= 10) break;
    fillJacobian(pat, Y.Ybus, V, Vm, S);
    f.refactor(pat.J);
  }
  f.dispose();
  lap('newton rest');
  const ref = bt.ref;
  const types = bt.typeAfter;
  void PV;
  pfsoln(
    {
      baseMVA: net.baseMVA,
      busType: types,
      Pd: net.bus.Pd,
      Qd: net.bus.Qd,
      genBus: st.genBus,
      genOn: st.genOn,
      Pg: net.gen.Pg.slice(),
      Qg: net.gen.Qg.slice(),
      Qmax: net.gen.Qmax,
      Qmin: net.gen.Qmin,
      ref,
      branchOn: st.branchOn,
      f: st.f,
      t: st.t,
    },
    Y.Ybus,
    Y.Yf,
    Y.Yt,
    V as ZVec,
    S,
  );
  lap('pfsoln');
  out['phases sum'] = PHASES.slice(0, PHASES.indexOf('phases sum')).reduce((s, p) => s + out[p], 0);
  process.env.GRIDBATCH_LU = lu; // solvePfAc's backend ('auto' follows it)
  const t0 = now();
  const sol = solvePfAc(net, { tol, maxIt: 10 });
  out['solvePfAc total'] = now() - t0;
  if (!sol.converged || sol.iterations !== its) throw new Error(`phases: ${its} its vs solvePfAc ${sol.iterations}`);
  out.its = its;
  return out;
}

function minOf(xs: number[]): number {
  return Math.min(...xs);
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const argv = process.argv.slice(2);
  const arg = (k: string, d: string) => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : d;
  };
  const dir = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
  const cases = arg('--cases', 'case118,case1354pegase,case9241pegase').split(',');
  const repeats = Number(arg('--repeats', '20'));
  const clock = arg('--clock', 'cpu') as 'wall' | 'cpu';
  const stat = arg('--stat', 'median') === 'min' ? minOf : median;
  const lus = arg('--lu', loadKlu() ? 'ts,klu' : 'ts').split(',') as ('ts' | 'klu')[];
  const now = clockOf(clock);
  const rows: Record<string, unknown>[] = [];
  const la0 = loadavg()[0];
  for (const name of cases) {
    const net = readCaseFile(join(dir, `${name}.m`));
    const runs: Record<string, Record<Phase, number>[]> = {};
    for (const lu of lus) runs[lu] = [];
    const reps = net.bus.n > 5000 ? Math.max(3, Math.ceil(repeats / 4)) : repeats;
    for (const lu of lus) phases(net, lu, now); // warm-up
    for (let r = 0; r < reps; r++) for (const lu of lus) runs[lu].push(phases(net, lu, now));
    for (const lu of lus) {
      const row: Record<string, unknown> = { case: name, lu };
      for (const p of PHASES) row[p] = Number(stat(runs[lu].map((x) => x[p])).toFixed(3));
      rows.push(row);
    }
  }
  const la = `load average ${la0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`;
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ clock, stat: stat.name, loadavg: la, rows }, null, 1));
    return;
  }
  console.log(`cold AC power flow by phase, ${stat === minOf ? 'min' : 'median'} ms (${clock} clock, ${la})`);
  const head = ['phase', ...rows.map((r) => `${String(r.case)} ${String(r.lu)}`)];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const p of PHASES) console.log(`| ${p} | ${rows.map((r) => String(r[p])).join(' | ')} |`);
}

main();
