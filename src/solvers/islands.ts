/**
 * The island rule, one for every task (pf_dc, pf_ac, opf_dc, opf_ac), applied to a network
 * before any solver sees it and to the solution after:
 *
 * - buses connected through in-service branches to a reference bus (MATPOWER's bustypes: a REF
 *   bus with an in-service generator, else the first such PV bus) are solved;
 * - an island without a reference bus is de-energized: its buses become type NONE, its branches
 *   and generators go out of service, and its load is lost (`deenergize`, the default);
 * - with `slack_per_island`, an island without a reference bus that has in-service generation
 *   keeps running: its largest generator (by Pmax, the first row on a tie) makes its bus the
 *   island's reference, as MATPOWER does when a case has no REF bus; islands without generation
 *   are de-energized as above;
 * - with `fail`, a split network is a failed job naming the cut-off buses (the old behaviour).
 *
 * Lost load is the sum of Pd of the de-energized buses, lost generation the sum of Pg (the
 * scheduled dispatch of the job, before solving) of their in-service generators, both in MW.
 * Pure functions: the network passed in is never changed.
 */
import { busComponents, bustypes, elementStatus } from './bustypes';
import { cloneNetwork, Network, NONE, REF } from '../grid/network';
import { Solution } from './solution';

export const ISLAND_MODES = ['deenergize', 'slack_per_island', 'fail'] as const;
export type IslandMode = (typeof ISLAND_MODES)[number];
export const DEFAULT_ISLAND_MODE: IslandMode = 'deenergize';

export function isIslandMode(s: string): s is IslandMode {
  return (ISLAND_MODES as readonly string[]).includes(s);
}

/** What the island rule did to one job. */
export interface IslandOutcome {
  /** bus numbers de-energized (in service in the job's network, no reference reachable), ascending */
  islandedBuses: number[];
  loadLostMw: number;
  genLostMw: number;
  /** bus numbers made the reference of their island (slack_per_island), ascending */
  addedReferences: number[];
}

export const NO_ISLANDS: IslandOutcome = Object.freeze({
  islandedBuses: [],
  loadLostMw: 0,
  genLostMw: 0,
  addedReferences: [],
}) as IslandOutcome;

export type IslandPlan =
  /** `net` is what the solver runs on (the input itself when nothing was split) */
  | { ok: true; net: Network; outcome: IslandOutcome; dead: Uint8Array | null }
  | { ok: false; error: string; cutOff: number[] };

/** Decides which buses stay energized and returns the network the solver must run on. */
export function planIslands(net: Network, mode: IslandMode = DEFAULT_ISLAND_MODE): IslandPlan {
  const st = elementStatus(net);
  const { ref } = bustypes(net, st);
  const root = busComponents(net, st);
  const nb = net.bus.n;
  const referenced = new Set(ref.map((r) => root[r]));
  const unreferenced = new Set<number>();
  for (let i = 0; i < nb; i++) if (st.busOn[i] && !referenced.has(root[i])) unreferenced.add(root[i]);
  if (unreferenced.size === 0) return { ok: true, net, outcome: NO_ISLANDS, dead: null };
  // no reference anywhere is not an island question: the solver reports it as it always did
  if (ref.length === 0) return { ok: true, net, outcome: NO_ISLANDS, dead: null };

  if (mode === 'fail') {
    const cutOff: number[] = [];
    for (let i = 0; i < nb; i++) if (st.busOn[i] && unreferenced.has(root[i])) cutOff.push(net.bus.busI[i]);
    cutOff.sort((a, b) => a - b);
    return {
      ok: false,
      cutOff,
      error: `the network is split (islands: fail): ${describeBuses(cutOff)} not connected to a reference bus through in-service branches`,
    };
  }

  const out = cloneNetwork(net);
  const addedReferences: number[] = [];
  if (mode === 'slack_per_island') {
    const largest = new Map<number, number>();
    for (let g = 0; g < net.gen.n; g++) {
      if (!st.genOn[g]) continue;
      const c = root[st.genBus[g]];
      if (!unreferenced.has(c)) continue;
      const best = largest.get(c);
      if (best === undefined || net.gen.Pmax[g] > net.gen.Pmax[best]) largest.set(c, g);
    }
    for (const [c, g] of largest) {
      out.bus.type[st.genBus[g]] = REF;
      addedReferences.push(net.bus.busI[st.genBus[g]]);
      unreferenced.delete(c);
    }
    addedReferences.sort((a, b) => a - b);
  }

  const dead = new Uint8Array(nb);
  const islandedBuses: number[] = [];
  let loadLostMw = 0,
    genLostMw = 0;
  for (let i = 0; i < nb; i++) {
    if (!st.busOn[i] || !unreferenced.has(root[i])) continue;
    dead[i] = 1;
    out.bus.type[i] = NONE;
    islandedBuses.push(net.bus.busI[i]);
    loadLostMw += net.bus.Pd[i];
  }
  for (let g = 0; g < net.gen.n; g++) {
    if (!dead[st.genBus[g]]) continue;
    if (st.genOn[g]) genLostMw += net.gen.Pg[g];
    out.gen.status[g] = 0;
  }
  for (let l = 0; l < net.branch.n; l++) if (dead[st.f[l]] || dead[st.t[l]]) out.branch.status[l] = 0;
  islandedBuses.sort((a, b) => a - b);
  return { ok: true, net: out, outcome: { islandedBuses, loadLostMw, genLostMw, addedReferences }, dead };
}

