#!/usr/bin/env node
/**
 * Builds the Temporal CLI (dev server) into .tools/bin once, reused when present.
 * Runs on `npm install` (postinstall) and from .ci/run. `--force` rebuilds.
 *
 *   go install github.com/temporalio/cli/cmd/temporal@v1.5.1
 *
 * (later tags carry a `replace` directive and cannot be `go install`ed).
 * GRIDBATCH_TOOLS_DIR moves the tools folder (e.g. to a cache a warm machine reuses).
 * Without Go nothing fails here: a message says how to get the server, and commands that need
 * it say so again; TEMPORAL_ADDRESS users need no local server at all.
 * Then ensure-seaweedfs.cjs builds the S3 test server into the same folder (same flags but --force).
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync } = require('node:fs');
const { join, resolve } = require('node:path');

const VERSION = 'v1.5.1';
const root = resolve(__dirname, '..');
const toolsDir = process.env.GRIDBATCH_TOOLS_DIR ? resolve(process.env.GRIDBATCH_TOOLS_DIR) : join(root, '.tools');
const bin = join(toolsDir, 'bin', 'temporal');
const projectBin = join(root, '.tools', 'bin', 'temporal');
const force = process.argv.includes('--force');
const strict = process.argv.includes('--strict');

/** The S3 test server (SeaweedFS) in the same tools folder, after the Temporal CLI, whatever became of it. */
function ensureSeaweedfs(status) {
  const r = spawnSync(process.execPath, [join(__dirname, 'ensure-seaweedfs.cjs'), ...(strict ? ['--strict'] : [])], {
    stdio: 'inherit',
  });
  process.exit(status || (r.status ?? 1));
}

function works(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /Server/.test(r.stdout);
}

function linkIntoProject() {
  if (bin === projectBin) return;
  mkdirSync(join(root, '.tools', 'bin'), { recursive: true });
  if (existsSync(projectBin) && realpathSync(projectBin) === realpathSync(bin)) return;
  rmSync(projectBin, { force: true }); // unlink works even while a server runs from it
  symlinkSync(bin, projectBin);
}

if (!force && existsSync(bin) && works(bin)) {
  linkIntoProject();
  console.log(`gridbatch: Temporal CLI ready at ${bin}`);
  ensureSeaweedfs(0);
}
if (spawnSync('go', ['version']).status !== 0) {
  const msg =
    'gridbatch: Go is not installed, so the Temporal CLI (local dev server) was not built. ' +
    'Install Go and run `npm run build:temporal`, or set TEMPORAL_ADDRESS to use a running Temporal cluster.';
  console.warn(msg);
  ensureSeaweedfs(strict ? 1 : 0);
}
mkdirSync(join(toolsDir, 'bin'), { recursive: true });
console.log(
  `gridbatch: building the Temporal CLI ${VERSION} into ${join(toolsDir, 'bin')} (once; takes a few minutes)...`,
);
const t0 = Date.now();
const r = spawnSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${VERSION}`], {
  stdio: 'inherit',
  env: { ...process.env, GOBIN: join(toolsDir, 'bin'), GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
});
if (r.status !== 0 || !works(bin)) {
  console.error('gridbatch: building the Temporal CLI failed (see above)');
  ensureSeaweedfs(strict ? 1 : 0);
}
linkIntoProject();
console.log(`gridbatch: Temporal CLI built in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${bin}`);
ensureSeaweedfs(0);
