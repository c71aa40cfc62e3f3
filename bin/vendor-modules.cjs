/**
 * Dependencies the CLI loads as one prebuilt file each instead of hundreds: rxjs (226 modules,
 * loaded by the Temporal worker), zod (95), yaml (72), @grpc/grpc-js (65, the Temporal client's)
 * and uuid (21) are half of the modules `start-batch` loads (apache-arrow, ~160, is loaded by
 * each solve thread), and every module costs a
 * resolution, a read, a hash and a compile-cache lookup.
 * `npm run build` (scripts/build-dist.cjs) bundles each with esbuild into dist/vendor/<name>.js,
 * exporting { <specifier>: exports } for the specifiers in VENDOR, and records the versions it
 * bundled in dist/vendor/vendor.json.
 *
 * At start the CLI puts, for each specifier, a module in require.cache under the file that
 * specifier resolves to in node_modules, whose exports come from the bundle when first required:
 * every `require('rxjs')` of the process then gets the bundled copy (one copy, as before). A
 * package whose installed version differs from the bundled one (node_modules changed since the
 * build), a missing bundle or a specifier that does not resolve is left to node_modules.
 * A package installed nested under the one that loads it (protobufjs 8 under @temporalio/proto and
 * again under @temporalio/common, beside a top-level protobufjs 7) is bundled from that package's
 * folder (`from`) and served under the files its specifiers resolve to from there: each copy
 * stays its own, as installed.
 * The CLI's main thread and its solve threads (src/activities/solve-thread.js). Plain CommonJS:
 * it runs before any module it affects.
 */
'use strict';
const Module = require('node:module');
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

/** package -> the specifiers the CLI's code and its dependencies require of it */
const VENDOR = {
  rxjs: ['rxjs', 'rxjs/operators'],
  zod: ['zod'],
  yaml: ['yaml'],
  // the Temporal client's; its __dirname-relative .proto files serve only channelz and ORCA servers, never a client
  '@grpc/grpc-js': ['@grpc/grpc-js'],
  uuid: ['uuid'],
  // the grid's Arrow copy (src/io/grid-arrow.ts), loaded by every solve thread
  'apache-arrow': ['apache-arrow'],
  // the command line's parser (client.ts, every command) and the Nexus handler API (the worker's)
  commander: ['commander'],
  'nexus-rpc': ['nexus-rpc'],
  // the Temporal API's reflection (@temporalio/proto's json-module) and the protobuf payload
  // converters (@temporalio/common): ~45 modules each; `long` stays the installed one
  'protobufjs@temporalio-proto': {
    package: 'protobufjs',
    from: '@temporalio/proto',
    specifiers: ['protobufjs/light'],
    external: ['long'],
  },
  'protobufjs@temporalio-common': {
    package: 'protobufjs',
    from: '@temporalio/common',
    specifiers: ['protobufjs/light', 'protobufjs/ext/protojson'],
    external: ['long'],
  },
};

/** VENDOR[name] in one form: { package, from, specifiers, external }. */
function vendorEntry(name, entry = VENDOR[name]) {
  if (Array.isArray(entry)) return { package: name, from: undefined, specifiers: entry, external: [] };
  return {
    package: entry.package ?? name,
    from: entry.from,
    specifiers: entry.specifiers,
    external: entry.external ?? [],
  };
}

/** Where an entry's specifiers resolve from: the folder of the package that loads it (`from`), else `root`. */
function resolveBase(from, root) {
  return from ? dirname(require.resolve(from, { paths: [root] })) : root;
}

const MANIFEST = 'vendor.json';

/** The version of `name` as `root` resolves it: from the package.json above its entry (some packages export none). */
function installedVersion(name, root) {
  let dir = dirname(require.resolve(name, { paths: [root] }));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json of ${name}`);
    dir = up;
  }
}

/** Installs the bundled copies of `dir` (dist/vendor) for the packages whose versions match; returns their names. */
function installVendorModules(dir, root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return [];
  }
  const installed = [];
  for (const [name, recorded] of Object.entries(manifest)) {
    const { version, specifiers } = recorded;
    let files;
    try {
      const base = resolveBase(recorded.from, root);
      if (installedVersion(recorded.package ?? name, base) !== version) continue;
      files = specifiers.map((s) => require.resolve(s, { paths: [base] }));
    } catch {
      continue;
    }
    if (files.some((f) => Module._cache[f])) continue; // loaded already: one copy only
    let bundle;
    const load = () => (bundle ??= require(resolve(dir, `${name}.js`)));
    specifiers.forEach((spec, k) => {
      const m = new Module(files[k], module);
      m.filename = files[k];
      m.loaded = true;
      Object.defineProperty(m, 'exports', { enumerable: true, get: () => load()[spec] });
      Module._cache[files[k]] = m;
    });
    installed.push(name);
  }
  return installed;
}

module.exports = { VENDOR, MANIFEST, vendorEntry, resolveBase, installedVersion, installVendorModules };
