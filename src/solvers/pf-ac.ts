/**
 * AC power flow (Newton-Raphson, polar, power mismatch), as MATPOWER's runpf with default
 * options: start from the case's Vm / Va with generator setpoints Vg at PV / REF buses,
 * tol 1e-8 on ||mismatch||_inf, at most 10 iterations, pfsoln post-processing, optional
 * reactive-limit enforcement (pf.enforce_q_lims 1: all violators at once, 2: the largest
 * one at a time).
 *
 * Buses out of service or in islands without a reference bus are left out of the solve and
 * reported in `isolatedBuses`; their vm / va are NaN, their injections 0, generators on
 * them produce 0, and branches inside such islands carry no flow.
 *
 * `prepareAcPf(net)` caches what depends on the network's structure (bus types, the Ybus
 * pattern with every branch in it, Jacobian pattern, LU ordering and pivot sequence) so that
 * time slices (loads, dispatch, voltage setpoints) and branch outages re-solve cheaply: an
 * outage only changes Ybus values (explicit zeros, see ybus-assembly.ts), and the LU only
 * refactors. An outage variant starts from the base case's solution of the same injections
 * (solved once and kept, see ac-base-solutions.ts) unless no base solution is known and the
 * caller gave a start point; a single-branch outage takes its first Newton step from there on the
 * base case's Jacobian factors (ac-outage-newton-start.ts). The structure is checked on every call and the cache rebuilt
 * when it changed.
 */
import { pfsoln } from './pfsoln';
import { ownArrays } from './scratch-slab';
import { NONE, Network, PQ, PV, REF } from '../grid/network';
import { NewtonPfResult, NewtonPfWorkspace, newtonpf, newtonpfWorkspace } from './newtonpf';
import { Solution, SolutionArrays, SolveOptions, failedSolution, solutionArrays } from './solution';
import { ZVec } from './sparse/zcsc';
import { QlimState, applyQlimViolations, newQlimState } from './ac-qlims';
import { AcStructure, AcTopology, buildStructure, fitsStructure, topologyOf } from './pf-ac-cache';
import { OutageStartPoints } from './ac-outage-starts';
import { singleStatusChange } from './single-outage';
import { chordSteps, noteFactors } from './ac-chord-start';
import { assembleAcSolution } from './pf-ac-assemble';
import { coldTopology } from './pf-ac-cold';
import { reusingScratch } from './scratch-slab';

export const PF_AC_DEFAULTS = { tol: 1e-8, maxIt: 10, enforceQLims: 0 as 0 | 1 | 2 };

export interface PreparedAcPf {
  /** Solves `net` (same structure as prepared, else the cache is rebuilt first). */
  solve(net: Network, opts?: SolveOptions): Solution;
  /** true when `net` has the prepared structure (branch status may differ). */
  fits(net: Network): boolean;
  /** `solve` when `net` fits the prepared structure, else null (one structure check, not two). */
  solveIfFits(net: Network, opts?: SolveOptions): Solution | null;
  /**
   * How often the structure cache was (re)built, how many Newton workspaces it holds, how
   * many branch-status variants were set up on it, how many outage solves started from the
   * base case's solution of their time slice, and how many of those from its angles moved by
   * the DC outage response (ac-outage-start.ts).
   */
  readonly stats: {
    builds: number;
    workspaces: number;
    variants: number;
    baseStarts: number;
    dcStarts: number;
    /** outage solves whose first step was taken on the base case's factors (ac-outage-newton-start.ts) */
    newtonStarts: number;
    /** chord steps taken by warm starts on kept factors (ac-chord-start.ts) */
    chordSteps: number;
    /** last Newton steps of warm solves taken on the previous step's factors (newton-chord-tail.ts) */
    tailChordSteps: number;
    /**
     * Jacobians factored (one per Newton step, one per refresh among chord steps; not the base
     * case's, factored with its solution for the outages' first steps)
     */
    factorizations: number;
    /** warm starts whose mismatch came from the previous solve's injections (start-injections.ts) */
    heldStarts: number;
  };
}

export interface PrepareAcPfOptions {
  /**
   * The base case whose branch status outage variants are measured against (default: the
   * network given to prepareAcPf). Only its branch status column is read.
   */
  reference?: Network;
}

/**
 * pv / pq index lists (bus rows, ascending) for the given types, and a key naming them: the
 * ref, pv and left-out (NONE) buses, every other bus being PQ.
 */
function typeLists(types: Int8Array): { pv: Int32Array; pq: Int32Array; ref: number[]; key: string } {
  const pv: number[] = [],
    pq: number[] = [],
    ref: number[] = [],
    none: number[] = [];
  for (let i = 0; i < types.length; i++) {
    if (types[i] === PV) pv.push(i);
    else if (types[i] === PQ) pq.push(i);
    else if (types[i] === REF) ref.push(i);
    else none.push(i);
  }
  return {
    pv: Int32Array.from(pv),
    pq: Int32Array.from(pq),
    ref,
    key: `${ref.join(',')}|${pv.join(',')}|${none.join(',')}`,
  };
}

