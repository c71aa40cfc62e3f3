/**
 * Applying a resolved scenario (and, for one time slice, the profiles) to a network. Returns a
 * modified copy; the base network is never changed (the copy is a copy-on-write draft: columns
 * no step writes are the base's own arrays, network-draft.ts). Steps, in this order:
 *
 * 1. profiles at `time` (skipped when time is null or no profiles): `multiplier` multiplies the
 *    base value, `value` replaces it. load:<bus> p/q -> Pd/Qd; gen:<row> p/q/pmax -> Pg/Qg/Pmax.
 *    A time the profile does not have is an InputError naming the profile file and the time.
 * 2. loads: every bus's Pd and Qd are multiplied by loadScale and by loadFactors[bus] (absent = 1).
 * 3. renewables: when renewableScale != 1, Pg and Pmax are multiplied for generators whose genfuel
 *    names wind/solar/pv/renewable (case-insensitive), or for every generator when the case has no
 *    genfuel (GAT's behaviour; loadSpec warns about it).
 * 3b. ML perturbations recorded on the scenario (ml-perturbations.ts): generator cost rows
 *    permuted or scaled, branch r and x scaled.
 * 4. dispatch overrides: p_max_mw / p_min_mw replace Pmax / Pmin, must_run: true sets status 1,
 *    cost_multiplier scales that generator's gencost (polynomial coefficients, or the cost values
 *    of a piecewise-linear row).
 * 5. outages (last, so nothing above can bring an outaged element back):
 *    branch -> status 0; gen -> status 0 and Pg = Qg = 0 (MATPOWER's out-of-service generator,
 *    with zero output as GAT does);
 *    bus -> type 4 (NONE), Pd = Qd = 0, every branch at the bus and every generator at it out as above.
 */
import { InputError } from '../errors';
import { NONE, Network } from '../grid/network';
import { resolveElementId } from './grid-ids';
import { profileTimeIndex } from './profiles';
import { isRenewableFuel } from './resolve';
import { applyMlPerturbation } from './ml-perturbations';
import { NetworkDraft } from './network-draft';
export { findIslands } from './islands';
export type { IslandResult } from './islands';
import { normaliseTime } from './time';
import { LoadedProfiles, ResolvedScenario } from './types';

export function applyScenario(
  base: Network,
  s: ResolvedScenario,
  time: string | null,
  profiles?: LoadedProfiles,
): Network {
  const d = new NetworkDraft(base);
  if (time !== null && profiles) applyProfiles(d, profiles, time);
  scaleLoads(d, s);
  if (s.renewableScale !== 1) scaleRenewables(d, s.renewableScale);
  // the perturbation draws write branch r and x and replace cost rows
  if (s.branchImpedanceFactors) (d.col('branch', 'r'), d.col('branch', 'x'));
  if (s.genCostSource || s.genCostFactors) d.gencost();
  applyMlPerturbation(d.net, s);
  applyOverrides(d, s);
  applyOutages(d, s);
  return d.net;
}

function applyProfiles(d: NetworkDraft, p: LoadedProfiles, time: string): void {
  const net = d.net;
  const t = normaliseTime(time);
  if (!t.ok) throw new InputError(`time slice: ${t.reason}`, { file: p.file });
  const row = profileTimeIndex(p, t.value);
  if (row === undefined) throw new InputError(`time ${t.value} is not in the profile`, { file: p.file });
  const values = p.values[row];
  const mult = p.kind === 'multiplier';
  p.series.forEach((ser, k) => {
    const v = values[k];
    if (v === null || v === undefined) return;
    let col: Float64Array;
    let i: number;
    if (ser.element === 'load') {
      const r = net.busIndex.get(ser.id);
      if (r === undefined) throw new InputError(`load:${ser.id}: bus ${ser.id} is not in the grid`, { file: p.file });
      col = d.col('bus', ser.field === 'p' ? 'Pd' : 'Qd');
      i = r;
    } else {
      if (ser.id < 1 || ser.id > net.gen.n)
        throw new InputError(`gen:${ser.id}: gen row out of range`, { file: p.file });
      col = d.col('gen', ser.field === 'p' ? 'Pg' : ser.field === 'q' ? 'Qg' : 'Pmax');
      i = ser.id - 1;
    }
    col[i] = mult ? col[i] * v : v;
  });
}

