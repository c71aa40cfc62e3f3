/**
 * What the AC power flow keeps between solves, in two levels:
 *
 * - `AcStructure`: everything that depends on the network's structure but not on branch
 *   status (bus types, generator connections, the Ybus pattern with every branch in it, and
 *   the Newton workspaces: Jacobian pattern, AMD ordering, LU pivot sequence, keyed by the
 *   pv / pq sets). Built once per structure.
 * - `AcTopology`: one branch-status variant of a structure (the base case, an N-1 outage):
 *   element status, islands, Ybus / Yf / Yt values on the structure's pattern. An outage that
 *   keeps every bus connected to a reference has the same pv / pq sets as the base case, so
 *   it reuses the base workspace and the LU only refactors; an islanding outage leaves the
 *   cut-off buses out (their own pv / pq sets, their own workspace on the same Ybus pattern).
 */
import { busesWithoutReference, bustypes, elementStatus, Status } from './bustypes';
import { NONE, Network } from '../grid/network';
import { NewtonPfWorkspace } from './newtonpf';
import { StructureKey, sameStructure, structureKey } from './ac-topology';
import { BranchAdmittances, YbusResult } from './makeYbus';
import { fillYbus, YbusAssembly, ybusAssembly } from './ybus-assembly';
import { emptyLike, PatchRecord, patchYbus, YbusContributors, ybusContributors } from './ybus-patch';
import { bridges } from './bridges';
import { sameNumbers } from './same-numbers';

export interface AcTopology {
  status: Status;
  Y: YbusResult;
  /** Bus types after bustypes, with excluded buses as NONE. */
  typeAfter: Int8Array;
  ref: number[];
  /** bus rows out of service or without a reference */
  excluded: Uint8Array;
  isolatedBusNumbers: number[];
  /** Bus types of the structure (before islands are cut off). */
  structureTypes: Int8Array;
  /** Newton workspaces by pv / pq sets, shared by every variant of the structure. */
  workspaces: Map<string, NewtonPfWorkspace>;
  /**
   * The workspace for the variant's own bus types (set on first use); variants that cut off
   * no bus share the structure's holder, so an outage does not look its workspace up again.
   */
  first: { value?: FirstWorkspace };
  /** The branch status column this variant was built for. */
  branchStatus: Float64Array;
  /**
   * The one row where branchStatus differs from the prepared solver's reference status (-1:
   * none), when the caller said (topologyOf's `change`); -2 or unset when unknown or several.
   */
  change?: number;
  /** What Y holds relative to the outage base it was patched from (ybus-patch.ts). */
  patch: PatchRecord;
  /**
   * The two-port admittances Yf and Yt hold (ybus-assembly.ts), when no branch runs from a bus to
   * itself: the branch flows can then be computed from them (NewtonKernels.branchFlows).
   */
  adm?: BranchAdmittances;
}

export interface FirstWorkspace {
  ws: NewtonPfWorkspace;
  ref: number[];
  fixed?: Uint8Array;
}

export interface AcStructure {
  key: StructureKey;
  /** Status with every branch of the pattern on (f, t, genBus, busOn, genOn are shared). */
  status: Status;
  typeAfter: Int8Array;
  ref: number[];
  asm: YbusAssembly;
  workspaces: Map<string, NewtonPfWorkspace>;
  /** Recently used variants (base case first once seen), at most VARIANTS. */
  variants: AcTopology[];
  /** The first-pass workspace of every variant that cuts off no bus of the structure. */
  first: { value?: FirstWorkspace };
  /** The structure's own branch status solved once: what outage variants are patched from. */
  base?: OutageBase;
  /** asm.adm when no branch of the pattern runs from a bus to itself (AcTopology.adm) */
  flowAdm?: BranchAdmittances;
}

/**
 * Ybus of the structure's own branch status, its bridges and its buses without a reference:
 * a variant that only takes out a few branches copies Ybus and re-sums the touched entries
 * (ybus-patch.ts), and one that takes out a single non-bridge branch has the base's islands.
 */
interface OutageBase {
  con: YbusContributors;
  Y: YbusResult;
  bridge: Uint8Array;
  isolated: number[];
}

function outageBase(s: AcStructure, net: Network): OutageBase {
  const st = s.status;
  return {
    con: ybusContributors(s.asm, st.f, st.t),
    Y: fillYbus(s.asm, net, st),
    bridge: bridges(net.bus.n, st.f, st.t, st.branchOn),
    isolated: busesWithoutReference(net, st, s.ref),
  };
}

/** Buses without a reference under `status`; from the base when one non-bridge branch is out. */
function isolatedBuses(s: AcStructure, b: OutageBase, net: Network, status: Status): number[] {
  const baseOn = s.status.branchOn,
    on = status.branchOn;
  let removed = -1;
  for (let l = 0; l < on.length; l++) {
    if (on[l] === baseOn[l]) continue;
    if (on[l] || removed >= 0) return busesWithoutReference(net, status, s.ref);
    removed = l;
  }
  if (removed >= 0 && b.bridge[removed]) return busesWithoutReference(net, status, s.ref);
  return b.isolated.slice();
}

const VARIANTS = 4;

