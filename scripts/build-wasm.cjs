#!/usr/bin/env node
/**
 * `npm run build:wasm` (also run by postinstall): compiles the WebAssembly kernels (AssemblyScript,
 * the npm package assemblyscript): the sparse LU's, wasm/lu-kernels.ts, and the Newton power
 * flow's, wasm/newton-kernels.ts, each to wasm/build/<name>.wasm, and writes
 * wasm/build/<name>.sha256 (the hash of the source and the files it imports, by which src/solvers/sparse/lu-wasm.ts and
 * src/solvers/newton-wasm.ts tell a stale build from a current one). Written to temporary files
 * and renamed, so a failed build never leaves half a module. Never fails the install: without a
 * module its TypeScript kernels run (one line says why).
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, 'wasm', 'build');
const KERNELS = [
  { name: 'lu-kernels', what: "the sparse LU's WebAssembly kernels", features: [] },
  // the branch flows use 128-bit vectors (WebAssembly SIMD: Node 16.4 and later)
  { name: 'newton-kernels', what: "the Newton power flow's WebAssembly kernels", features: ['simd'] },
];

/**
 * sha256 of a kernel's source followed by each file it imports from its own folder
 * (`from './name'`), in order: the rule of kernelSourceHash in src/solvers/sparse/lu-wasm.ts,
 * which tells a stale module by it.
 */
function kernelSourceHash(source) {
  const text = readFileSync(source);
  const h = createHash('sha256').update(text);
  for (const m of text.toString('utf8').matchAll(/^import .* from '\.\/([\w-]+)';$/gm))
    h.update(readFileSync(join(dirname(source), `${m[1]}.ts`)));
  return h.digest('hex');
}

function build(name, features) {
  const SOURCE = join(ROOT, 'wasm', `${name}.ts`);
  const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = join(OUT_DIR, `${name}.wasm.tmp-${process.pid}`);
  // --runtime stub --noAssert: no GC, no bounds assertions (the kernels use raw loads and stores)
  const args = [asc, SOURCE, '-O3', '--runtime', 'stub', '--noAssert', '--importMemory', '--initialMemory', '1'];
  for (const f of features) args.push('--enable', f);
  try {
    execFileSync(process.execPath, [...args, '-o', tmp], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    renameSync(tmp, join(OUT_DIR, `${name}.wasm`));
  } finally {
    rmSync(tmp, { force: true });
  }
  const hash = kernelSourceHash(SOURCE);
  const hashTmp = join(OUT_DIR, `${name}.sha256.tmp-${process.pid}`);
  require('node:fs').writeFileSync(hashTmp, `${hash}\n`);
  renameSync(hashTmp, join(OUT_DIR, `${name}.sha256`));
}

for (const { name, what, features } of KERNELS) {
  try {
    const t0 = Date.now();
    build(name, features);
    console.log(`gridbatch: built ${what} (wasm/build/${name}.wasm) in ${Date.now() - t0} ms`);
  } catch (e) {
    const why = e && e.stderr && e.stderr.length ? String(e.stderr).trim().split('\n')[0] : String(e && e.message);
    console.log(
      `gridbatch: ${what} were not built (${why}); the TypeScript kernels run instead (run \`npm run build:wasm\` after \`npm install assemblyscript\`)`,
    );
  }
}
