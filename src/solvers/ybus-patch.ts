/**
 * Ybus / Yf / Yt of a branch-status variant from those of a base status: a copy of the base
 * values with only the entries of the branches whose status differs summed again. Each
 * recomputed Ybus entry adds its contributions in the triplet order `fillYbus` uses, from 0,
 * so the result is bit-for-bit what `fillYbus` computes for the variant (an N-1 outage touches
 * four Ybus entries and two Yf / Yt entries instead of the whole network).
 */
import type { Network } from '../grid/network';
import type { Status } from './bustypes';
import type { YbusResult } from './makeYbus';
import type { YbusAssembly } from './ybus-assembly';
import type { ZCsc } from './sparse/zcsc';

/** Per Ybus position, the triplets (4 per pattern branch, then one per bus) that add into it, in order. */
export interface YbusContributors {
  ptr: Int32Array;
  triplet: Int32Array;
  /** false when some pattern branch has both ends on one bus (then patching is not used) */
  patchable: boolean;
}

export function ybusContributors(asm: YbusAssembly, f: Int32Array, t: Int32Array): YbusContributors {
  const pos = asm.ybus.pos;
  const npos = asm.ybus.rowIdx.length;
  const ptr = new Int32Array(npos + 1);
  for (let q = 0; q < pos.length; q++) ptr[pos[q] + 1]++;
  for (let p = 0; p < npos; p++) ptr[p + 1] += ptr[p];
  const next = ptr.slice(0, npos);
  const triplet = new Int32Array(pos.length);
  for (let q = 0; q < pos.length; q++) triplet[next[pos[q]]++] = q;
  let patchable = true;
  for (let k = 0; k < asm.rows.length; k++) if (f[asm.rows[k]] === t[asm.rows[k]]) patchable = false;
  return { ptr, triplet, patchable };
}

/** Matrices with the patterns of `Y` and zero values. */
export function emptyLike(Y: YbusResult): YbusResult {
  const z = (A: ZCsc): ZCsc => ({ ...A, re: new Float64Array(A.re.length), im: new Float64Array(A.im.length) });
  return { Ybus: z(Y.Ybus), Yf: z(Y.Yf), Yt: z(Y.Yt) };
}

function copyInto(src: ZCsc, dst: ZCsc): void {
  dst.re.set(src.re);
  dst.im.set(src.im);
}

/**
 * What a patched `out` holds: `base`'s values except at the entries of the pattern branches
 * `changed` (positions in asm.rows). With it, the next patch into the same `out` from the same
 * base restores those few entries instead of copying every value. `base: null` means unknown
 * values (a full copy is made).
 */
export interface PatchRecord {
  base: YbusResult | null;
  changed: number[];
}

/** Copies the entries of pattern branches `ks` from `base` into `out`. */
function restoreBranches(asm: YbusAssembly, ks: number[], base: YbusResult, out: YbusResult): void {
  const yp = asm.ybus.pos,
    fp = asm.yf.pos,
    tp = asm.yt.pos;
  for (const k of ks) {
    for (let j = 0; j < 4; j++) {
      const p = yp[4 * k + j];
      out.Ybus.re[p] = base.Ybus.re[p];
      out.Ybus.im[p] = base.Ybus.im[p];
    }
    for (let j = 0; j < 2; j++) {
      const f = fp[2 * k + j],
        t = tp[2 * k + j];
      out.Yf.re[f] = base.Yf.re[f];
      out.Yf.im[f] = base.Yf.im[f];
      out.Yt.re[t] = base.Yt.re[t];
      out.Yt.im[t] = base.Yt.im[t];
    }
  }
}

/**
 * The variant's matrices written into `out` (distinct from `base`), or false when more than
 * `maxChanged` branches differ from `baseBranchOn` (a full `fillYbus` is cheaper then; `out`
 * is left as it was). `record`, when given, says what `out` held and is updated to what it
 * holds after a patch.
 */
export function patchYbus(
  asm: YbusAssembly,
  con: YbusContributors,
  net: Network,
  status: Status,
  base: YbusResult,
  baseBranchOn: Uint8Array,
  out: YbusResult,
  maxChanged = 16,
  record?: PatchRecord,
): boolean {
  if (!con.patchable) return false;
  const rows = asm.rows;
  const on = status.branchOn;
  const changed: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const l = rows[k];
    if (on[l] !== baseBranchOn[l]) {
      if (changed.length === maxChanged) return false;
      changed.push(k);
    }
  }
  if (record && record.base === base && out !== base) {
    restoreBranches(asm, record.changed, base, out);
  } else {
    copyInto(base.Ybus, out.Ybus);
    copyInto(base.Yf, out.Yf);
    copyInto(base.Yt, out.Yt);
  }
  const { Yff, Yft, Ytf, Ytt } = asm.adm;
  const parts = [Yff, Yft, Ytf, Ytt];
  const yp = asm.ybus.pos,
    fp = asm.yf.pos,
    tp = asm.yt.pos;
  const Yr = out.Ybus.re,
    Yi = out.Ybus.im;
  const d0 = 4 * rows.length;
  const baseMVA = net.baseMVA;
  for (const k of changed) {
    const l = rows[k];
    for (let j = 0; j < 4; j++) {
      const p = yp[4 * k + j];
      let re = 0,
        im = 0;
      for (let c = con.ptr[p]; c < con.ptr[p + 1]; c++) {
        const q = con.triplet[c];
        if (q < d0) {
          const lq = rows[q >> 2];
          if (!on[lq]) continue;
          const part = parts[q & 3];
          re += part.re[lq];
          im += part.im[lq];
        } else {
          const i = q - d0;
          if (!status.busOn[i]) continue;
          re += net.bus.Gs[i] / baseMVA;
          im += net.bus.Bs[i] / baseMVA;
        }
      }
      Yr[p] = re;
      Yi[p] = im;
    }
    const o = on[l] ? 1 : 0;
    // Yf / Yt rows are the branch's own: 0 + value, as fillYbus adds into zeros
    out.Yf.re[fp[2 * k]] = o ? 0 + Yff.re[l] : 0;
    out.Yf.im[fp[2 * k]] = o ? 0 + Yff.im[l] : 0;
    out.Yf.re[fp[2 * k + 1]] = o ? 0 + Yft.re[l] : 0;
    out.Yf.im[fp[2 * k + 1]] = o ? 0 + Yft.im[l] : 0;
    out.Yt.re[tp[2 * k]] = o ? 0 + Ytf.re[l] : 0;
    out.Yt.im[tp[2 * k]] = o ? 0 + Ytf.im[l] : 0;
    out.Yt.re[tp[2 * k + 1]] = o ? 0 + Ytt.re[l] : 0;
    out.Yt.im[tp[2 * k + 1]] = o ? 0 + Ytt.im[l] : 0;
  }
  if (record) {
    record.base = base;
    record.changed = changed;
  }
  return true;
}
