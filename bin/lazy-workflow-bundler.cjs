/**
 * The CLI never bundles workflow code at run time (dist/ holds the prebuilt bundle, or the bundle
 * cache in .state/ does), yet `require('@temporalio/worker')` loads the SDK's bundler module
 * (lib/workflow/bundler.js) eagerly, and with it webpack's entry, memfs, unionfs and source-map:
 * ~115 of the ~1,000 modules start-batch loads. This puts a stand-in for that one module in
 * require.cache before the SDK loads: its exports load the real module on first use (a bundle
 * built by cachedWorkflowBundle on a cache miss, `workflowsPath` workers), except
 * defaultWorkflowInterceptorModules, which Worker.create reads with every prebuilt bundle and
 * which is computed here exactly as the SDK computes it.
 *
 * Only for the SDK versions it was written against (1.24.x), and only when the SDK has not been
 * loaded yet; otherwise nothing changes. Plain CommonJS: it runs before any module it affects.
 */
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** The SDK versions whose bundler module exports exactly the names below. */
const SDK_VERSION = /^1\.24\./;
const EXPORTS = [
  'WorkflowCodeBundler',
  'bundleWorkflowCode',
  'moduleMatches',
  'allowedBuiltinModules',
  'disallowedBuiltinModules',
  'disallowedModules',
];

/** Installs the stand-in; returns whether it did. */
function installLazyWorkflowBundler(root) {
  let bundlerFile;
  try {
    const pkgFile = require.resolve('@temporalio/worker/package.json', { paths: [root] });
    if (!SDK_VERSION.test(JSON.parse(readFileSync(pkgFile, 'utf8')).version)) return false;
    bundlerFile = join(dirname(pkgFile), 'lib', 'workflow', 'bundler.js');
    if (Module._cache[join(dirname(pkgFile), 'lib', 'index.js')] || Module._cache[bundlerFile]) return false;
    require.resolve(bundlerFile);
  } catch {
    return false;
  }
  let real;
  const load = () => {
    if (!real) {
      // the real module, compiled into its own Module object under the same filename
      const m = new Module(bundlerFile, module);
      m.filename = bundlerFile;
      m.paths = Module._nodeModulePaths(dirname(bundlerFile));
      m.load(bundlerFile);
      real = m.exports;
    }
    return real;
  };
  const stand = new Module(bundlerFile, module);
  stand.filename = bundlerFile;
  stand.paths = Module._nodeModulePaths(dirname(bundlerFile));
  stand.loaded = true;
  const exports = { __esModule: true };
  // the SDK's own value: [require.resolve('../workflow-log-interceptor')] from lib/workflow
  exports.defaultWorkflowInterceptorModules = [
    require.resolve(join(dirname(bundlerFile), '..', 'workflow-log-interceptor')),
  ];
  for (const name of EXPORTS) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
  stand.exports = exports;
  Module._cache[bundlerFile] = stand;
  return true;
}

module.exports = { installLazyWorkflowBundler };
