/**
 * The solved jobs of a study as ML samples, in batch-manifest order (scenario-manifest order,
 * then time order), each with its split. Used by the dataset layouts (OPFData JSON, gridfm),
 * which number their samples contiguously and so are written in one ordered pass.
 */
import { InputError } from '../errors';
import { bustypes, busesWithoutReference, elementStatus } from '../solvers/bustypes';
import { NONE } from '../grid/network';
import { cellNum } from '../io/read-results';
import { isAcTask, JobGraph } from './job-graph';
import { scenarioGraphs } from './scenario-graphs';
import { assignSplits, DEFAULT_SPLIT, Split, SplitOptions } from './splits';
import { Study } from '../io/study';

export interface SampleStreamOptions {
  split?: SplitOptions;
  /** also the failed jobs (status 'failed', no solved values) */
  keepFailed?: boolean;
  signal?: AbortSignal;
  /** called after each scenario has been read (k = scenarios done) */
  onScenario?: (done: number, total: number) => Promise<void> | void;
}

export function studySplits(study: Study, opts: SplitOptions = DEFAULT_SPLIT): Map<string, Split> {
  return assignSplits(study.scenarioIds, opts);
}

/** Every solved job of the study (with keepFailed also the failed ones), in batch-manifest order. */
export async function* solvedSamples(study: Study, opts: SampleStreamOptions = {}): AsyncGenerator<JobGraph> {
  const splits = studySplits(study, opts.split);
  const total = study.count;
  for (let k = 0; k < total; k++) {
    if (opts.signal?.aborted)
      throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('featurize cancelled');
    for (const j of await scenarioGraphs(study, k, splits, opts.keepFailed)) yield j;
    await opts.onScenario?.(k + 1, total);
  }
}

/** The dataset layouts hold AC solutions (voltages, P and Q everywhere): pf_ac and opf_ac. */
export function requireAcTask(study: Study, layoutName: string): void {
  if (!isAcTask(study.task)) {
    throw new InputError(
      `the ${layoutName} layout holds AC solutions; this batch is ${study.task} (use pf_ac or opf_ac, or the gnn / opfdata layouts)`,
      { file: study.outDir },
    );
  }
}

/**
 * A sample both formats can hold: every bus energized with a solved voltage, every in-service
 * generator and branch with solved P and Q. Jobs that de-energized buses (islands) are not:
 * OPFData and gridfm have no notion of a de-energized bus.
 */
export function isCompleteAcSample(j: JobGraph): boolean {
  const net = j.net,
    st = elementStatus(net),
    bt = bustypes(net, st);
  if (bt.typeAfter.some((t) => t === NONE)) return false;
  if (busesWithoutReference(net, st, bt.ref).length > 0) return false;
  for (let i = 0; i < net.bus.n; i++) {
    const r = j.bus.get(net.bus.busI[i]);
    if (cellNum(r, 'vm_pu') === null || cellNum(r, 'va_deg') === null) return false;
  }
  for (let k = 0; k < net.gen.n; k++) {
    if (!st.genOn[k]) continue;
    const r = j.gen.get(k + 1);
    if (cellNum(r, 'pg_mw') === null || cellNum(r, 'qg_mvar') === null) return false;
  }
  for (let l = 0; l < net.branch.n; l++) {
    if (!st.branchOn[l]) continue;
    const r = j.branch.get(l + 1);
    for (const c of ['pf_mw', 'qf_mvar', 'pt_mw', 'qt_mvar']) if (cellNum(r, c) === null) return false;
  }
  return true;
}

/** Name of the grid as the dataset tools name it: the case file's name without .m. */
export function caseNameOf(study: Study): string {
  const f = study.manifest.grid_file.split(/[\\/]/).pop() ?? 'case';
  return f.replace(/\.m$/i, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'case';
}
