#!/usr/bin/env node
/**
 * `npm run build:wasm` (also run by postinstall): compiles the sparse LU's numeric kernels,
 * wasm/lu-kernels.ts (AssemblyScript), to wasm/build/lu-kernels.wasm with the npm package
 * assemblyscript, and writes wasm/build/lu-kernels.sha256 (the source's hash, by which
 * src/solvers/sparse/lu-wasm.ts tells a stale build from a current one). Written to temporary
 * files and renamed, so a failed build never leaves half a module. Never fails the install:
 * without the module the TypeScript kernels run (one line says why).
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const SOURCE = join(ROOT, 'wasm', 'lu-kernels.ts');
const OUT_DIR = join(ROOT, 'wasm', 'build');

function build() {
  const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = join(OUT_DIR, `lu-kernels.wasm.tmp-${process.pid}`);
  // --runtime stub --noAssert: no GC, no bounds assertions (the kernels use raw loads and stores)
  const args = [asc, SOURCE, '-O3', '--runtime', 'stub', '--noAssert', '--importMemory', '--initialMemory', '1'];
  try {
    execFileSync(process.execPath, [...args, '-o', tmp], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    renameSync(tmp, join(OUT_DIR, 'lu-kernels.wasm'));
  } finally {
    rmSync(tmp, { force: true });
  }
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex');
  const hashTmp = join(OUT_DIR, `lu-kernels.sha256.tmp-${process.pid}`);
  require('node:fs').writeFileSync(hashTmp, `${hash}\n`);
  renameSync(hashTmp, join(OUT_DIR, 'lu-kernels.sha256'));
}

try {
  const t0 = Date.now();
  build();
  console.log(
    `gridbatch: built the sparse LU's WebAssembly kernels (wasm/build/lu-kernels.wasm) in ${Date.now() - t0} ms`,
  );
} catch (e) {
  const why = e && e.stderr && e.stderr.length ? String(e.stderr).trim().split('\n')[0] : String(e && e.message);
  console.log(
    `gridbatch: the sparse LU's WebAssembly kernels were not built (${why}); the TypeScript kernels run instead (run \`npm run build:wasm\` after \`npm install assemblyscript\`)`,
  );
}
