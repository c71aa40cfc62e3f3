#!/usr/bin/env node
/**
 * Runs a TypeScript entry point (a benchmark) with plain node, as `npx gridbatch` runs the
 * prebuilt dist/: bundles it with esbuild (packages left to node_modules) into
 * bench-build.tmp/<name>.js at the package root, then runs that with the remaining arguments.
 *
 *   node scripts/run-node.cjs bench/contingency.ts [args...]
 *
 * Why not tsx: tsx parses every module it loads with es-module-lexer in the main thread, whose
 * WebAssembly memory grows on a large file. Growing a memory detaches its old ArrayBuffer, and
 * from the first detach on V8 checks every typed array access of the process for detachment
 * (src/solvers/sparse/lu-wasm.ts): the solvers' loops run 11-16% slower than in a process that
 * never detached one (case118 N-1, 48 vs 55 us per outage, process CPU time). Timing under tsx
 * measures that handicap, which the CLI and the workers built from dist/ do not have.
 *
 * The bundle sits one folder below the package root, as the sources' bench/ does, so paths
 * built from __dirname (`resolve(__dirname, '..', 'tests', ...)`, the package root) hold.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, rmSync, rmdirSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');

/** How a benchmark is bundled: for plain node, packages left to node_modules (bench/pf-warm-ab.ts bundles the same way). */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};

function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node scripts/run-node.cjs <entry.ts> [args...]\n');
    process.exit(2);
  }
  const outDir = join(ROOT, 'bench-build.tmp');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, '')}-${process.pid}.js`);
  require('esbuild').buildSync({ entryPoints: [resolve(entry)], outfile, ...BUNDLE_OPTIONS });
  const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
  rmSync(outfile, { force: true });
  try {
    rmdirSync(outDir); // when no other run is using it
  } catch {
    // another run's bundle is still there
  }
  process.exit(r.status ?? 1);
}

module.exports = { BUNDLE_OPTIONS };
if (require.main === module) main();
