/**
 * lightsim2grid (pip `lightsim2grid`, C++ Newton-Raphson on KLU; reads MATPOWER .m files with
 * `matpowercaseframes` installed) side by side with gridbatch in the benchmarks. Detected at run
 * time; nothing of it is committed or imported by the product. One thread, tolerance and
 * iteration limit as given, no reactive limits, wall time around each loop measured inside
 * Python (`time.perf_counter`; `time.process_time`, CPU time, with clock 'cpu'), so interpreter
 * start and case parsing are not counted.
 *
 * Workloads (per case, one call runs them all once; the caller alternates calls with its own):
 *   cold: a fresh solver (analysis, factorization) for one AC PF from the case voltages;
 *   ts:   TimeSeriesCPP over the given load levels (all loads times the level), per PF;
 *   n1:   ContingencyAnalysisCPP over the given branch rows (MATPOWER order), per contingency.
 * The ts and n1 loops include lightsim2grid's compute_flows (gridbatch's results include flows).
 * Warm-up, as on the gridbatch side: as many untimed cold solves as timed ones, and each loop
 * run `warmRuns` times untimed before the timed run on a fresh object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LightsimJob {
  path: string;
  /** complex start voltage per bus (MATPOWER row order): case Vm / Va with Vg at generator buses */
  vmStart: number[];
  vaStartDeg: number[];
  levels: number[];
  /** MATPOWER branch rows (0-based) to take out one at a time */
  outages: number[];
  /** tolerance on ||mismatch||_inf in p.u. (MATPOWER's); lightsim2grid gets it times sn_mva, in MVA */
  tol: number;
  maxIt: number;
  coldRepeats: number;
  /** untimed runs of the ts and n1 loops before the timed one (default 1) */
  warmRuns?: number;
  /** 'wall' (default) or 'cpu': process CPU time, which a loaded machine distorts far less */
  clock?: 'wall' | 'cpu';
}

export interface LightsimResult {
  coldMs: number;
  /** Newton iterations of the (last) cold solve */
  coldIts?: number;
  /** absent when no levels / outages were given */
  tsMsPerPf?: number;
  tsConverged?: number;
  n1MsPerCase?: number;
  n1Converged?: number;
  /** solved base case Vm by bus row, to check both sides solve the same problem */
  vm: number[];
  /** Vm of the last time-series level by bus row */
  tsLastVm?: number[];
}

