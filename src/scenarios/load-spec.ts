/**
 * loadSpec: spec file (+ extends chain) -> ResolvedStudy, checked against the grid.
 *
 * Order of scenarios: `base` (include_base: true), then the explicit `scenarios` (base files'
 * entries first), then each generator's scenarios in generator order.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, relative } from 'node:path';
import { InputError } from '../errors';
import { readCaseFile } from '../grid/matpower-case';
import { Network } from '../grid/network';
import { isRegularFile } from '../grid/text-file';
import { ComposedSpec, composeSpec, composedError } from './compose';
import { SpecContext } from './context';
import { Draft } from './draft';
import { expandGenerator } from './generators';
import { unsafeIdReason } from './ids';
import { loadProfiles } from './profiles';
import { describeGaps, profileGaps } from './profile-coverage';
import { Resolver } from './resolve';
import { specError } from './source';
import { loadSpecFolder } from './spec-folder';
import { LoadSpecOptions, LoadedProfiles, ResolvedScenario, ResolvedStudy } from './types';

export function loadSpec(specPath: string, opts: LoadSpecOptions = {}): ResolvedStudy {
  return loadStudy(specPath, opts).study;
}

/** loadSpec, also returning the parsed grid (so a caller need not read it a second time). */
export function loadStudy(specPath: string, opts: LoadSpecOptions = {}): { study: ResolvedStudy; grid: Network } {
  if (existsSync(specPath) && statSync(specPath).isDirectory()) return loadSpecFolder(specPath, opts, loadStudy);
  const spec = composeSpec(specPath);
  const gridFile = opts.gridFile ?? spec.gridFile;
  if (!gridFile)
    throw specError(
      spec.top,
      [],
      'grid_file is missing: name the MATPOWER case (relative to the spec file) or pass a grid file',
    );
  if (!isRegularFile(gridFile)) {
    const why = existsSync(gridFile) ? 'is not a file' : 'not found';
    if (opts.gridFile) throw new InputError(`grid file ${why}`, { file: gridFile });
    throw composedError(
      spec,
      ['grid_file'],
      `grid file ${gridFile} ${why} (grid_file is relative to the spec's folder)`,
    );
  }
  let grid: Network;
  try {
    grid = readCaseFile(gridFile);
  } catch (e) {
    if (e instanceof InputError && extname(gridFile).toLowerCase() !== '.m') {
      const prefix = `${e.file ?? ''}${e.line !== undefined ? `:${e.line}` : ''}: `;
      const raw = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
      throw new InputError(
        `${raw} (grid files are MATPOWER .m cases; ${extname(gridFile) || 'a file without extension'} is not supported)`,
        { file: e.file, line: e.line },
      );
    }
    throw e;
  }
  const ctx = new SpecContext(spec, grid);

  const drafts: Draft[] = [];
  if (spec.includeBase) {
    const slices = ctx.defaultSlices;
    ctx.addJobs(1, slices.length, ['include_base']);
    drafts.push({
      id: 'base',
      idPath: ['include_base'],
      label: 'include_base',
      entryPath: ['include_base'],
      fields: {},
      slices,
      description: 'base case',
    });
  }
  spec.scenarios.forEach(({ entry }, i) => {
    const path = ['scenarios', i];
    const slices = ctx.slicesFor(entry, path);
    ctx.addJobs(1, slices.length, path);
    drafts.push({
      id: String(entry.scenario_id),
      idPath: [...path, 'scenario_id'],
      label: `scenarios[${i}]`,
      entryPath: path,
      fields: entry,
      slices,
    });
  });
  spec.generators.forEach(({ entry }, gi) => expandGenerator(ctx, entry, gi, drafts));
  if (drafts.length === 0)
    throw specError(spec.top, [], 'the spec defines no scenarios (give scenarios, generators or include_base: true)');

  checkIds(ctx, drafts);
  const selected = selectSubset(ctx, drafts, opts.scenarios);

  const resolver = new Resolver(ctx);
  const scenarios = selected.map((d) => resolver.resolve(d));
  resolver.finish(scenarios.length);

  let profiles: LoadedProfiles | undefined;
  if (spec.profiles) {
    profiles = readProfiles(spec, grid);
    checkProfileTimes(spec, profiles, scenarios);
    checkProfileCoverage(spec, profiles, grid, ctx.warnings);
    if (scenarios.some((s) => s.timeSlices.length === 0)) {
      ctx.warnings.push(
        'profiles are given but some scenarios have no time slices: those run once with time null and no profile applied',
      );
    }
  } else if (scenarios.every((s) => s.timeSlices.length === 0)) {
    ctx.warnings.push('no time slices: each scenario runs as one job with time null');
  }
  return {
    study: {
      specFile: spec.top.file,
      gridFile,
      ...(profiles ? { profiles } : {}),
      islands: spec.islands,
      ...(Object.keys(spec.severityWeights).length ? { severityWeights: spec.severityWeights } : {}),
      scenarios,
      warnings: ctx.warnings,
      ...(ctx.notes.length ? { notes: ctx.notes } : {}),
    },
    grid,
  };
}

