/**
 * `extends`: a spec may name a base spec. Each file is read and validated on its own (so errors
 * name the right file and line), its paths are made absolute against its own folder, and then the
 * chain is merged, base first:
 * - top-level scalars (version, grid_file, include_base, islands), `severity.weights` and the `defaults` / `profiles` mappings
 *   are merged key by key, the child winning; `null` in the child removes the base's value;
 *   `defaults.metadata` and `defaults.tags` are values, replaced whole;
 *   a child giving `time_slices` drops the base's `time_range` and vice versa;
 * - `scenarios` are concatenated; a child entry with the scenario_id of a base entry replaces it
 *   (whole, in the base entry's position);
 * - `generators` are concatenated; a child generator with the `name` of a base one replaces it.
 */
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors';
import { DEFAULT_ISLAND_MODE, IslandMode } from '../solvers/islands';
import { Defaults, GeneratorEntry, ScenarioEntry, SpecFile } from './schema';
import { KeyPath, SpecSource, readSpecSource, specError } from './source';
import { validateSpecFile } from './validate-file';

/** Longest extends chain accepted. */
export const MAX_EXTENDS_DEPTH = 32;

export interface Origin {
  src: SpecSource;
  index: number;
}
export interface Located<T> {
  entry: T;
  origin: Origin;
}

export interface ComposedSpec {
  /** the file loadSpec was given */
  top: SpecSource;
  /** top file first, then its base, the base's base, ... */
  chain: SpecSource[];
  gridFile?: string;
  defaults: Defaults;
  scenarios: Located<ScenarioEntry>[];
  generators: Located<GeneratorEntry>[];
  includeBase: boolean;
  profiles?: { file: string; kind: 'multiplier' | 'value'; atBase?: string[]; strict?: boolean };
  islands: IslandMode;
  /** severity weights given by the spec chain (child keys win); absent keys take the defaults */
  severityWeights: Partial<Record<'loading' | 'overloads' | 'voltage' | 'load_lost' | 'failed', number>>;
  /** where a key path of the merged spec was written: the file and its path inside that file */
  locate(path: KeyPath): { src: SpecSource; path: KeyPath };
}

interface Layer {
  src: SpecSource;
  spec: SpecFile;
}

export function composeSpec(file: string): ComposedSpec {
  const layers: Layer[] = [];
  let next: string | undefined = resolve(file);
  let from: { src: SpecSource; path: KeyPath } | undefined;
  while (next) {
    const seen = layers.findIndex((l) => l.src.file === next);
    if (seen >= 0 && from) {
      const cycle = [...layers.slice(seen).map((l) => l.src.file), next].join(' -> ');
      throw specError(from.src, from.path, `extends cycle: ${cycle}`);
    }
    if (layers.length >= MAX_EXTENDS_DEPTH && from)
      throw specError(from.src, from.path, `extends chain is deeper than ${MAX_EXTENDS_DEPTH} files`);
    let src: SpecSource;
    try {
      src = readSpecSource(next);
    } catch (e) {
      if (from && e instanceof InputError && /not found|not a file/.test(e.message)) {
        throw specError(from.src, from.path, `extends: base spec ${next} not found`);
      }
      throw e;
    }
    const spec = absolutePaths(validateSpecFile(src), src.dir);
    layers.push({ src, spec });
    from = spec.extends ? { src, path: ['extends'] } : undefined;
    next = spec.extends ?? undefined;
  }
  return merge(layers);
}

function absolutePaths(spec: SpecFile, dir: string): SpecFile {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  return {
    ...spec,
    extends: spec.extends ? abs(spec.extends) : spec.extends,
    grid_file: spec.grid_file ? abs(spec.grid_file) : spec.grid_file,
    profiles: spec.profiles ? { ...spec.profiles, file: abs(spec.profiles.file) } : spec.profiles,
  };
}

/** child value wins; null removes; undefined keeps the base's */
function pickValue<T>(base: T | null | undefined, child: T | null | undefined): T | undefined {
  if (child === null) return undefined;
  if (child !== undefined) return child;
  return base ?? undefined;
}