/**
 * The Newton workspace for `types`; buses an outage cut off keep their structure's type (held
 * fixed in the Newton solve), so islanding outages share the base Jacobian pattern.
 */
function workspaceFor(c: AcTopology, types: Int8Array): { ws: NewtonPfWorkspace; ref: number[]; fixed?: Uint8Array } {
  let newtonTypes = types;
  let fixed: Uint8Array | undefined;
  for (let i = 0; i < types.length; i++) {
    if (c.excluded[i] && c.structureTypes[i] !== NONE) {
      if (newtonTypes === types) newtonTypes = types.slice();
      newtonTypes[i] = c.structureTypes[i];
      fixed = c.excluded;
    }
  }
  const { pv, pq, ref: refAll, key } = typeLists(newtonTypes);
  const ref = refAll.filter((i) => !c.excluded[i]);
  let ws = c.workspaces.get(key);
  if (ws) {
    c.workspaces.delete(key); // most recently used last
  } else {
    // room for the branch flows in the kernels' memory when they can be computed there
    ws = newtonpfWorkspace(c.Y.Ybus, pv, pq, ownArrays, 'auto', c.adm ? c.status.f.length : 0);
    if (c.workspaces.size >= 16) c.workspaces.delete(c.workspaces.keys().next().value as string);
  }
  c.workspaces.set(key, ws);
  return { ws, ref, fixed };
}

/** S = (sum of in-service generation - load) / baseMVA at the solved buses. */
function makeSbus(net: Network, c: AcTopology, Pg: Float64Array, Qg: Float64Array, S: ZVec): ZVec {
  const nb = net.bus.n;
  const base = net.baseMVA;
  const { Pd, Qd } = net.bus;
  // arrays and counts read once, not per iteration (the loops write typed arrays, after which
  // the compiler may not assume net.gen.n unchanged)
  const Sr = S.re,
    Si = S.im;
  for (let i = 0; i < nb; i++) {
    Sr[i] = -Pd[i];
    Si[i] = -Qd[i];
  }
  const { genOn, genBus } = c.status;
  for (let g = 0, ng = net.gen.n; g < ng; g++) {
    if (!genOn[g]) continue;
    Sr[genBus[g]] += Pg[g];
    Si[genBus[g]] += Qg[g];
  }
  for (let i = 0; i < nb; i++) {
    Sr[i] /= base;
    Si[i] /= base;
  }
  return S;
}

/**
 * Start point (radians) into Vm / Va: case or warm-start values, Vg at PV / REF buses, 0 at
 * excluded buses.
 */
function startPoint(
  net: Network,
  c: AcTopology,
  types: Int8Array,
  src: SolveOptions['start'],
  Vm: Float64Array,
  Va: Float64Array,
): void {
  const nb = net.bus.n;
  if (src && (src.vm.length !== nb || src.vaDeg.length !== nb)) {
    throw new RangeError(`start point has ${src.vm.length} / ${src.vaDeg.length} values, network has ${nb} buses`);
  }
  const vms = src ? src.vm : net.bus.Vm;
  const vas = src ? src.vaDeg : net.bus.Va;
  const excluded = c.excluded;
  for (let i = 0; i < nb; i++) {
    if (excluded[i]) {
      Vm[i] = 0;
      Va[i] = 0;
      continue;
    }
    const vm = vms[i];
    const va = vas[i];
    const ok = Number.isFinite(vm) && Number.isFinite(va);
    Vm[i] = ok ? vm : 1;
    Va[i] = ok ? (va * Math.PI) / 180 : 0;
  }
  const { genOn, genBus } = c.status;
  // read once (an imported constant is a module getter per read, pfsoln.ts)
  const pvType = PV,
    refType = REF;
  const Vg = net.gen.Vg;
  for (let g = 0, ng = net.gen.n; g < ng; g++) {
    const b = genBus[g];
    if (genOn[g] && (types[b] === pvType || types[b] === refType)) Vm[b] = Vg[g];
  }
}

