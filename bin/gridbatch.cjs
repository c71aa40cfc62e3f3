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
  require(join(distDir(), 'client.js')).main(process.argv);
} else if (process.env.GRIDBATCH_DIST === 'require') {
  process.stderr.write(`error: ${state.reason}\n`);
  process.exit(3);
} else {
  process.stderr.write(`gridbatch: ${state.reason}; running the sources through tsx meanwhile\n`);
  require('tsx/cjs/api').register();
  require(join(ROOT, 'client.ts')).main(process.argv);
}
