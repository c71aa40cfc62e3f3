/**
 * What bin/gridbatch.cjs installs before the CLI loads (each in a fresh node process, as the CLI
 * runs them):
 * - bin/lazy-workflow-bundler.cjs: the stand-in for the SDK's bundler module exports the real
 *   module's names, its defaultWorkflowInterceptorModules equal the SDK's, the other exports are
 *   the real module's once read, and `@temporalio/worker` loads without webpack;
 * - bin/vendor-modules.cjs: the packages dist/vendor bundles are served from there (one copy,
 *   the same results as the installed package), and a bundle recorded for another version than
 *   the installed one is left alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin');
const VENDOR_DIR = join(ROOT, 'dist', 'vendor');

function runNode(script: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'gb-startup-'));
  try {
    const file = join(dir, 'main.cjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('lazy workflow bundler stand-in', () => {
  it('has the real module exports and leaves webpack unloaded until one is read', () => {
    const out = runNode(
      [
        `const { installLazyWorkflowBundler } = require(${JSON.stringify(join(BIN, 'lazy-workflow-bundler.cjs'))});`,
        `const root = ${JSON.stringify(ROOT)};`,
        'const installed = installLazyWorkflowBundler(root);',
        "const worker = require(require.resolve('@temporalio/worker', { paths: [root] }));",
        "const webpackBefore = Object.keys(require.cache).some((f) => f.includes('/node_modules/webpack/'));",
        "const file = require.resolve('@temporalio/worker/lib/workflow/bundler.js', { paths: [root] });",
        'const stand = require.cache[file].exports;',
        'const standInterceptors = stand.defaultWorkflowInterceptorModules;',
        'const names = Object.keys(stand).filter((k) => k !== "__esModule").sort();',
        'const bundleIsFunction = typeof stand.bundleWorkflowCode === "function";',
        'const workerBundle = worker.bundleWorkflowCode === stand.bundleWorkflowCode;',
        // the real module, compiled apart, for its names and interceptor list
        'delete require.cache[file];',
        'const real = require(file);',
        'const realNames = Object.keys(real).filter((k) => k !== "__esModule").sort();',
        'console.log(JSON.stringify({ installed, webpackBefore, names, realNames, bundleIsFunction, workerBundle,',
        '  standInterceptors, realInterceptors: real.defaultWorkflowInterceptorModules }));',
      ].join('\n'),
    );
    expect(out.installed).toBe(true);
    expect(out.webpackBefore).toBe(false);
    expect(out.names).toEqual(out.realNames);
    expect(out.standInterceptors).toEqual(out.realInterceptors);
    expect(out.bundleIsFunction).toBe(true);
    expect(out.workerBundle).toBe(true);
  });
});

describe('vendored dependencies (dist/vendor)', () => {
  const built = existsSync(join(VENDOR_DIR, 'vendor.json'));

  it('is built by npm run build', () => {
    // postinstall and .ci/run build dist/; a missing vendor folder is a build defect, not a skip
    expect(built).toBe(true);
  });

  it('serves yaml and zod from the bundle, with the installed packages results', () => {
    const out = runNode(
      [
        `const { installVendorModules } = require(${JSON.stringify(join(BIN, 'vendor-modules.cjs'))});`,
        `const root = ${JSON.stringify(ROOT)};`,
        `const installed = installVendorModules(${JSON.stringify(VENDOR_DIR)}, root);`,
        "const yaml = require(require.resolve('yaml', { paths: [root] }));",
        "const zod = require(require.resolve('zod', { paths: [root] }));",
        "const yamlFile = require.resolve('yaml', { paths: [root] });",
        // the real package's own files were not loaded: only the stand-in module is in the cache
        "const yamlFilesLoaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/yaml/')).length;",
        "const parsed = yaml.parse('a: 1\\nb: [x, y]\\nc: { d: true }\\n');",
        'let err = "";',
        "try { yaml.parse('a: [1, 2'); } catch (e) { err = e.name; }",
        'const schema = zod.z.object({ n: zod.z.number().int() });',
        'const ok = schema.safeParse({ n: 3 }).success;',
        'const bad = schema.safeParse({ n: 1.5 }).success;',
        'console.log(JSON.stringify({ installed, yamlFile, yamlFilesLoaded, parsed, err, ok, bad }));',
      ].join('\n'),
    );
    expect(out.installed).toEqual(
      expect.arrayContaining([
        'yaml',
        'zod',
        'rxjs',
        'uuid',
        'apache-arrow',
        'commander',
        'nexus-rpc',
        'protobufjs@temporalio-proto',
        'protobufjs@temporalio-common',
      ]),
    );
    expect(out.yamlFilesLoaded).toBe(1);
    expect(out.parsed).toEqual({ a: 1, b: ['x', 'y'], c: { d: true } });
    expect(out.err).toBe('YAMLParseError');
    expect(out.ok).toBe(true);
    expect(out.bad).toBe(false);
  });

  it("serves each nested protobufjs copy from its own bundle, with the installed copy's results", () => {
    // what the Temporal packages give from their own protobufjs files, then with the bundles installed
    const script = (vendored: boolean) =>
      [
        vendored
          ? `require(${JSON.stringify(join(BIN, 'vendor-modules.cjs'))}).installVendorModules(${JSON.stringify(VENDOR_DIR)}, ${JSON.stringify(ROOT)});`
          : '',
        `const root = ${JSON.stringify(ROOT)};`,
        "const protoFile = require.resolve('@temporalio/proto', { paths: [root] });",
        "const commonFile = require.resolve('@temporalio/common', { paths: [root] });",
        'const proto = require(protoFile);',
        'const { temporal } = proto;',
        'require(commonFile);',
        "const converters = require(require.resolve('@temporalio/common/lib/converter/protobuf-payload-converters', { paths: [root] }));",
        // the files loaded from the protobufjs folder a package resolves (nested under it as installed here)
        "const pbDir = (from) => require('node:path').dirname(require.resolve('protobufjs/light', { paths: [require('node:path').dirname(from)] })) + '/';",
        'const files = (from) => Object.keys(require.cache).filter((f) => f.startsWith(pbDir(from))).length;',
        "const light = (from) => require(require.resolve('protobufjs/light', { paths: [require('node:path').dirname(from)] }));",
        'const T = temporal.api.workflowservice.v1.DescribeNamespaceResponse;',
        "const bytes = T.encode({ namespaceInfo: { name: 'default', data: { k: 'v' } }, failoverVersion: 12345678901 }).finish();",
        'const back = T.toObject(T.decode(bytes), { longs: String });',
        // the protobuf JSON payload converter (@temporalio/common's copy, with protojson) on a root of that copy
        "const userRoot = light(commonFile).Root.fromJSON({ nested: { Job: { fields: { name: { type: 'string', id: 1 } } } } });",
        'const conv = new converters.ProtobufJsonPayloadConverter(userRoot);',
        "const payload = conv.toPayload(userRoot.lookupType('Job').create({ name: 'studyPipeline' }));",
        'const json = Buffer.from(payload.data).toString();',
        'console.log(JSON.stringify({ protoFiles: files(protoFile), commonFiles: files(commonFile),',
        '  twoCopies: light(protoFile) !== light(commonFile), hex: Buffer.from(bytes).toString("hex"), back, json,',
        '  decoded: conv.fromPayload(payload).name }));',
      ].join('\n');
    const plain = runNode(script(false));
    const vendored = runNode(script(true));
    expect(plain.protoFiles as number).toBeGreaterThan(10);
    expect(plain.commonFiles as number).toBeGreaterThan(10);
    // only the stand-ins of the specifiers: protobufjs/light (proto); light and ext/protojson (common)
    expect(vendored.protoFiles).toBe(1);
    expect(vendored.commonFiles).toBe(2);
    // two copies as installed (nested under each package, beside a top-level protobufjs 7), two still
    expect(vendored.twoCopies).toBe(plain.twoCopies);
    expect(plain.twoCopies).toBe(true);
    expect(vendored.decoded).toBe('studyPipeline');
    const results = ({ protoFiles: _p, commonFiles: _c, ...rest }: Record<string, unknown>) => rest;
    expect(results(vendored)).toEqual(results(plain));
  });

  it('leaves a package to node_modules when the bundle is of another version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-vendor-'));
    try {
      cpSync(VENDOR_DIR, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'vendor.json'), 'utf8')) as Record<
        string,
        { version: string }
      >;
      manifest.yaml.version = '0.0.0-other';
      writeFileSync(join(dir, 'vendor.json'), JSON.stringify(manifest));
      const out = runNode(
        [
          `const { installVendorModules } = require(${JSON.stringify(join(BIN, 'vendor-modules.cjs'))});`,
          `const root = ${JSON.stringify(ROOT)};`,
          `const installed = installVendorModules(${JSON.stringify(dir)}, root);`,
          "const yaml = require(require.resolve('yaml', { paths: [root] }));",
          "const yamlFilesLoaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/yaml/')).length;",
          "console.log(JSON.stringify({ installed, yamlFilesLoaded, parsed: yaml.parse('a: 1') }));",
        ].join('\n'),
      );
      expect(out.installed).not.toContain('yaml');
      expect(out.installed).toContain('zod');
      expect(out.yamlFilesLoaded as number).toBeGreaterThan(1);
      expect(out.parsed).toEqual({ a: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
