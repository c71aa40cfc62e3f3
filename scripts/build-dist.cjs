#!/usr/bin/env node
/**
 * `npm run build` (also run by postinstall): the prebuilt JavaScript that `npx gridbatch` and
 * bench:batch run with plain node, no TypeScript loader at start.
 *
 *   dist/client.js, dist/worker.js, dist/src/**.js   every source file transpiled by esbuild, one
 *                                                    to one (relative paths, require.resolve of
 *                                                    modules run in threads and __dirname stay valid;
 *                                                    node_modules and native packages untouched)
 *   dist/workflows-<hash>.js                         the Temporal workflow bundle (bundleWorkflowCode),
 *                                                    keyed by src/temporal/workflow-bundle.ts's hash
 *   dist/vendor/<package>.js, dist/vendor/vendor.json  rxjs, zod, yaml, @grpc/grpc-js and uuid as one
 *                                                    file each, with the versions bundled (bin/vendor-modules.cjs)
 *   dist/build-info.json                             the source hash and stat signature (bin/dist-state.cjs), written last
 *
 * Built into dist.tmp-<pid> and renamed, so a failed or concurrent build never leaves half a dist/.
 */
'use strict';
const { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { ROOT, sourceFiles, sourceHash, statSignature } = require('../bin/dist-state.cjs');
const { VENDOR, MANIFEST, vendorEntry, resolveBase, installedVersion } = require('../bin/vendor-modules.cjs');

/** Each package of VENDOR as one CommonJS file exporting { <specifier>: exports }, and the versions bundled. */
async function buildVendor(esbuild, outDir) {
  const manifest = {};
  for (const name of Object.keys(VENDOR)) {
    const { package: pkg, from, specifiers, external } = vendorEntry(name);
    // resolved as the package that loads it resolves them (a nested copy from its folder)
    const base = resolveBase(from, ROOT);
    const entry = specifiers.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(',\n');
    await esbuild.build({
      stdin: { contents: `module.exports = {\n${entry}\n};\n`, resolveDir: base, loader: 'js' },
      outfile: join(outDir, `${name}.js`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // grpc-js requires it only to serve channelz or ORCA (never in a client): left to node_modules
      external: ['@grpc/proto-loader', ...external],
      logLevel: 'warning',
    });
    manifest[name] = { version: installedVersion(pkg, base), specifiers, ...(from ? { package: pkg, from } : {}) };
  }
  writeFileSync(join(outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
}

async function build() {
  const t0 = Date.now();
  const esbuild = require('esbuild');
  const hash = sourceHash(ROOT);
  // taken with the hash, before the build reads the files again (a file edited meanwhile fails both: stale)
  const signature = statSignature(hash, ROOT);
  const files = sourceFiles(ROOT);
  const out = join(ROOT, `dist.tmp-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const ts = files.filter((f) => f.endsWith('.ts'));
  await esbuild.build({
    entryPoints: ts.map((f) => join(ROOT, f)),
    outdir: out,
    outbase: ROOT,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    // import('./src/cli/x') as a require: ESM's import() of an extensionless path fails
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  // plain JavaScript sources (the solve thread's entry, the Parquet reader's worker) as they are
  for (const f of files.filter((f) => !f.endsWith('.ts'))) {
    mkdirSync(dirname(join(out, f)), { recursive: true });
    cpSync(join(ROOT, f), join(out, f));
  }
  await buildVendor(esbuild, join(out, 'vendor'));
  // the workflow bundle, with the same key the worker computes from src/workflows at run time
  // (taken from the bundle cache, .state/workflow-bundle/, when a worker built it already)
  const wb = require(join(out, 'src', 'temporal', 'workflow-bundle.js'));
  const bundle = await wb.cachedWorkflowBundle(join(ROOT, 'src', 'workflows', 'index.ts'), wb.bundleCacheDir());
  const name = `workflows-${wb.workflowSourceHash(join(ROOT, 'src', 'workflows', 'index.ts'))}.js`;
  writeFileSync(join(out, name), bundle.code);
  writeFileSync(
    join(out, 'build-info.json'),
    JSON.stringify({ sourceHash: hash, statSignature: signature, files: files.length, workflowBundle: name }, null, 2) +
      '\n',
  );
  const dist = join(ROOT, 'dist');
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(out, dist);
  rmSync(old, { recursive: true, force: true });
  console.log(
    `gridbatch: built dist/ (${files.length} files, workflow bundle ${bundle.hit ? 'from the cache' : 'built'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}

build().catch((e) => {
  // postinstall must not fail the install: the CLI then runs the sources through tsx and says so
  console.error(`gridbatch: build of dist/ failed: ${e && e.message ? e.message : e}`);
  process.exit(process.env.npm_lifecycle_event === 'postinstall' ? 0 : 1);
});
