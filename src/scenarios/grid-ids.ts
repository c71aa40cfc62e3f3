/**
 * Resolving element ids written in a spec against the grid.
 * - branch: 1-based row ("14", 14, "branch:14"), or the buses it connects, GAT style
 *   ("Branch 7-8", "branch_7_8", "7-8"; either direction; an error if parallel branches make
 *   it ambiguous);
 * - gen: 1-based row ("3", 3, "gen:3");
 * - bus: bus number ("8", 8, "bus:8").
 * The canonical id is the decimal row (branch, gen) or bus number (bus).
 */
import { Network } from '../grid/network';

export type ElementType = 'branch' | 'gen' | 'bus';
export type IdResult =
  { ok: true; id: string; row: number /* 0-based row of that table */ } | { ok: false; reason: string };

export function resolveElementId(net: Network, type: ElementType, raw: string | number): IdResult {
  const s = String(raw).trim();
  if (type === 'bus') {
    const m = /^(?:bus:)?(\d+)$/i.exec(s);
    if (!m) return { ok: false, reason: `bus id '${s}' must be a bus number (e.g. 8 or "bus:8")` };
    const n = Number(m[1]);
    const row = net.busIndex.get(n);
    return row === undefined
      ? { ok: false, reason: `bus ${n} is not in the grid (${net.bus.n} buses)` }
      : { ok: true, id: String(n), row };
  }
  const count = type === 'branch' ? net.branch.n : net.gen.n;
  const rowMatch = new RegExp(`^(?:${type}:)?(\\d+)$`, 'i').exec(s);
  if (rowMatch) {
    const n = Number(rowMatch[1]);
    if (n < 1 || n > count)
      return {
        ok: false,
        reason: `${type} row ${n} is out of range: the grid has ${count} ${type} rows, numbered from 1`,
      };
    return { ok: true, id: String(n), row: n - 1 };
  }
  if (type === 'branch') {
    const pair = /^(?:branch[ _:]?)?(\d+)\s*[-_]\s*(\d+)$/i.exec(s);
    if (pair) return branchByBuses(net, Number(pair[1]), Number(pair[2]), s);
    return {
      ok: false,
      reason: `branch id '${s}' must be a 1-based branch row (e.g. 14) or the buses it connects (e.g. "Branch 7-8")`,
    };
  }
  return { ok: false, reason: `gen id '${s}' must be a 1-based gen row (e.g. 3 or "gen:3")` };
}

function branchByBuses(net: Network, f: number, t: number, s: string): IdResult {
  const rows: number[] = [];
  const br = net.branch;
  for (let l = 0; l < br.n; l++) {
    if ((br.fbus[l] === f && br.tbus[l] === t) || (br.fbus[l] === t && br.tbus[l] === f)) rows.push(l);
  }
  if (rows.length === 0) return { ok: false, reason: `no branch connects buses ${f} and ${t} ('${s}')` };
  if (rows.length > 1) {
    return {
      ok: false,
      reason: `'${s}' is ambiguous: branch rows ${rows.map((r) => r + 1).join(', ')} all connect buses ${f} and ${t}; give the row number`,
    };
  }
  return { ok: true, id: String(rows[0] + 1), row: rows[0] };
}
