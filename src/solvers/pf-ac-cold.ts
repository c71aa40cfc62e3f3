/**
 * The AC power flow's topology for a one-shot (cold) solve: what `topologyOf(buildStructure(net))`
 * gives (pf-ac-cache.ts), built from the case alone and only what a single solve reads: element
 * status with the end rows looked up afresh, bus types, Ybus / Yf / Yt in one pass
 * (ybus-direct.ts), islands, and the Newton workspace of the case's own pv / pq sets. No
 * structure key, no triplet position map, no outage base, no workspace key string or cache:
 * nothing of it outlives the solve.
 */
import { NONE, Network } from '../grid/network';
import { busesWithoutReference, bustypes, elementStatus } from './bustypes';
import { newtonpfWorkspace } from './newtonpf';
import type { AcTopology } from './pf-ac-cache';
import { ybusDirect } from './ybus-direct';
import { scratchI32, scratchU8, slabArrays } from './scratch-slab';

export function coldTopology(net: Network): AcTopology {
  const nb = net.bus.n;
  const status = elementStatus(net, false, slabArrays);
  const bt = bustypes(net, status, slabArrays);
  const Y = ybusDirect(net, status);
  const isolated = busesWithoutReference(net, status, bt.ref);
  const excluded = scratchU8(nb);
  for (let i = 0; i < nb; i++) if (!status.busOn[i]) excluded[i] = 1;
  for (const i of isolated) excluded[i] = 1;
  // buses cut off from every reference keep their type in the Newton solve, held fixed there
  // (as pf-ac.ts's workspaceFor does), so the pv / pq sets are bustypes' own
  const typeBytes = scratchU8(nb);
  const typeAfter = new Int8Array(typeBytes.buffer, typeBytes.byteOffset, nb);
  typeAfter.set(bt.typeAfter);
  let fixed: Uint8Array | undefined;
  const isolatedBusNumbers: number[] = [];
  for (let i = 0; i < nb; i++) {
    if (!excluded[i]) continue;
    if (typeAfter[i] !== NONE) fixed = excluded;
    typeAfter[i] = NONE;
    isolatedBusNumbers.push(net.bus.busI[i]);
  }
  // without a reference bus the solve fails before Newton: no workspace to build
  const first =
    bt.ref.length === 0
      ? {}
      : {
          value: {
            ws: newtonpfWorkspace(Y.Ybus, indexArray(bt.pv), indexArray(bt.pq), slabArrays),
            ref: bt.ref.filter((i) => !excluded[i]),
            fixed,
          },
        };
  return {
    status,
    Y,
    typeAfter,
    ref: bt.ref,
    excluded,
    isolatedBusNumbers,
    structureTypes: bt.typeAfter,
    workspaces: new Map(),
    first,
    branchStatus: net.branch.status,
    patch: { base: null, changed: [] },
  };
}

/** The indices as an Int32Array (a scratch-slab view). */
function indexArray(xs: ArrayLike<number>): Int32Array {
  const a = scratchI32(xs.length);
  for (let i = 0; i < xs.length; i++) a[i] = xs[i];
  return a;
}
