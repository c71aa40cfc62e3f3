/**
 * State shared while one spec is expanded and resolved: the merged spec, the grid, error
 * locations, the job budget and caches (time slices per spec object, islanding per outage set).
 */
import { InputError } from '../errors';
import { Network } from '../grid/network';
import { ComposedSpec, composedError } from './compose';
import { IslandChecker } from './islands';
import { ScenarioFields } from './schema';
import { KeyPath } from './source';
import { expandTimeRange, normaliseTime } from './time';
import { jobCount } from '../contracts/chunk-plan';

/**
 * Most jobs (scenarios x time slices; a scenario without time slices is one job) per study:
 * 2^20, so the million-job case118 study (1,000,008 = 41,667 x 24) fits, the largest size
 * measured within the worker's memory and history bounds (README "## Scale"); larger studies split.
 */
export const MAX_JOBS = 2 ** 20;

export interface TimeFields {
  time_slices?: string[] | null;
  time_range?: { start: string; end: string; step: string } | null;
}

export class SpecContext {
  readonly spec: ComposedSpec;
  readonly net: Network;
  readonly warnings: string[] = [];
  /** counts worth showing before anything runs (e.g. outage sets per generator) */
  readonly notes: string[] = [];
  /** resolved defaults */
  readonly loadScale: number;
  readonly renewableScale: number;
  readonly weight: number;
  readonly tags: string[];
  readonly metadata: Record<string, unknown>;
  readonly defaultSlices: string[];
  private jobs = 0;
  private checker?: IslandChecker;
  private readonly sliceCache = new WeakMap<object, string[]>();

  constructor(spec: ComposedSpec, net: Network) {
    this.spec = spec;
    this.net = net;
    const d = spec.defaults;
    this.loadScale = d.load_scale ?? 1;
    this.renewableScale = d.renewable_scale ?? 1;
    this.weight = d.weight ?? 1;
    this.tags = d.tags ?? [];
    this.metadata = d.metadata ?? {};
    this.defaultSlices = this.timeOf(d, ['defaults']) ?? [];
  }

  /** InputError at a key path of the merged spec (file and line of where it was written). */
  error(path: KeyPath, message: string): InputError {
    return composedError(this.spec, path, message);
  }

  /** The time slices a spec object gives itself (undefined when it gives none), normalised. */
  timeOf(obj: TimeFields, path: KeyPath): string[] | undefined {
    const cached = this.sliceCache.get(obj);
    if (cached) return cached;
    const hasList = obj.time_slices != null;
    const hasRange = obj.time_range != null;
    if (hasList && hasRange)
      throw this.error([...path, 'time_range'], 'give either time_slices or time_range, not both');
    let out: string[] | undefined;
    if (obj.time_slices != null) {
      out = obj.time_slices.map((s, k) => {
        const r = normaliseTime(s);
        if (!r.ok) throw this.error([...path, 'time_slices', k], r.reason);
        return r.value;
      });
      const seen = new Set<string>();
      out.forEach((t, k) => {
        if (seen.has(t)) throw this.error([...path, 'time_slices', k], `time slice ${t} is listed twice`);
        seen.add(t);
      });
    } else if (obj.time_range != null) {
      const r = expandTimeRange(obj.time_range, MAX_JOBS);
      if (!r.ok) throw this.error([...path, 'time_range', r.key], r.reason);
      out = r.slices;
    }
    if (out) this.sliceCache.set(obj, out);
    return out;
  }

  /** Time slices of a scenario or generator: its own, else the defaults'. */
  slicesFor(fields: ScenarioFields, path: KeyPath): string[] {
    return this.timeOf(fields, path) ?? this.defaultSlices;
  }

  /** Counts `count` scenarios of `slices` time slices each against the job limit. */
  addJobs(count: number, slices: number, path: KeyPath): void {
    this.jobs += count * jobCount(slices);
    if (this.jobs > MAX_JOBS) {
      throw this.error(
        path,
        `the spec expands to more than ${MAX_JOBS.toLocaleString('en-US')} jobs (scenarios x time slices); split the study`,
      );
    }
  }

  /** island queries against the (unchanged) base grid */
  get islands(): IslandChecker {
    return (this.checker ??= new IslandChecker(this.net));
  }

  get jobCount(): number {
    return this.jobs;
  }
}