function checkIds(ctx: SpecContext, drafts: Draft[]): void {
  const seen = new Map<string, Draft>();
  for (const d of drafts) {
    const why = unsafeIdReason(d.id);
    if (why) throw ctx.error(d.idPath, `${d.label}: scenario id '${d.id}' is not safe: ${why}`);
    const prev = seen.get(d.id);
    if (prev) {
      const where = (x: Draft) => {
        const { src, path } = ctx.spec.locate(x.idPath);
        const line = src.lineOf(path);
        return `${x.label} (${src.file}${line ? `:${line}` : ''})`;
      };
      throw ctx.error(d.idPath, `duplicate scenario id '${d.id}': produced by ${where(prev)} and by ${where(d)}`);
    }
    seen.set(d.id, d);
  }
}

function selectSubset(ctx: SpecContext, drafts: Draft[], ids: string[] | undefined): Draft[] {
  if (!ids) return drafts;
  const want = new Set(ids);
  const have = new Set(drafts.map((d) => d.id));
  const missing = ids.filter((id) => !have.has(id));
  if (missing.length) {
    const sample = drafts
      .slice(0, 5)
      .map((d) => d.id)
      .join(', ');
    throw new InputError(
      `the spec has no scenario ${missing
        .slice(0, 5)
        .map((m) => `'${m}'`)
        .join(
          ', ',
        )}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''}; it has ${drafts.length} scenarios, e.g. ${sample}`,
      { file: ctx.spec.top.file },
    );
  }
  return drafts.filter((d) => want.has(d.id));
}

/** The spec's profile; a missing or unusable file is reported where the spec names it (profiles.file). */
function readProfiles(spec: ComposedSpec, grid: Network): LoadedProfiles {
  const { file, kind } = spec.profiles as { file: string; kind: 'multiplier' | 'value' };
  if (extname(file).toLowerCase() !== '.parquet' && !isRegularFile(file)) {
    throw composedError(
      spec,
      ['profiles', 'file'],
      `profile file ${existsSync(file) ? 'is not a file' : 'not found'}: ${file} (profiles.file is relative to the spec's folder)`,
    );
  }
  try {
    return loadProfiles(file, kind, grid);
  } catch (e) {
    // a problem with the file as a whole (no line in it, e.g. Parquet): point at the spec's key
    if (!(e instanceof InputError) || e.line !== undefined) throw e;
    const raw = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
    throw composedError(spec, ['profiles', 'file'], `${file}: ${raw}`);
  }
}

/** Loads and generators the profile claims to drive but has no column for: a warning, or an error with strict. */
function checkProfileCoverage(spec: ComposedSpec, p: LoadedProfiles, grid: Network, warnings: string[]): void {
  const opts = spec.profiles as { atBase?: string[]; strict?: boolean };
  const gaps = describeGaps(relative(spec.top.dir, p.file) || p.file, profileGaps(p, grid, opts.atBase ?? []));
  if (gaps.length && opts.strict) throw composedError(spec, ['profiles', 'strict'], `${gaps[0]} (strict: true)`);
  warnings.push(...gaps);
}

/** Every time slice of every scenario must be in the profile. */
function checkProfileTimes(spec: ComposedSpec, p: LoadedProfiles, scenarios: ResolvedScenario[]): void {
  const have = new Set(p.times);
  const checked = new Set<string[]>();
  for (const s of scenarios) {
    if (checked.has(s.timeSlices)) continue;
    checked.add(s.timeSlices);
    const miss = s.timeSlices.filter((t) => !have.has(t));
    if (miss.length) {
      const more = miss.length > 1 ? ` (and ${miss.length - 1} more of its ${s.timeSlices.length} time slices)` : '';
      const name = relative(spec.top.dir, p.file) || p.file;
      throw composedError(
        spec,
        ['profiles', 'file'],
        `time ${miss[0]} of scenario '${s.scenarioId}' is not in the profile ${name}${more}`,
      );
    }
  }
}

export { previewStudy } from './preview';
