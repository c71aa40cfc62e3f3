/**
 * DC power flow as MATPOWER's rundcpf / dcpf:
 *   Pbus = (Cg Pg - Pd - Gs) / baseMVA - Pbusinj
 *   Va[pvpq] = B[pvpq,pvpq] \ (Pbus[pvpq] - B[pvpq,ref] Va[ref])
 *   Pf = (Bf Va + Pfinj) baseMVA,  Pt = -Pf,  slack Pg updated from B[ref,:] Va - Pbus[ref].
 *
 * `prepareDcPf` factors B once per topology; `solveDcPfPrepared` reuses the factors for every
 * time slice and load level of that topology (only injections change).
 */
import { busesWithoutReference, bustypes, elementStatus, Status } from './bustypes';
import { Bdc, makeBdc } from './makeBdc';
import { Network } from '../grid/network';
import { failedSolution, Solution } from './solution';
import { cscMulVecInto, cscSubmatrix } from './sparse/csc';
import { LuFactors, luFactor } from './sparse/lu';

export interface DcPfModel {
  status: Status;
  bdc: Bdc;
  ref: number[];
  pvpq: number[];
  /** first in-service generator at each reference bus (takes the slack) */
  refGen: number[];
  lu: LuFactors;
  /** B[pvpq, ref] for moving the reference angles to the right-hand side */
  Bref: ReturnType<typeof cscSubmatrix>;
  /** work arrays of solveDcPfPrepared (made on first use, never returned) */
  scratch?: DcPfScratch;
}

/**
 * The arrays a DC solve needs only while it runs, kept with its model: a small grid's solve made
 * ~15 typed arrays a job, ~1 us each (a buffer outside the heap, freed by the garbage collector),
 * more than its arithmetic. One solve at a time per model (a thread's solves are sequential).
 */
interface DcPfScratch {
  Pbus: Float64Array;
  /** angles in radians */
  Va: Float64Array;
  vaRef: Float64Array;
  rhs: Float64Array;
  shift: Float64Array;
  x: Float64Array;
  BVa: Float64Array;
  BfVa: Float64Array;
}

function scratchOf(m: DcPfModel, nb: number, nl: number): DcPfScratch {
  const s = m.scratch;
  if (s && s.Va.length === nb && s.BfVa.length === nl) return s;
  const np = m.pvpq.length;
  return (m.scratch = {
    Pbus: new Float64Array(nb),
    Va: new Float64Array(nb),
    vaRef: new Float64Array(m.ref.length),
    rhs: new Float64Array(np),
    shift: new Float64Array(np),
    x: new Float64Array(np),
    BVa: new Float64Array(nb),
    BfVa: new Float64Array(nl),
  });
}

export type Prepared = { ok: true; model: DcPfModel } | { ok: false; error: string; isolatedBuses: number[] };

/** Topology-dependent part: bus types, B matrix and its LU factors. */
export function prepareDcPf(net: Network): Prepared {
  const status = elementStatus(net);
  const { ref, pv, pq } = bustypes(net, status);
  const offBuses = offBusNumbers(net, status);
  if (ref.length === 0) {
    return {
      ok: false,
      error: 'no reference bus: no REF or PV bus has an in-service generator',
      isolatedBuses: offBuses,
    };
  }
  const cut = busesWithoutReference(net, status, ref);
  if (cut.length > 0) {
    const ids = cut.map((i) => net.bus.busI[i]);
    const shown = ids.slice(0, 20).join(', ') + (ids.length > 20 ? `, ... (${ids.length} in all)` : '');
    return {
      ok: false,
      error: `network split: bus${ids.length > 1 ? 'es' : ''} ${shown} cut off from the reference bus (no in-service branch path)`,
      isolatedBuses: offBuses.concat(ids),
    };
  }
  const bdc = makeBdc(net, status);
  const pvpq = pv.concat(pq).sort((a, b) => a - b);
  // the model keeps its factors (never disposed): their WebAssembly arrays share a memory
  const lu = luFactor(cscSubmatrix(bdc.Bbus, pvpq, pvpq), { kept: true });
  const Bref = cscSubmatrix(bdc.Bbus, pvpq, ref);
  const refGen = ref.map((r) => {
    for (let g = 0; g < net.gen.n; g++) if (status.genOn[g] && status.genBus[g] === r) return g;
    return -1;
  });
  return { ok: true, model: { status, bdc, ref, pvpq, refGen, lu, Bref } };
}