function merge(layersTopFirst: Layer[]): ComposedSpec {
  const layers = [...layersTopFirst].reverse(); // base first
  let gridFile: string | undefined;
  let includeBase: boolean | undefined;
  let islands: IslandMode | undefined;
  let severityWeights: ComposedSpec['severityWeights'] = {};
  let profiles: { file?: string; kind?: 'multiplier' | 'value'; atBase?: string[]; strict?: boolean } | undefined;
  let defaults: Defaults = {};
  let scenarios: Located<ScenarioEntry>[] = [];
  let generators: Located<GeneratorEntry>[] = [];
  for (const { src, spec } of layers) {
    gridFile = pickValue(gridFile, spec.grid_file);
    includeBase = pickValue(includeBase, spec.include_base);
    islands = pickValue(islands, spec.islands);
    if (spec.severity === null) severityWeights = {};
    else if (spec.severity?.weights) {
      for (const [k, v] of Object.entries(spec.severity.weights) as [
        keyof ComposedSpec['severityWeights'],
        number | null | undefined,
      ][]) {
        if (v === null) delete severityWeights[k];
        else if (v !== undefined) severityWeights[k] = v;
      }
    }
    if (spec.profiles === null) profiles = undefined;
    else if (spec.profiles) {
      profiles = {
        file: pickValue(profiles?.file, spec.profiles.file),
        kind: pickValue(profiles?.kind, spec.profiles.kind),
        atBase: pickValue(profiles?.atBase, spec.profiles.at_base),
        strict: pickValue(profiles?.strict, spec.profiles.strict),
      };
    }
    if (spec.defaults === null) defaults = {};
    else if (spec.defaults) defaults = mergeDefaults(defaults, spec.defaults);
    scenarios = mergeList(
      scenarios,
      (spec.scenarios ?? []).map((entry, index) => ({ entry, origin: { src, index } })),
      (e) => String(e.scenario_id),
    );
    generators = mergeList(
      generators,
      (spec.generators ?? []).map((entry, index) => ({ entry, origin: { src, index } })),
      (e) => e.name ?? undefined,
    );
  }
  const top = layersTopFirst[0].src;
  const chain = layersTopFirst.map((l) => l.src);
  return {
    top,
    chain,
    gridFile,
    defaults,
    scenarios,
    generators,
    includeBase: includeBase ?? false,
    islands: islands ?? DEFAULT_ISLAND_MODE,
    severityWeights,
    profiles: profiles?.file
      ? { file: profiles.file, kind: profiles.kind ?? 'multiplier', atBase: profiles.atBase, strict: profiles.strict }
      : undefined,
    locate(path: KeyPath) {
      const [head, idx, ...rest] = path;
      if ((head === 'scenarios' || head === 'generators') && typeof idx === 'number') {
        const list: Located<unknown>[] = head === 'scenarios' ? scenarios : generators;
        const o = list[idx]?.origin;
        if (o) return { src: o.src, path: [head, o.index, ...rest] };
      }
      for (const src of chain) if (src.has(path)) return { src, path };
      // fall back to the nearest existing ancestor in the file that has it
      for (let n = path.length - 1; n > 0; n--) {
        const p = path.slice(0, n);
        for (const src of chain) if (src.has(p)) return { src, path };
      }
      return { src: top, path };
    },
  };
}

function mergeDefaults(base: Defaults, child: Defaults): Defaults {
  const out: Defaults = { ...base };
  for (const [k, v] of Object.entries(child) as [keyof Defaults, unknown][]) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else (out as Record<string, unknown>)[k] = v;
  }
  if (child.time_slices != null) delete out.time_range;
  if (child.time_range != null) delete out.time_slices;
  return out;
}

function mergeList<T>(base: Located<T>[], child: Located<T>[], key: (e: T) => string | undefined): Located<T>[] {
  const out = base.slice();
  const pos = new Map<string, number>();
  out.forEach((l, i) => {
    const k = key(l.entry);
    if (k !== undefined && !pos.has(k)) pos.set(k, i);
  });
  for (const l of child) {
    const k = key(l.entry);
    const at = k !== undefined ? pos.get(k) : undefined;
    if (at !== undefined && out[at].origin.src !== l.origin.src) out[at] = l;
    else out.push(l);
  }
  return out;
}

/** An InputError at a key path of the merged spec, naming the file and line it came from. */
export function composedError(c: ComposedSpec, path: KeyPath, message: string): InputError {
  const { src, path: p } = c.locate(path);
  return specError(src, p, message);
}