/**
 * The solution of the energized part, with the de-energized part written as such: voltages
 * (and prices) of dead buses null (NaN), their injections 0, flows of branches touching them 0,
 * their generators 0. A failed solution is returned as it is.
 */
export function deenergizeSolution(s: Solution, plan: IslandPlan & { ok: true }): Solution {
  const dead = plan.dead;
  if (!dead || !s.converged) return s;
  const { net } = plan;
  const b = s.bus;
  for (let i = 0; i < net.bus.n; i++) {
    if (!dead[i]) continue;
    b.vm[i] = NaN;
    b.vaDeg[i] = NaN;
    if (b.pMw) b.pMw[i] = 0;
    if (b.qMvar) b.qMvar[i] = 0;
    if (b.lamP) b.lamP[i] = NaN;
    if (b.lamQ) b.lamQ[i] = NaN;
  }
  for (let g = 0; g < net.gen.n; g++) {
    const row = net.busIndex.get(net.gen.bus[g]) as number;
    if (dead[row]) {
      s.gen.pg[g] = 0;
      s.gen.qg[g] = 0;
    }
  }
  const br = s.branch;
  for (let l = 0; l < net.branch.n; l++) {
    const f = net.busIndex.get(net.branch.fbus[l]) as number;
    const t = net.busIndex.get(net.branch.tbus[l]) as number;
    if (dead[f] || dead[t]) {
      br.pf[l] = 0;
      br.qf[l] = 0;
      br.pt[l] = 0;
      br.qt[l] = 0;
    }
  }
  const isolated = new Set(s.isolatedBuses);
  for (const n of plan.outcome.islandedBuses) isolated.add(n);
  s.isolatedBuses = [...isolated].sort((a, b2) => a - b2);
  return s;
}

function describeBuses(ids: number[]): string {
  const shown = ids.slice(0, 20).join(', ') + (ids.length > 20 ? `, ... (${ids.length} in all)` : '');
  return ids.length === 1 ? `bus ${shown} is` : `buses ${shown} are`;
}

/**
 * planIslands memoised on what it depends on (bus types, generator and branch status, and Pmax
 * with slack_per_island), so the time slices of one outage pay for one connectivity analysis:
 * a hit re-applies the cached decision (which buses die, which become references) to the job's
 * own loads and dispatch. Entries are compared element by element, never trusted on a hash.
 */
interface PlanEntry {
  sig: Float64Array;
  mode: IslandMode;
  dead: Uint8Array | null;
  refs: number[];
  error?: { error: string; cutOff: number[] };
}

