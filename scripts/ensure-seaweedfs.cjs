#!/usr/bin/env node
/**
 * Builds SeaweedFS's `weed` command (a real S3-compatible object store, Apache-2.0) into the
 * tools folder once, reused when present. The tests of `--out s3://` run it on loopback ports
 * (tests/helpers/s3-server.ts); the product never needs it. Called by ensure-temporal.cjs (so
 * by `npm install` and .ci/run) with the same tools folder; `--force` rebuilds, `--strict` exits 1
 * when it cannot be built.
 *
 * SeaweedFS's go.mod has a `replace` directive, so it cannot be `go install`ed; the tools module
 * tools/seaweedfs (go.mod + go.sum committed: a reproducible build) pins the version and the
 * replacement, and `go build` builds the command from it.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const moduleDir = join(root, 'tools', 'seaweedfs');
const toolsDir = process.env.GRIDBATCH_TOOLS_DIR ? resolve(process.env.GRIDBATCH_TOOLS_DIR) : join(root, '.tools');
const bin = join(toolsDir, 'bin', 'weed');
const projectBin = join(root, '.tools', 'bin', 'weed');
const force = process.argv.includes('--force');
const strict = process.argv.includes('--strict');

function works(path) {
  const r = spawnSync(path, ['version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && /version/i.test(r.stdout);
}

/** A link in .tools/bin when the build is in a cache folder, as for the Temporal CLI (tests find it there too). */
function linkIntoProject() {
  if (bin === projectBin) return;
  mkdirSync(join(root, '.tools', 'bin'), { recursive: true });
  if (existsSync(projectBin) && realpathSync(projectBin) === realpathSync(bin)) return;
  rmSync(projectBin, { force: true });
  symlinkSync(bin, projectBin);
}

if (!force && existsSync(bin) && works(bin)) {
  linkIntoProject();
  console.log(`gridbatch: SeaweedFS (weed, S3 test server) ready at ${bin}`);
  process.exit(0);
}
if (spawnSync('go', ['version']).status !== 0) {
  console.warn(
    'gridbatch: Go is not installed, so SeaweedFS (the S3 test server) was not built; the s3:// tests need it (npm run build:seaweedfs).',
  );
  process.exit(strict ? 1 : 0);
}
mkdirSync(join(toolsDir, 'bin'), { recursive: true });
console.log(
  `gridbatch: building SeaweedFS (weed) into ${join(toolsDir, 'bin')} for the S3 tests (once; takes several minutes)...`,
);
const t0 = Date.now();
const r = spawnSync('go', ['build', '-o', bin, 'github.com/seaweedfs/seaweedfs/weed'], {
  cwd: moduleDir,
  stdio: 'inherit',
  env: { ...process.env, GOFLAGS: '-mod=mod' },
});
if (r.status !== 0 || !works(bin)) {
  console.error('gridbatch: building SeaweedFS (weed) failed (see above)');
  process.exit(strict ? 1 : 0);
}
linkIntoProject();
console.log(`gridbatch: SeaweedFS built in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${bin}`);