const SCRIPT = String.raw`
import json, sys, time
import numpy as np
from lightsim2grid.network import init_from_matpower
import lightsim2grid.lightsim2grid_cpp as cpp
import lightsim2grid
job = json.load(open(sys.argv[1]))
max_it = job["maxIt"]
clk = time.process_time if job.get("clock") == "cpu" else time.perf_counter
V0 = np.array(job["vmStart"]) * np.exp(1j * np.deg2rad(np.array(job["vaStartDeg"])))
out = {"version": lightsim2grid.__version__}
# cold: a new grid model solver each time (analysis + factorization + Newton)
g = init_from_matpower(job["path"])
# ac_pf, TimeSeriesCPP and ContingencyAnalysisCPP take the tolerance in MVA (they divide it by
# sn_mva): the job's tolerance is in p.u., as gridbatch's and MATPOWER's
tol = job["tol"] * g.get_sn_mva()
ts = []
vm = []
# as many untimed cold solves first as timed ones (as the gridbatch side does)
for k in range(job["coldRepeats"]):
    g.tell_solver_need_reset()
    g.tell_recompute_ybus()
    g.ac_pf(V0.astype(complex).copy(), max_it, tol)
for k in range(job["coldRepeats"]):
    g.tell_solver_need_reset()
    g.tell_recompute_ybus()
    V = V0.astype(complex).copy()
    t = clk()
    Vr = g.ac_pf(V, max_it, tol)
    ts.append(clk() - t)
    vm = np.abs(Vr).tolist() if Vr.shape[0] else []
out["coldMs"] = 1000 * float(np.median(ts))
out["coldIts"] = int(g.get_solver().get_nb_iter())
out["vm"] = vm
if len(job["levels"]) > 0:
# time series: all loads times each level
    g = init_from_matpower(job["path"])
    g.ac_pf(V0.astype(complex).copy(), max_it, tol)
    loads = g.get_loads()
    p0 = np.array([l.target_p_mw for l in loads]); q0 = np.array([l.target_q_mvar for l in loads])
    lv = np.array(job["levels"])
    n = len(lv)
    gen_p = np.tile(np.array([x.target_p_mw for x in g.get_generators()]), (n, 1))
    # the loop runs warmRuns times untimed (warm-up), then timed on a fresh object, as on the gridbatch side
    for warm in [True] * job.get("warmRuns", 1) + [False]:
        tsobj = cpp.TimeSeriesCPP(g)
        tsobj.modify_gen_p(np.ascontiguousarray(gen_p))
        tsobj.modify_load_p(np.ascontiguousarray(np.outer(lv, p0)))
        tsobj.modify_load_q(np.ascontiguousarray(np.outer(lv, q0)))
        t = clk()
        tsobj.compute(V0.astype(complex).copy(), max_it, tol)
        tsobj.compute_flows()
        dt = clk() - t
    Vs = tsobj.get_voltages()
    ok = int(np.sum(np.abs(Vs).sum(axis=1) > 0))
    out["tsMsPerPf"] = 1000 * dt / n
    out["tsConverged"] = ok
    out["tsLastVm"] = np.abs(Vs[-1]).tolist()
if len(job["outages"]) > 0:
# N-1: MATPOWER rows -> lightsim line / trafo ids (each keeps file order per end-bus pair)
    g = init_from_matpower(job["path"])
    lines, trafos = list(g.get_lines()), list(g.get_trafos())
    queue = {}
    for i, l in enumerate(lines): queue.setdefault((l.bus1_id, l.bus2_id), []).append(i)
    for j, tr in enumerate(trafos): queue.setdefault((tr.bus1_id, tr.bus2_id), []).append(len(lines) + j)
    fb, tb = job["branchF"], job["branchT"]
    ids = {}
    for row in range(len(fb)):
        q = queue.get((fb[row], tb[row])) or queue.get((tb[row], fb[row]))
        if q: ids[row] = q.pop(0)
    sel = [ids[r] for r in job["outages"] if r in ids]
    for warm in [True] * job.get("warmRuns", 1) + [False]:
        ca = cpp.ContingencyAnalysisCPP(g)
        ca.add_multiple_n1(sel)
        t = clk()
        ca.compute(V0.astype(complex).copy(), max_it, tol)
        ca.compute_flows()
        dt = clk() - t
    Vc = ca.get_voltages()
    out["n1MsPerCase"] = 1000 * dt / max(1, len(sel))
    out["n1Converged"] = int(np.sum(np.abs(Vc).sum(axis=1) > 0))
    out["n1Mapped"] = len(sel)
print(json.dumps(out))
`;

let available: boolean | undefined;

/** true when python3 can import lightsim2grid and matpowercaseframes. */
export function haveLightsim(): boolean {
  if (available === undefined) {
    available =
      spawnSync('python3', ['-c', 'import lightsim2grid, matpowercaseframes'], { stdio: 'ignore' }).status === 0;
  }
  return available;
}

/** Runs the three workloads once; null (with the error on stderr) when the run failed. */
export function runLightsim(
  job: LightsimJob & { branchF: number[]; branchT: number[] },
): (LightsimResult & { version: string; n1Mapped?: number }) | null {
  const dir = mkdtempSync(join(tmpdir(), 'gridbatch-ls2g-'));
  try {
    writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
    writeFileSync(join(dir, 'ls2g.py'), SCRIPT);
    const r = spawnSync('python3', [join(dir, 'ls2g.py'), join(dir, 'job.json')], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (r.status !== 0) {
      process.stderr.write(`lightsim2grid run failed:\n${r.stderr.slice(-2000)}\n`);
      return null;
    }
    return JSON.parse(r.stdout.trim().split('\n').pop() as string);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