export function prepareAcPf(net: Network, popts: PrepareAcPfOptions = {}): PreparedAcPf {
  let structure: AcStructure = buildStructure(net);
  let referenceStatus = (popts.reference ?? net).branch.status.slice();
  let starts = new OutageStartPoints(net, referenceStatus);
  const stats = {
    builds: 1,
    workspaces: 0,
    variants: 0,
    baseStarts: 0,
    dcStarts: 0,
    newtonStarts: 0,
    chordSteps: 0,
    tailChordSteps: 0,
    factorizations: 0,
    heldStarts: 0,
  };
  let outageSolves = 0;
  const variant = (n: Network, branchStatus?: Float64Array, change?: number): AcTopology => {
    const before = structure.variants[0];
    const t = topologyOf(structure, n, branchStatus, change);
    if (t !== before && structure.variants.indexOf(t, 1) < 0) stats.variants++;
    return t;
  };
  /** Solves `n`, which fits the structure. */
  let callCount = 0;
  const solveFitting = (n: Network, opts: SolveOptions, t0: number): Solution => {
    // where the job's branch status differs from the reference: the variants' key
    const change = singleStatusChange(referenceStatus, n.branch.status);
    const topo = variant(n, undefined, change);
    // chord steps only on the factors of the previous call, and only when the caller continues
    // from it (a warm start): then a solve's result does not depend on what the solver did before
    const now = ++callCount;
    const calls = { now, chordFrom: opts.start ? now - 1 : null };
    let sol: Solution;
    if (change === -1) {
      const chordBefore = stats.chordSteps;
      sol = newtonOnTopology(n, topo, opts, opts.start, stats, calls);
      // kept only once outages are being solved on this structure (time series alone skip it), and
      // only a Newton solution (chord steps stop just under tol: a start outages share must not
      // depend on which chain of slices solved it first)
      if (sol.converged && stats.baseStarts + outageSolves > 0 && stats.chordSteps === chordBefore)
        starts.keep(n, topo, sol, opts);
    } else {
      // an outage variant: start from the base case's solution of the same injections
      outageSolves++;
      let start = starts.base(n);
      if (!start && !opts.start) {
        const baseTopo = variant(n, referenceStatus, -1);
        const base = newtonOnTopology(n, baseTopo, opts, opts.start, undefined, calls);
        if (base.converged) start = starts.keep(n, baseTopo, base, opts);
      }
      if (start) stats.baseStarts++;
      // Newton's first step on the base case's factors, else the DC-moved base solution
      const moved = start ? starts.moved(n, topo, start, structure.asm.adm, opts) : null;
      if (moved) stats[moved.kind === 'newton' ? 'newtonStarts' : 'dcStarts']++;
      const steps = moved?.kind === 'newton' ? 1 : 0;
      sol = newtonOnTopology(n, topo, opts, moved?.point ?? start, stats, calls, steps);
      // a moved start is a heuristic: should Newton fail from it, the base solution decides
      if (moved && !sol.converged) sol = newtonOnTopology(n, topo, opts, start, undefined, calls);
    }
    stats.workspaces = structure.workspaces.size;
    sol.solveMs = performance.now() - t0;
    return sol;
  };
  return {
    stats,
    fits: (n) => fitsStructure(structure, n),
    solve(n: Network, opts: SolveOptions = {}): Solution {
      const t0 = performance.now();
      if (!fitsStructure(structure, n)) {
        structure = buildStructure(n);
        referenceStatus = n.branch.status.slice();
        starts.release();
        starts = new OutageStartPoints(n, referenceStatus);
        stats.builds++;
      }
      return solveFitting(n, opts, t0);
    },
    solveIfFits(n: Network, opts: SolveOptions = {}): Solution | null {
      const t0 = performance.now();
      return fitsStructure(structure, n) ? solveFitting(n, opts, t0) : null;
    },
  };
}

export function solvePfAc(net: Network, opts: SolveOptions = {}): Solution {
  const t0 = performance.now();
  // its scratch views (Ybus, Newton workspace, Jacobian pattern) die with it: the next one-shot
  // solve carves the same memory again (scratch-slab.ts); the Solution's arrays are its own
  const sol = reusingScratch(() => {
    // built from the case alone, only what one solve reads (pf-ac-cold.ts)
    const topo = coldTopology(net);
    try {
      return newtonOnTopology(net, topo, opts);
    } finally {
      // the factors die with the solve: native ones are freed now, not when collected
      topo.first.value?.ws.lu?.dispose();
      for (const ws of topo.workspaces.values()) ws.lu?.dispose();
    }
  });
  sol.solveMs = performance.now() - t0;
  return sol;
}

/**
 * `start` (default: opts.start) overrides the options' start point; chord steps taken from it
 * are added to `counts`. `startSteps` Newton steps led to `start` (counted as iterations, taken
 * from the iteration limit).
 */