export class IslandPlanCache {
  private readonly entries = new Map<number, PlanEntry[]>();
  private size = 0;
  /**
   * The entry of the last plan and the columns its signature was made of: a job whose network
   * has those very arrays (one that changes only loads and dispatch shares the base's: nothing
   * writes them after applyScenario, network-draft.ts) needs no signature (an array of every
   * bus, generator and branch a job, hashed and compared).
   */
  private last: { columns: Float64Array[]; mode: IslandMode; entry: PlanEntry } | undefined;
  constructor(private readonly capacity = 64) {}

  plan(net: Network, mode: IslandMode = DEFAULT_ISLAND_MODE): IslandPlan {
    const columns = [net.bus.type, net.gen.status, net.branch.status];
    if (mode === 'slack_per_island') columns.push(net.gen.Pmax);
    const last = this.last;
    if (last && last.mode === mode && columns.every((c, i) => c === last.columns[i])) return fromEntry(net, last.entry);
    const sig = signature(net, mode);
    const h = hashOf(sig);
    const bucket = this.entries.get(h);
    const hit = bucket?.find((e) => e.mode === mode && sameArray(e.sig, sig));
    if (hit) {
      this.last = { columns, mode, entry: hit };
      return fromEntry(net, hit);
    }
    const p = planIslands(net, mode);
    if (this.size >= this.capacity) {
      this.entries.clear();
      this.size = 0;
    }
    const entry: PlanEntry = p.ok
      ? { sig, mode, dead: p.dead, refs: p.outcome.addedReferences.map((b) => net.busIndex.get(b) as number) }
      : { sig, mode, dead: null, refs: [], error: { error: p.error, cutOff: p.cutOff } };
    this.entries.set(h, [...(bucket ?? []), entry]);
    this.size++;
    this.last = { columns, mode, entry };
    return p;
  }
}

/** The plan a cached decision gives `net`. */
function fromEntry(net: Network, e: PlanEntry): IslandPlan {
  if (e.error) return { ok: false, ...e.error };
  if (!e.dead && e.refs.length === 0) return { ok: true, net, outcome: NO_ISLANDS, dead: null };
  return applyDecision(net, e.dead, e.refs);
}

function signature(net: Network, mode: IslandMode): Float64Array {
  const { bus, gen, branch } = net;
  const withPmax = mode === 'slack_per_island';
  const s = new Float64Array(bus.n + gen.n * (withPmax ? 2 : 1) + branch.n);
  s.set(bus.type, 0);
  s.set(gen.status, bus.n);
  if (withPmax) s.set(gen.Pmax, bus.n + gen.n);
  s.set(branch.status, bus.n + gen.n * (withPmax ? 2 : 1));
  return s;
}

function hashOf(a: Float64Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ ((a[i] * 2654435761) | 0), 16777619);
  return h >>> 0;
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** The plan a cached decision gives for this job's network (its loads and dispatch). */
function applyDecision(net: Network, dead: Uint8Array | null, refRows: number[]): IslandPlan {
  const out = cloneNetwork(net);
  for (const r of refRows) out.bus.type[r] = REF;
  const islandedBuses: number[] = [];
  let loadLostMw = 0,
    genLostMw = 0;
  if (dead) {
    for (let i = 0; i < net.bus.n; i++) {
      if (!dead[i]) continue;
      out.bus.type[i] = NONE;
      islandedBuses.push(net.bus.busI[i]);
      loadLostMw += net.bus.Pd[i];
    }
    for (let g = 0; g < net.gen.n; g++) {
      const row = net.busIndex.get(net.gen.bus[g]) as number;
      if (!dead[row]) continue;
      if (net.gen.status[g] > 0) genLostMw += net.gen.Pg[g];
      out.gen.status[g] = 0;
    }
    for (let l = 0; l < net.branch.n; l++) {
      if (dead[net.busIndex.get(net.branch.fbus[l]) as number] || dead[net.busIndex.get(net.branch.tbus[l]) as number])
        out.branch.status[l] = 0;
    }
  }
  islandedBuses.sort((a, b) => a - b);
  const addedReferences = refRows.map((r) => net.bus.busI[r]).sort((a, b) => a - b);
  return { ok: true, net: out, outcome: { islandedBuses, loadLostMw, genLostMw, addedReferences }, dead };
}
