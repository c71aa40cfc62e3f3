/**
 * A folder of specs as one study (`--spec dir/`), as a planning tool's scenario library: every
 * `*.yaml`, `*.yml` and `*.json` file directly in the folder is loaded on its own (files that
 * another file of the folder `extends` are bases, not studies), and their scenarios are joined in
 * file-name order. Each scenario id becomes `<file stem>.<id>`, so the ids of every file stay
 * distinct whatever they are called inside their file. The files must name the same grid, island
 * rule, severity weights and profile.
 */
import { readdirSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { InputError } from '../errors';
import { Network } from '../grid/network';
import { composeSpec } from './compose';
import { scenarioHash } from './hash';
import { unsafeIdReason } from './ids';
import { LoadSpecOptions, ResolvedScenario, ResolvedStudy } from './types';

export const SPEC_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The spec files of a folder that are studies (not only bases of others), sorted by name. */
export function specFilesIn(dir: string): string[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && SPEC_EXTENSIONS.includes(extname(e.name).toLowerCase()))
    .map((e) => resolve(dir, e.name))
    .sort();
  if (files.length === 0)
    throw new InputError(`the spec folder has no ${SPEC_EXTENSIONS.join(' / ')} files`, { file: dir });
  const bases = new Set<string>();
  for (const f of files) for (const src of composeSpec(f).chain.slice(1)) bases.add(src.file);
  const studies = files.filter((f) => !bases.has(f));
  if (studies.length === 0)
    throw new InputError('every spec in the folder is the base of another (an extends cycle?)', { file: dir });
  return studies;
}

const stem = (file: string) => basename(file, extname(file));

export function loadSpecFolder(
  dir: string,
  opts: LoadSpecOptions,
  loadOne: (file: string, o: LoadSpecOptions) => { study: ResolvedStudy; grid: Network },
): { study: ResolvedStudy; grid: Network } {
  const files = specFilesIn(dir);
  let first: { study: ResolvedStudy; grid: Network } | undefined;
  const scenarios: ResolvedScenario[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const one = loadOne(file, { gridFile: opts.gridFile });
    const s = one.study;
    if (!first) first = one;
    else {
      const f = first.study;
      const differ = (what: string, a: unknown, b: unknown) => {
        if (JSON.stringify(a) !== JSON.stringify(b))
          throw new InputError(
            `${what} differs from ${basename(f.specFile)}'s (${JSON.stringify(a)} vs ${JSON.stringify(b)}): the specs of one folder are one study`,
            { file },
          );
      };
      differ('grid_file', f.gridFile, s.gridFile);
      differ('islands', f.islands, s.islands);
      differ('severity.weights', f.severityWeights ?? {}, s.severityWeights ?? {});
      differ('profiles.file', f.profiles?.file ?? null, s.profiles?.file ?? null);
    }
    const prefix = stem(file);
    for (const sc of s.scenarios) {
      const id = `${prefix}.${sc.scenarioId}`;
      const why = unsafeIdReason(id);
      if (why)
        throw new InputError(`scenario id '${id}' (file stem + '.' + '${sc.scenarioId}') is not safe: ${why}`, {
          file,
        });
      const renamed: ResolvedScenario = { ...sc, scenarioId: id, hash: '' };
      renamed.hash = scenarioHash(renamed);
      scenarios.push(renamed);
    }
    for (const w of s.warnings) warnings.push(`${basename(file)}: ${w}`);
    for (const n of s.notes ?? []) notes.push(`${basename(file)}: ${n}`);
  }
  const f = first as { study: ResolvedStudy; grid: Network };
  let selected = scenarios;
  if (opts.scenarios) {
    const byId = new Map(scenarios.map((s) => [s.scenarioId, s]));
    const missing = opts.scenarios.filter((id) => !byId.has(id));
    if (missing.length) {
      throw new InputError(
        `the spec folder has no scenario ${missing
          .slice(0, 5)
          .map((m) => `'${m}'`)
          .join(', ')}; its ids are <file stem>.<id>, e.g. ${scenarios
          .slice(0, 3)
          .map((s) => s.scenarioId)
          .join(', ')}`,
        { file: dir },
      );
    }
    const want = new Set(opts.scenarios);
    selected = scenarios.filter((s) => want.has(s.scenarioId));
  }
  const study: ResolvedStudy = {
    ...f.study,
    specFile: resolve(dir),
    specFiles: files,
    scenarios: selected,
    warnings,
    ...(notes.length ? { notes } : {}),
  };
  return { study, grid: f.grid };
}

/** The files a study was read from: the folder's specs, or the one spec. */
export function studySpecFiles(study: ResolvedStudy): string[] {
  return study.specFiles ?? [study.specFile];
}