function newtonOnTopology(
  net: Network,
  c: AcTopology,
  opts: SolveOptions,
  start: SolveOptions['start'] = opts.start,
  counts?: { chordSteps: number; tailChordSteps: number; factorizations: number; heldStarts: number },
  calls: { now: number; chordFrom: number | null } = { now: -1, chordFrom: null },
  startSteps = 0,
): Solution {
  const tol = opts.tol ?? PF_AC_DEFAULTS.tol;
  // warm solves may end on the previous step's factors (newton-chord-tail.ts); a cold solve
  // takes MATPOWER's Newton steps
  const chordTail = start !== undefined;
  const maxIt = (opts.maxIt ?? PF_AC_DEFAULTS.maxIt) - startSteps;
  const qlim = opts.enforceQLims ?? PF_AC_DEFAULTS.enforceQLims;
  const nb = net.bus.n,
    ng = net.gen.n,
    nl = net.branch.n;
  if (c.ref.length === 0) return failedAc(net, c, 'no reference bus: no in-service generator at a REF or PV bus', 0);

  // reactive-limit passes change bus types and Qg: only then are they copied
  const ql: QlimState | null = qlim ? newQlimState(net, c.ref) : null;
  const types = ql ? c.typeAfter.slice() : c.typeAfter;
  const Pg = net.gen.Pg;
  const Qg = ql ? net.gen.Qg.slice() : net.gen.Qg;
  const first = (c.first.value ??= workspaceFor(c, types));
  startPoint(net, c, types, start, first.ws.Vm, first.ws.Va);
  let Vm = first.ws.Vm,
    Va = first.ws.Va;
  const out = solutionArrays(nb, ng, nl);
  let its = startSteps;
  let firstPass = true;
  for (;;) {
    // the variant's own bus types on the first pass; reactive-limit passes change them
    const { ws, ref, fixed } = firstPass ? first : workspaceFor(c, types);
    const Sbus = makeSbus(net, c, Pg, Qg, ws.Sbus);
    // a warm start's first steps on the factors of this variant's last solve (ac-chord-start.ts)
    const chord =
      firstPass && start && calls.chordFrom !== null
        ? chordSteps(c.Y.Ybus, Sbus, ws, { variant: c, call: calls.chordFrom }, tol, fixed, maxIt)
        : null;
    firstPass = false;
    const steps = chord ? chord.steps : 0;
    // chord steps that met tol leave the solution in ws (V, S current): no Newton evaluation
    const r: NewtonPfResult =
      chord && chord.normF < tol
        ? { V: ws.V, S: ws.S, Vm: ws.Vm, Va: ws.Va, converged: true, iterations: 0, normF: chord.normF, failure: null }
        : newtonpf(c.Y.Ybus, Sbus, Vm, Va, ws.pv, ws.pq, { tol, maxIt: maxIt - steps, fixed, chordTail }, ws);
    // a one-shot solve's factors (call -1) die with it: nothing to note for a next call
    if (calls.now >= 0) noteFactors(ws, c, calls.now);
    its += steps + r.iterations;
    if (counts) {
      const tail = r.chordSteps ?? 0;
      counts.chordSteps += steps;
      counts.tailChordSteps += tail;
      counts.factorizations += (chord ? chord.refactors : 0) + r.iterations - tail;
      if (chord?.heldStart) counts.heldStarts++;
    }
    if (!r.converged) {
      const why = r.failure ? `${r.failure}; ` : '';
      return failedAc(
        net,
        c,
        `AC power flow did not converge in ${its} iterations, ${why}max mismatch ${fmt(r.normF)} p.u.`,
        its,
      );
    }
    const sol = pfsoln(
      {
        baseMVA: net.baseMVA,
        busType: types,
        Pd: net.bus.Pd,
        Qd: net.bus.Qd,
        genBus: c.status.genBus,
        genOn: c.status.genOn,
        Pg,
        Qg,
        Qmax: net.gen.Qmax,
        Qmin: net.gen.Qmin,
        ref,
        branchOn: c.status.branchOn,
        f: c.status.f,
        t: c.status.t,
        // the flows from the workspace's kernels (at its V) when they can compute them
        flowsInto: c.adm && r.V === ws.V ? ws.kernels?.flowsInto(c.adm, c.status, net.baseMVA) : undefined,
      },
      c.Y.Ybus,
      c.Y.Yf,
      c.Y.Yt,
      r.V,
      r.S,
      {
        pg: out.gen.pg,
        qg: out.gen.qg,
        pf: out.branch.pf,
        qf: out.branch.qf,
        pt: out.branch.pt,
        qt: out.branch.qt,
      },
    );
    if (ql) {
      const step = applyQlimViolations(ql, net, c.status, types, sol.qg, qlim as 1 | 2);
      if (step.kind === 'error') return failedAc(net, c, step.message, its);
      if (step.kind === 'changed') {
        Qg.set(step.Qg);
        Vm = r.Vm;
        Va = r.Va;
        continue;
      }
    }
    return assembleAcSolution(net, c, types, r, sol, its, ql, out);
  }
}

function failedAc(net: Network, c: AcTopology, msg: string, its: number): Solution {
  return failedSolution('pf_ac', net.bus.n, net.gen.n, net.branch.n, msg, c.isolatedBusNumbers, its);
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(3) : String(x);
}
