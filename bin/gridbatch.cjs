#!/usr/bin/env node
/**
 * `npx gridbatch <command>`: runs the prebuilt JavaScript (dist/client.js, `npm run build`) with
 * plain node when it was built from the sources as they are now (bin/dist-state.cjs). A missing
 * or stale dist/ never runs old code: the CLI says so in one line on stderr and runs the
 * TypeScript sources through tsx instead (slower start), or, with GRIDBATCH_DIST=require
 * (bench:batch), exits 3 with that line.
 */
'use strict';
const { join } = require('node:path');
const { ROOT, distDir, distState } = require('./dist-state.cjs');

const state = distState();
if (state.fresh) {
  require('./compile-cache.cjs').installCompileCache(ROOT);
  // the SDK's webpack bundler (and memfs, source-map) loads only if a workflow bundle is built
  require('./lazy-workflow-bundler.cjs').installLazyWorkflowBundler(ROOT);
  // rxjs, zod and yaml from one prebuilt file each (dist/vendor), not hundreds of modules
  require('./vendor-modules.cjs').installVendorModules(join(distDir(), 'vendor'), ROOT);
  require(join(distDir(), 'client.js')).main(process.argv);
} else if (process.env.GRIDBATCH_DIST === 'require') {
  process.stderr.write(`error: ${state.reason}\n`);
  process.exit(3);
} else {
  process.stderr.write(`gridbatch: ${state.reason}; running the sources through tsx meanwhile\n`);
  // tsx's own command line (its loader hooks both require() and the commands' import())
  const { spawn } = require('node:child_process');
  const { constants } = require('node:os');
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), join(ROOT, 'client.ts'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  // relayed like tsx relays them (src/cli/interrupt.ts takes a doubled Ctrl-C as one)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