/** Bus numbers of buses out of service (type NONE). */
function offBusNumbers(net: Network, st: Status): number[] {
  const out: number[] = [];
  for (let i = 0; i < net.bus.n; i++) if (!st.busOn[i]) out.push(net.bus.busI[i]);
  return out;
}

/** Net active injection per bus in p.u., as rundcpf builds it. */
export function dcInjections(net: Network, m: DcPfModel): Float64Array {
  return dcInjectionsInto(net, m, new Float64Array(net.bus.n));
}

/** dcInjections into `P` (length bus.n, overwritten). */
function dcInjectionsInto(net: Network, m: DcPfModel, P: Float64Array): Float64Array {
  const { bus, gen, baseMVA } = net;
  P.fill(0);
  for (let g = 0; g < gen.n; g++) if (m.status.genOn[g]) P[m.status.genBus[g]] += gen.Pg[g];
  for (let i = 0; i < bus.n; i++) P[i] = (P[i] - bus.Pd[i] - bus.Gs[i]) / baseMVA - m.bdc.Pbusinj[i];
  return P;
}

/** Solves with factors from prepareDcPf; `net` must have the model's topology. */
export function solveDcPfPrepared(net: Network, m: DcPfModel): Solution {
  const t0 = performance.now();
  const { bus, gen, branch, baseMVA } = net;
  const nb = bus.n,
    ng = gen.n,
    nl = branch.n;
  const w = scratchOf(m, nb, nl);
  const Pbus = dcInjectionsInto(net, m, w.Pbus);
  const Va = w.Va;
  for (let i = 0; i < nb; i++) Va[i] = (bus.Va[i] * Math.PI) / 180;
  for (let k = 0; k < m.ref.length; k++) w.vaRef[k] = Va[m.ref[k]];
  const rhs = w.rhs;
  const shift = cscMulVecInto(m.Bref, w.vaRef, w.shift);
  for (let k = 0; k < m.pvpq.length; k++) rhs[k] = Pbus[m.pvpq[k]] - shift[k];
  const x = m.lu.solve(rhs, w.x);
  for (let k = 0; k < m.pvpq.length; k++) Va[m.pvpq[k]] = x[k];

  // the solution's arrays are views of one buffer (one allocation, not eight)
  const out = new Float64Array(2 * nb + 2 * ng + 4 * nl);
  let at = 0;
  const take = (n: number) => out.subarray(at, (at += n));
  const vm = take(nb),
    vaDeg = take(nb),
    pg = take(ng),
    qg = take(ng),
    pf = take(nl),
    qf = take(nl),
    pt = take(nl),
    qt = take(nl);
  for (let i = 0; i < nb; i++) {
    const on = m.status.busOn[i];
    vm[i] = on ? 1 : bus.Vm[i];
    vaDeg[i] = on ? (Va[i] * 180) / Math.PI : bus.Va[i];
  }
  for (let g = 0; g < ng; g++) pg[g] = m.status.genOn[g] ? gen.Pg[g] : 0;
  const BVa = cscMulVecInto(m.bdc.Bbus, Va, w.BVa);
  for (let k = 0; k < m.ref.length; k++) {
    const g = m.refGen[k];
    const r = m.ref[k];
    if (g >= 0) pg[g] += (BVa[r] - Pbus[r]) * baseMVA;
  }
  const BfVa = cscMulVecInto(m.bdc.Bf, Va, w.BfVa);
  for (let l = 0; l < nl; l++) {
    if (!m.status.branchOn[l]) continue;
    pf[l] = (BfVa[l] + m.bdc.Pfinj[l]) * baseMVA;
    pt[l] = -pf[l];
  }
  return {
    task: 'pf_dc',
    converged: true,
    iterations: 1,
    solveMs: performance.now() - t0,
    objective: null,
    error: null,
    bus: { vm, vaDeg },
    gen: { pg, qg },
    branch: { pf, qf, pt, qt },
    isolatedBuses: offBusNumbers(net, m.status),
  };
}

export function solvePfDc(net: Network): Solution {
  return solvePfDcWith(net, prepareDcPf);
}

/** pf_dc of `net` with the model `prepare` gives (prepareDcPf, or a cache of its results). */
export function solvePfDcWith(net: Network, prepare: (net: Network) => Prepared): Solution {
  const t0 = performance.now();
  const p = prepare(net);
  if (!p.ok)
    return failedSolution(
      'pf_dc',
      net.bus.n,
      net.gen.n,
      net.branch.n,
      p.error,
      p.isolatedBuses,
      0,
      performance.now() - t0,
    );
  const s = solveDcPfPrepared(net, p.model);
  s.solveMs = performance.now() - t0;
  return s;
}
