/**
 * A profile drives every load or generator of the kinds and fields it has columns for, or says
 * which ones stay at their base values (`profiles.at_base`). A load (a bus with Pd or Qd) or an
 * in-service generator left without its column would silently keep its base value while the
 * others follow the profile: that is a warning (validate and start-batch print it), and an error
 * with `profiles.strict: true`.
 */
import { Network } from '../grid/network';
import { LoadedProfiles, ProfileElement, ProfileField } from './types';

export interface CoverageGap {
  element: ProfileElement;
  field: ProfileField;
  /** bus numbers (loads) or 1-based gen rows without a column */
  ids: number[];
}

/** Elements the profile claims to drive (a kind and field it has any column for) but has no column for. */
export function profileGaps(p: LoadedProfiles, net: Network, atBase: readonly string[] = []): CoverageGap[] {
  const have = new Map<string, Set<number>>();
  for (const s of p.series) {
    const key = `${s.element}:${s.field}`;
    if (!have.has(key)) have.set(key, new Set());
    (have.get(key) as Set<number>).add(s.id);
  }
  const excused = (element: ProfileElement, id: number, field: ProfileField) =>
    atBase.some((a) => {
      const [e, i, f] = a.trim().toLowerCase().split(':');
      return e === element && Number(i) === id && (f === undefined || f === field);
    });
  const loads: number[] = [];
  for (let i = 0; i < net.bus.n; i++) if (net.bus.Pd[i] !== 0 || net.bus.Qd[i] !== 0) loads.push(net.bus.busI[i]);
  const gens: number[] = [];
  for (let g = 0; g < net.gen.n; g++) if (net.gen.status[g] > 0) gens.push(g + 1);
  const gaps: CoverageGap[] = [];
  for (const [key, ids] of have) {
    const [element, field] = key.split(':') as [ProfileElement, ProfileField];
    const all = element === 'load' ? loads : gens;
    const missing = all.filter((id) => !ids.has(id) && !excused(element, id, field));
    if (missing.length) gaps.push({ element, field, ids: missing });
  }
  return gaps;
}

/** One sentence per gap, naming the elements (at most 10) and how to silence it. */
export function describeGaps(file: string, gaps: CoverageGap[]): string[] {
  return gaps.map((g) => {
    const what = g.element === 'load' ? 'load at bus' : 'generator row';
    const list = g.ids.slice(0, 10).join(', ') + (g.ids.length > 10 ? `, ... (${g.ids.length} in all)` : '');
    return (
      `profile ${file} drives ${g.element} ${g.field} but has no column for ${what}${g.ids.length > 1 ? 's' : ''} ${list}: ` +
      `${g.ids.length > 1 ? 'they keep' : 'it keeps'} the base value; add the column${g.ids.length > 1 ? 's' : ''} (${g.element}:${g.ids[0]}:${g.field}) or list ${g.ids.length > 1 ? 'them' : 'it'} in profiles.at_base`
    );
  });
}
