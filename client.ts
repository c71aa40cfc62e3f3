/**
 * The gridbatch command line: `npx gridbatch <command> --help` (the prebuilt dist/client.js through
 * bin/gridbatch.cjs) or, from the sources, `npx tsx client.ts <command> --help`.
 * Exit codes: 0 ok, 1 some jobs failed, 2 bad input or usage, 3 operational error.
 */
import { Command, Option } from 'commander';
import { EXIT } from './src/cli/exit';
import { allowInterruptHandling, interruptedBy, interruptExitCode } from './src/cli/interrupt';
import { runCli } from './src/cli/run';
import { ISLAND_MODES } from './src/solvers/islands';
import { gridbatchVersion } from './src/version';

// Each command's module is loaded when that command runs (not all of them at start: importing
// every command cost ~0.6 s CPU of each start-batch; bench:batch prints the fixed cost).
const int = (v: string) => Number(v);
const TASKS = ['pf_dc', 'pf_ac', 'opf_dc', 'opf_ac'];
const LAYOUTS = ['gnn', 'opfdata', 'both', 'opfdata-json', 'gridfm'];
const LOCAL_MODES = ['auto', 'always', 'never'];

export function buildProgram(run: (p: Promise<number> | number) => void): Command {
  const program = new Command('gridbatch')
    .description('Power-system scenario studies (DC/AC power flow and OPF) as durable Temporal executions')
    .version(gridbatchVersion())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('start-batch')
    .description('run a study: materialize the spec, fan out scenario x time jobs, write Parquet results')
    .requiredOption('--spec <file>', 'scenario spec (YAML or JSON; GAT format accepted)')
    .addOption(new Option('--task <task>', 'what to solve').choices(TASKS).default('pf_dc'))
    .option('--out <dir>', 'output folder (default out/<spec>-<task>)')
    .option('--id <batchId>', 'workflow id of the batch (default: derived from the spec content and options)')
    .option('--no-wait', 'return after starting, printing the workflow id')
    .option('--max-in-flight <n>', 'scenario workflows running at once', int)
    .option(
      '--chunk-size <n>',
      'time slices per solve activity and Parquet part (default: sized from the grid and task, at least 24)',
      int,
    )
    .addOption(
      new Option(
        '--local-activities <mode>',
        'solve chunks as local activities: auto (chunks estimated at 1 s or less), always, never',
      ).choices(LOCAL_MODES),
    )
    .addOption(
      new Option(
        '--scenario-groups <mode>',
        'small scenarios several to a workflow: auto (studies of more than 100 scenarios), always, never',
      ).choices(LOCAL_MODES),
    )
    .addOption(
      new Option(
        '--batch-workflow <mode>',
        'auto (a small study of grouped scenarios runs its groups from its own workflow), always (a batch workflow for every study)',
      ).choices(['auto', 'always']),
    )
    .addOption(
      new Option(
        '--partition-by <layout>',
        'result files: scenario_id (a folder per scenario), bucket (files of many scenarios), auto (bucket above 1,000 scenarios)',
      ).choices(['auto', 'scenario_id', 'bucket']),
    )
    .option('--scenarios <ids>', 'run only these scenario ids (comma separated)')
    .option('--no-warm-start', 'start every AC time slice from the case, not from the previous slice')
    .option('--max-iterations <n>', 'AC power flow: Newton iterations (MATPOWER pf.nr.max_it, default 10)', Number)
    .option('--tolerance <tol>', 'AC power flow: mismatch tolerance in p.u. (default 1e-8)', Number)
    .option(
      '--job-timeout <seconds>',
      'stop a job that runs longer and record it as failed (the batch goes on)',
      Number,
    )
    .option('--screen <task>', 'two-stage study: screen every scenario and hour with DC power flow first (dc)')
    .option('--screen-top <k>', 'with --screen dc: run --task on the K scenarios the DC stage ranks most severe', int)
    .option('--enforce-q-lims <mode>', 'AC power flow: reactive limits 0 off, 1 all at once, 2 one at a time', Number)
    .option('--skip-featurize', 'do not write the GNN tables (<out>/features/)')
    .addOption(
      new Option(
        '--feature-layout <layout>',
        'GNN tables: homogeneous gnn, OPFData-style opfdata, both, OPFData JSON release opfdata-json (PyG OPFDataset), gridfm-datakit Parquet gridfm',
      ).choices(LAYOUTS),
    )
    .option('--keep-failed', 'features: keep failed jobs as labelled rows (status failed)')
    .option('--skip-report', 'do not write the report (<out>/report/)')
    .option('--baseline <scenario>', 'baseline scenario of the report (default base)')
    .option('--json', 'print the result as JSON')
    .action((o) =>
      run(
        import('./src/cli/start-batch').then((m) =>
          m.startBatch({
            spec: o.spec,
            task: o.task,
            out: o.out,
            id: o.id,
            wait: o.wait,
            json: o.json,
            maxInFlight: o.maxInFlight,
            chunkSize: o.chunkSize,
            localActivities: o.localActivities,
            scenarioGroups: o.scenarioGroups,
            batchWorkflow: o.batchWorkflow,
            partitionBy: o.partitionBy,
            scenarios: o.scenarios,
            warmStart: o.warmStart,
            maxIterations: o.maxIterations,
            tolerance: o.tolerance,
            enforceQLims: o.enforceQLims,
            jobTimeout: o.jobTimeout,
            screen: o.screen,
            screenTop: o.screenTop,
            skipFeaturize: o.skipFeaturize,
            featureLayout: o.featureLayout,
            keepFailed: o.keepFailed,
            skipReport: o.skipReport,
            baseline: o.baseline,
          }),
        ),
      ),
    );

  program
    .command('featurize')
    .description(
      'GNN tables of a finished batch: <out>/features/gnn/{nodes,edges,graphs} (PyTorch Geometric: docs/featurize.md)',
    )
    .option('--id <batchId>', 'batch workflow id (its output folder is in the workflow memo)')
    .option('--out <dir>', 'output folder of the batch (instead of --id)')
    .addOption(
      new Option(
        '--layout <layout>',
        'homogeneous gnn, OPFData-style opfdata (bus/generator/load/shunt, ac_line/transformer), both, OPFData JSON opfdata-json, gridfm-datakit gridfm',
      )
        .choices(LAYOUTS)
        .default('gnn'),
    )
    .option('--split-seed <n>', 'seed of the train/validation/test assignment of scenarios (default 0)')
    .option('--split-ratios <a,b,c>', 'fractions of scenarios in train, validation, test (default 0.8,0.1,0.1)')
    .option(
      '--keep-failed',
      'keep failed jobs as labelled rows (status failed; dataset layouts: <layout>/failed.parquet)',
    )
    .option('--json', 'machine-readable output')
    .action((o) =>
      run(
        import('./src/cli/featurize').then((m) =>
          m.featurizeCommand({
            id: o.id,
            out: o.out,
            layout: o.layout,
            splitSeed: o.splitSeed,
            splitRatios: o.splitRatios,
            keepFailed: o.keepFailed,
            json: o.json,
          }),
        ),
      ),
    );

  program
    .command('report')
    .description(
      'KPIs per job and scenario and a comparison with a baseline: <out>/report/ (Parquet, CSV, Excel, HTML)',
    )
    .option('--id <batchId>', 'batch workflow id (its output folder is in the workflow memo)')
    .option('--out <dir>', 'output folder of the batch (instead of --id)')
    .option('--baseline <scenario>', 'scenario to compare against (default base, else the first scenario)')
    .option('--json', 'machine-readable output')
    .action((o) =>
      run(
        import('./src/cli/report').then((m) =>
          m.reportCommand({ id: o.id, out: o.out, baseline: o.baseline, json: o.json }),
        ),
      ),
    );

  program
    .command('solve <case>')
    .description('solve one MATPOWER case without Temporal, writing the same tables as a batch')
    .addOption(new Option('--task <task>', 'what to solve').choices(TASKS).default('pf_dc'))
    .option('--out <dir>', 'output folder for the Parquet tables')
    .option('--json', 'print the result as JSON')
    .option(
      '--outage <element>',
      'take an element out first: branch:<row>, gen:<row> or bus:<number> (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addOption(
      new Option(
        '--islands <mode>',
        'buses cut off from every reference bus: deenergize them, give each island with generation a reference, or fail',
      )
        .choices(ISLAND_MODES)
        .default('deenergize'),
    )
    .action((casePath: string, o) =>
      run(
        import('./src/cli/solve').then((m) =>
          m.solveCommand({ casePath, task: o.task, out: o.out, json: o.json, outages: o.outage, islands: o.islands }),
        ),
      ),
    );

  program
    .command('validate')
    .description('expand a spec without running anything: scenario and job counts, id preview, errors')
    .requiredOption('--spec <file>', 'scenario spec')
    .option('--scenarios <ids>', 'only these scenario ids (comma separated)')
    .option('--out <dir>', 'also check this output folder: can be created, writable, room for the estimated output')
    .option('--chunk-size <n>', 'time slices per Parquet part (for the output size estimate)', int)
    .option('--json', 'machine-readable output')
    .action((o) =>
      run(
        import('./src/cli/validate').then((m) =>
          m.validateCommand({ spec: o.spec, scenarios: o.scenarios, out: o.out, chunkSize: o.chunkSize, json: o.json }),
        ),
      ),
    );

  program
    .command('status')
    .description('progress of a batch: stage, jobs done / failed / total')
    .requiredOption('--id <batchId>', 'batch workflow id')
    .option('--json', 'machine-readable output')
    .action((o) => run(import('./src/cli/status').then((m) => m.statusCommand({ id: o.id, json: o.json }))));

  program
    .command('list')
    .description('recent studies with state and job counts')
    .option('--limit <n>', 'how many', int, 20)
    .option('--json', 'machine-readable output')
    .action((o) => run(import('./src/cli/list').then((m) => m.listCommand({ json: o.json, limit: o.limit }))));

  program
    .command('results')
    .description('summary of a batch: counts, statistics, failed jobs with reasons, output paths')
    .requiredOption('--id <batchId>', 'batch workflow id')
    .option('--limit <n>', 'failed jobs to list', int, 20)
    .option('--json', 'machine-readable output')
    .option('--top <n>', "also print the n most severe contingencies (from the report's ranking)", int)
    .action((o) =>
      run(
        import('./src/cli/results').then((m) =>
          m.resultsCommand({ id: o.id, json: o.json, limit: o.limit, top: o.top }),
        ),
      ),
    );

  program
    .command('cancel')
    .description('cancel a running batch; written outputs stay, the manifest marks jobs not run')
    .requiredOption('--id <batchId>', 'batch workflow id')
    .option('--no-wait', 'return once the cancellation is requested')
    .option('--json', 'machine-readable output')
    .action((o) =>
      run(import('./src/cli/cancel').then((m) => m.cancelCommand({ id: o.id, json: o.json, wait: o.wait }))),
    );

  program
    .command('retry-failed')
    .description('run again only the failed jobs of a finished batch, into the same output')
    .requiredOption('--id <batchId>', 'batch workflow id')
    .option('--max-iterations <n>', 'AC power flow: Newton iterations', Number)
    .option('--tolerance <tol>', 'AC power flow: mismatch tolerance in p.u.', Number)
    .option('--enforce-q-lims <mode>', 'AC power flow: reactive limits 0, 1 or 2', Number)
    .option('--json', 'machine-readable output')
    .action((o) =>
      run(
        import('./src/cli/retry-failed').then((m) =>
          m.retryFailedCommand({
            id: o.id,
            json: o.json,
            maxIterations: o.maxIterations,
            tolerance: o.tolerance,
            enforceQLims: o.enforceQLims,
          }),
        ),
      ),
    );

  program
    .command('dev-server <action>')
    .description('start, stop or show the local Temporal dev server of temporal-dev.yml')
    .option('--json', 'machine-readable output')
    .action((action: string, o) =>
      run(import('./src/cli/dev-server').then((m) => m.devServerCommand(action, o.json === true))),
    );

  program
    .command('nexus-endpoint <action>')
    .description(
      'create, show or delete the Nexus endpoint of the gridbatch service (runStudy) on the Temporal server (docs/integration.md)',
    )
    .option('--name <name>', 'endpoint name', 'gridbatch')
    .option('--namespace <ns>', 'namespace of the gridbatch workers (default: the configured one)')
    .option('--task-queue <tq>', 'task queue of the gridbatch workers (default: the configured one)')
    .option('--json', 'machine-readable output')
    .action((action: string, o) =>
      run(
        import('./src/cli/nexus-endpoint').then((m) =>
          m.nexusEndpointCommand(action, {
            name: o.name,
            namespace: o.namespace,
            taskQueue: o.taskQueue,
            json: o.json,
          }),
        ),
      ),
    );

  program
    .command('worker')
    .description('run a worker (same as `npx tsx worker.ts`)')
    .action(() =>
      run(
        import('./worker').then(async (w) => {
          await w.runWorker();
          return EXIT.OK;
        }),
      ),
    );

  return program;
}

/** Runs the command line of `argv` (node's: the arguments start at index 2) and exits with its code. */
export function main(argv: string[]): void {
  allowInterruptHandling();
  void runCli(argv.slice(2), buildProgram).then((r) => {
    const sig = interruptedBy();
    process.exit(sig ? interruptExitCode(sig) : r.code);
  });
}

if (require.main === module) main(process.argv);
