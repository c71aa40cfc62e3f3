/**
 * AC power flow of this checkout against another one (`--base`, for example `git archive
 * <commit> | tar -x -C DIR` with node_modules linked in and wasm/build copied or built),
 * alternating in fresh processes, process CPU time, the workloads of bench:contingency:
 *   cold: solvePfAc from the case voltages, ms per solve (median of --solves after as many untimed);
 *   n1:   a prepared solver over the first --n1-max connected single-branch outages (the base
 *         network viewed with one branch out, as a batch job gets it), ms per contingency (the
 *         loop run --warm times untimed on fresh solvers, then timed on a fresh one).
 * Each process runs one side on one case, LU (GRIDBATCH_LU) and kernel (GRIDBATCH_LU_KERNEL);
 * the sides alternate A B B A ... over --rounds; reported are the medians over rounds, the
 * ratio this / base and the load average before and after.
 *
 *   npx tsx bench/pf-ab.ts --base DIR [--cases case1354pegase] [--lu ts,klu] [--kernel wasm]
 *     [--work cold,n1] [--rounds 6] [--solves 20] [--n1-max 500] [--warm 2] [--json]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Modules {
  readCaseFile(path: string): Net;
  solvePfAc(net: Net, opts: object): { converged: boolean };
  prepareAcPf(net: Net): { solve(net: Net, opts: object): { converged: boolean } };
  branchOutageView(net: Net, branches: number[]): Net;
  connectedOutages(net: Net, max: number): number[];
}
type Net = object;

function load(root: string): Modules {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const req = (p: string) => require(join(root, p)) as Record<string, unknown>;
  return {
    ...req('src/grid/matpower-case'),
    ...req('src/solvers/pf-ac'),
    ...req('src/scenarios/network-draft'),
    ...req('bench/contingency-outages'),
  } as unknown as Modules;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** In the child: ms per solve (cold) or per contingency (n1) of `root`'s code. */
function child(root: string, name: string, work: string, solves: number, n1Max: number, warm: number): number {
  const m = load(root);
  const net = m.readCaseFile(join(root, 'tests', 'fixtures', 'cases', `${name}.m`));
  const opts = { tol: 1e-8, maxIt: 10 };
  if (work === 'cold') {
    for (let k = 0; k < solves; k++) m.solvePfAc(net, opts);
    const ms: number[] = [];
    for (let k = 0; k < solves; k++) {
      const t = cpuMs();
      if (!m.solvePfAc(net, opts).converged) throw new Error(`${name}: cold solve did not converge`);
      ms.push(cpuMs() - t);
    }
    return median(ms);
  }
  const outages = m.connectedOutages(net, n1Max);
  const run = (): number => {
    const t = cpuMs();
    const pf = m.prepareAcPf(net);
    let ok = 0;
    for (const l of outages) if (pf.solve(m.branchOutageView(net, [l]), opts).converged) ok++;
    if (ok < outages.length - 5) throw new Error(`${name}: N-1 converged ${ok} of ${outages.length}`);
    return (cpuMs() - t) / outages.length;
  };
  for (let w = 0; w < warm; w++) run();
  return run();
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const [root, name, work, solves, n1Max, warm] = argv.slice(1);
    process.stdout.write(JSON.stringify(child(root, name, work, Number(solves), Number(n1Max), Number(warm))));
    return;
  }
  const opt = (k: string, d?: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
  if (!opt('--base')) throw new Error('usage: --base DIR');
  const sides = [
    { name: 'base', root: resolve(opt('--base') as string) },
    { name: 'this', root: resolve(__dirname, '..') },
  ];
  const cases = (opt('--cases', 'case1354pegase') as string).split(',');
  const lus = (opt('--lu', 'ts,klu') as string).split(',');
  const kernel = opt('--kernel', 'wasm') as string;
  const works = (opt('--work', 'cold,n1') as string).split(',');
  const rounds = Number(opt('--rounds', '6'));
  const solves = opt('--solves', '20') as string;
  const n1Max = opt('--n1-max', '500') as string;
  const warm = opt('--warm', '2') as string;
  const load0 = loadavg();
  const rows: { case: string; lu: string; work: string; base: number[]; this: number[] }[] = [];
  for (const name of cases)
    for (const lu of lus)
      for (const work of works) {
        const row = { case: name, lu, work, base: [] as number[], this: [] as number[] };
        for (let r = 0; r < rounds; r++)
          for (const s of r % 2 ? [...sides].reverse() : sides) {
            const out = execFileSync(
              process.execPath,
              [...process.execArgv, __filename, '--child', s.root, name, work, solves, n1Max, warm],
              { encoding: 'utf8', env: { ...process.env, GRIDBATCH_LU: lu, GRIDBATCH_LU_KERNEL: kernel } },
            );
            row[s.name as 'base' | 'this'].push(JSON.parse(out) as number);
          }
        rows.push(row);
        process.stderr.write(
          `${name} ${lu} ${work}: base ${median(row.base).toFixed(3)} this ${median(row.this).toFixed(3)} ms\n`,
        );
      }
  const load1 = loadavg();
  const table = rows.map((r) => ({
    case: r.case,
    lu: r.lu,
    work: r.work,
    base_ms: median(r.base),
    this_ms: median(r.this),
    ratio: median(r.this) / median(r.base),
    base_runs: r.base,
    this_runs: r.this,
  }));
  const out = { kernel, rounds, load_before: load0, load_after: load1, base: sides[0].root, rows: table };
  if (argv.includes('--json')) {
    console.log(JSON.stringify(out, null, 1));
    return;
  }
  const l = (x: number[]) => x.map((v) => v.toFixed(1)).join(' ');
  console.log(
    `AC power flow, this checkout vs ${sides[0].root}, fresh processes alternating, median of ${rounds} rounds, process CPU ms; kernel ${kernel}; load ${l(load0)} -> ${l(load1)}`,
  );
  console.log('| case | LU | workload | base ms | this ms | this / base |');
  console.log('|---|---|---|---|---|---|');
  for (const r of table)
    console.log(
      `| ${r.case} | ${r.lu} | ${r.work} | ${r.base_ms.toFixed(3)} | ${r.this_ms.toFixed(3)} | ${r.ratio.toFixed(3)} |`,
    );
}

main();