function scaleLoads(d: NetworkDraft, s: ResolvedScenario): void {
  const { busI, n } = d.net.bus;
  const f = s.loadFactors;
  // the draft's own columns, taken once (at the first bus that changes), not twice per bus
  let Pd: Float64Array | undefined, Qd: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    const k = s.loadScale * (f ? (f[String(busI[i])] ?? 1) : 1);
    if (k === 1) continue;
    Pd ??= d.col('bus', 'Pd');
    Qd ??= d.col('bus', 'Qd');
    Pd[i] *= k;
    Qd[i] *= k;
  }
}

function scaleRenewables(d: NetworkDraft, k: number): void {
  const fuel = d.net.genFuel;
  const Pg = d.col('gen', 'Pg'),
    Pmax = d.col('gen', 'Pmax');
  for (let g = 0; g < d.net.gen.n; g++) {
    if (fuel && !isRenewableFuel(fuel[g])) continue;
    Pg[g] *= k;
    Pmax[g] *= k;
  }
}

function genRow(net: Network, id: string, what: string): number {
  const r = resolveElementId(net, 'gen', id);
  if (!r.ok) throw new InputError(`${what}: ${r.reason}`, { key: what });
  return r.row;
}

function applyOverrides(d: NetworkDraft, s: ResolvedScenario): void {
  s.dispatchOverrides.forEach((o, j) => {
    const g = genRow(d.net, o.resource_id, `dispatch_overrides[${j}].resource_id`);
    if (o.p_max_mw !== undefined) d.col('gen', 'Pmax')[g] = o.p_max_mw;
    if (o.p_min_mw !== undefined) d.col('gen', 'Pmin')[g] = o.p_min_mw;
    if (o.must_run === true) d.col('gen', 'status')[g] = 1;
    if (o.cost_multiplier !== undefined && d.net.gencost[g]) {
      const rows = d.gencost();
      const c = rows[g];
      const m = o.cost_multiplier;
      // a new row: the old one may be the base's
      rows[g] = {
        ...c,
        coeffs: c.model === 2 ? c.coeffs.map((x) => x * m) : c.coeffs.map((x, k) => (k % 2 === 1 ? x * m : x)),
      };
    }
  });
}

function genOff(d: NetworkDraft, g: number): void {
  d.col('gen', 'status')[g] = 0;
  d.col('gen', 'Pg')[g] = 0;
  d.col('gen', 'Qg')[g] = 0;
}

function applyOutages(d: NetworkDraft, s: ResolvedScenario): void {
  const net = d.net;
  s.outages.forEach((o, j) => {
    const r = resolveElementId(net, o.type, o.id);
    if (!r.ok) throw new InputError(`unknown outage id: ${r.reason}`, { key: `outages[${j}].id` });
    if (o.type === 'branch') d.col('branch', 'status')[r.row] = 0;
    else if (o.type === 'gen') genOff(d, r.row);
    else {
      const bus = net.bus.busI[r.row];
      d.col('bus', 'type')[r.row] = NONE;
      d.col('bus', 'Pd')[r.row] = 0;
      d.col('bus', 'Qd')[r.row] = 0;
      for (let l = 0; l < net.branch.n; l++)
        if (net.branch.fbus[l] === bus || net.branch.tbus[l] === bus) d.col('branch', 'status')[l] = 0;
      for (let g = 0; g < net.gen.n; g++) if (net.gen.bus[g] === bus) genOff(d, g);
    }
  });
}