/** The prepared solver's structure of `net` (a one-shot cold solve builds its own: pf-ac-cold.ts). */
export function buildStructure(net: Network): AcStructure {
  const status = elementStatus(net);
  const bt = bustypes(net, status);
  const asm = ybusAssembly(net, status);
  let selfLoop = false;
  for (const l of asm.rows) if (status.f[l] === status.t[l]) selfLoop = true;
  return {
    key: structureKey(net),
    status,
    typeAfter: bt.typeAfter,
    ref: bt.ref,
    asm,
    workspaces: new Map(),
    variants: [],
    first: {},
    flowAdm: selfLoop ? undefined : asm.adm,
  };
}

export function fitsStructure(s: AcStructure, net: Network): boolean {
  return sameStructure(s.key, net);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The variant for `branchStatus` (default: net's own branch status column) with net's other
 * columns; net must fit the structure. `change`: where branchStatus differs from the reference
 * status (singleStatusChange: -1 none, a row, -2 several), when the caller knows; a variant of
 * one known change is then found by that row and its value instead of comparing whole columns.
 */
export function topologyOf(
  s: AcStructure,
  net: Network,
  branchStatus: Float64Array = net.branch.status,
  change = -2,
): AcTopology {
  const bs = branchStatus;
  for (let k = 0; k < s.variants.length; k++) {
    const v = s.variants[k];
    const same =
      change >= -1 && v.change !== undefined && v.change >= -1
        ? v.change === change && (change < 0 || v.branchStatus[change] === bs[change])
        : sameNumbers(v.branchStatus, bs);
    if (same) {
      if (k > 0) {
        s.variants.splice(k, 1);
        s.variants.unshift(v);
      }
      return v;
    }
  }
  const v = buildVariant(
    s,
    net,
    bs,
    s.variants.length >= VARIANTS ? (s.variants.pop() as AcTopology) : undefined,
    change,
  );
  v.change = change >= -1 ? change : -2;
  s.variants.unshift(v);
  return v;
}

/**
 * The variant of branch status `bs` (`change`: topologyOf's), into the arrays of `recycle` when
 * given. When both are known to differ from the reference status in one row at most, their status
 * columns and in-service flags differ in those two rows only, and only those are written.
 */
function buildVariant(s: AcStructure, net: Network, bs: Float64Array, recycle?: AcTopology, change = -2): AcTopology {
  const nl = net.branch.n,
    nb = net.bus.n;
  const base = s.status;
  // a recycled variant (same structure, so same sizes) lends its arrays and matrices
  const branchOn = recycle ? recycle.status.branchOn : new Uint8Array(nl);
  const branchStatus = recycle ? recycle.branchStatus : new Float64Array(nl);
  const { busOn, f, t } = base;
  const was = recycle?.change ?? -2;
  if (was >= -1 && change >= -1) {
    for (let r = 0; r < 2; r++) {
      const l = r === 0 ? was : change;
      if (l < 0) continue;
      branchOn[l] = bs[l] !== 0 && busOn[f[l]] && busOn[t[l]] ? 1 : 0;
      branchStatus[l] = bs[l];
    }
  } else {
    for (let l = 0; l < nl; l++) branchOn[l] = bs[l] !== 0 && busOn[f[l]] && busOn[t[l]] ? 1 : 0;
    branchStatus.set(bs);
  }
  const status: Status = { busOn, genOn: base.genOn, branchOn, f, t, genBus: base.genBus };
  // the structure's own status (a cold solve, a time series) needs no outage base
  const ob = sameBytes(branchOn, base.branchOn) ? undefined : (s.base ??= outageBase(s, net));
  const isolated = ob ? isolatedBuses(s, ob, net, status) : busesWithoutReference(net, status, s.ref);
  const excluded = recycle ? recycle.excluded.fill(0) : new Uint8Array(nb);
  for (let i = 0; i < nb; i++) if (!busOn[i]) excluded[i] = 1;
  for (const i of isolated) excluded[i] = 1;
  const typeAfter = recycle ? recycle.typeAfter : new Int8Array(nb);
  typeAfter.set(s.typeAfter);
  let cutsOff = false;
  const isolatedBusNumbers: number[] = [];
  for (let i = 0; i < nb; i++) {
    if (!excluded[i]) continue;
    if (typeAfter[i] !== NONE) cutsOff = true;
    typeAfter[i] = NONE;
    isolatedBusNumbers.push(net.bus.busI[i]);
  }
  const into = recycle?.Y ?? (ob ? emptyLike(ob.Y) : undefined);
  const patch: PatchRecord = recycle ? recycle.patch : { base: null, changed: [] };
  let Y: YbusResult;
  if (ob && into && patchYbus(s.asm, ob.con, net, status, ob.Y, base.branchOn, into, undefined, patch)) {
    Y = into;
  } else {
    Y = fillYbus(s.asm, net, status, into);
    patch.base = null;
  }
  return {
    status,
    Y,
    typeAfter,
    ref: s.ref,
    excluded,
    structureTypes: s.typeAfter,
    isolatedBusNumbers,
    workspaces: s.workspaces,
    branchStatus,
    first: cutsOff ? {} : s.first,
    patch,
    adm: s.flowAdm,
  };
}
