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
import { TopologyKey, sameStructure, structureKey } from './ac-topology';
import { YbusResult } from './makeYbus';
import { fillYbus, YbusAssembly, ybusAssembly } from './ybus-assembly';

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
  /** The workspace for the variant's own bus types (set on first use). */
  firstWorkspace?: { ws: NewtonPfWorkspace; ref: number[]; fixed?: Uint8Array };
  /** The branch status column this variant was built for. */
  branchStatus: Float64Array;
}

export interface AcStructure {
  key: TopologyKey;
  /** Status with every branch of the pattern on (f, t, genBus, busOn, genOn are shared). */
  status: Status;
  typeAfter: Int8Array;
  ref: number[];
  asm: YbusAssembly;
  workspaces: Map<string, NewtonPfWorkspace>;
  /** Recently used variants (base case first once seen), at most VARIANTS. */
  variants: AcTopology[];
}

const VARIANTS = 4;

export function buildStructure(net: Network): AcStructure {
  const status = elementStatus(net);
  const bt = bustypes(net, status);
  return {
    key: structureKey(net), status, typeAfter: bt.typeAfter, ref: bt.ref,
    asm: ybusAssembly(net, status), workspaces: new Map(), variants: [],
  };
}

export function fitsStructure(s: AcStructure, net: Network): boolean {
  return sameStructure(s.key, net);
}

function sameColumn(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The variant for `branchStatus` (default: net's own branch status column) with net's other
 * columns; net must fit the structure.
 */
export function topologyOf(s: AcStructure, net: Network, branchStatus: Float64Array = net.branch.status): AcTopology {
  const bs = branchStatus;
  for (let k = 0; k < s.variants.length; k++) {
    const v = s.variants[k];
    if (sameColumn(v.branchStatus, bs)) {
      if (k > 0) { s.variants.splice(k, 1); s.variants.unshift(v); }
      return v;
    }
  }
  const v = buildVariant(s, net, bs, s.variants.length >= VARIANTS ? (s.variants.pop() as AcTopology) : undefined);
  s.variants.unshift(v);
  return v;
}

function buildVariant(s: AcStructure, net: Network, bs: Float64Array, recycle?: AcTopology): AcTopology {
  const nl = net.branch.n, nb = net.bus.n;
  const base = s.status;
  const branchOn = new Uint8Array(nl);
  for (let l = 0; l < nl; l++) {
    branchOn[l] = bs[l] !== 0 && base.busOn[base.f[l]] && base.busOn[base.t[l]] ? 1 : 0;
  }
  const status: Status = { ...base, branchOn };
  const isolated = busesWithoutReference(net, status, s.ref);
  const excluded = new Uint8Array(nb);
  for (let i = 0; i < nb; i++) if (!status.busOn[i]) excluded[i] = 1;
  for (const i of isolated) excluded[i] = 1;
  const typeAfter = s.typeAfter.slice();
  for (let i = 0; i < nb; i++) if (excluded[i]) typeAfter[i] = NONE;
  const isolatedBusNumbers: number[] = [];
  for (let i = 0; i < nb; i++) if (excluded[i]) isolatedBusNumbers.push(net.bus.busI[i]);
  return {
    status, Y: fillYbus(s.asm, net, status, recycle?.Y), typeAfter, ref: s.ref, excluded, structureTypes: s.typeAfter,
    isolatedBusNumbers, workspaces: s.workspaces, branchStatus: bs.slice(),
  };
}
