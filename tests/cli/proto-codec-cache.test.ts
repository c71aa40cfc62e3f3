/**
 * bin/proto-codec-cache.cjs, the Temporal API's protobuf codecs kept from the last runs: a second
 * process takes every type's functions from the cache module and encodes, decodes, converts and
 * verifies exactly as protobufjs's freshly generated code does (nested messages, maps, oneofs,
 * 64-bit integers, enums, bytes, durations), with protobufjs from node_modules and from its
 * vendored bundle (bin/vendor-modules.cjs, as the CLI runs); a type of another root on the same
 * protobufjs keeps its own codecs; a module of another fingerprint is not used (not even one whose
 * functions were changed) and is replaced.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const CACHE_MODULE = join(ROOT, 'bin', 'proto-codec-cache.cjs');
const VENDOR_MODULE = join(ROOT, 'bin', 'vendor-modules.cjs');

/** A process that installs the cache, then runs messages through the codecs; prints what they gave. */
const SCRIPT = [
  'if (process.env.GB_VENDOR === "1")',
  `  require(${JSON.stringify(VENDOR_MODULE)}).installVendorModules(${JSON.stringify(join(ROOT, 'dist', 'vendor'))}, ${JSON.stringify(ROOT)});`,
  `const pc = require(${JSON.stringify(CACHE_MODULE)});`,
  `pc.installProtoCodecCache(${JSON.stringify(ROOT)});`,
  `const protoFile = require.resolve('@temporalio/proto', { paths: [${JSON.stringify(ROOT)}] });`,
  'const { temporal, coresdk } = require(protoFile);',
  'const Long = require(require.resolve("long", { paths: [require("node:path").dirname(protoFile)] }));',
  'const ws = temporal.api.workflowservice.v1;',
  'const out = {};',
  'const run = (name, Type, object) => {',
  '  const msg = Type.fromObject(object);',
  '  const bytes = Type.encode(msg).finish();',
  '  const back = Type.decode(bytes);',
  '  out[name] = {',
  '    hex: Buffer.from(bytes).toString("hex"),',
  '    object: Type.toObject(back, { longs: String, enums: String, bytes: String, defaults: true }),',
  '    verify: Type.verify(object),',
  '    created: Object.keys(Type.create({})).sort(),',
  '  };',
  '};',
  'run("describeNamespace", ws.DescribeNamespaceResponse, {',
  '  namespaceInfo: { name: "default", state: 1, description: "d", data: { k: "v", a: "b" }, id: "42" },',
  '  config: { workflowExecutionRetentionTtl: { seconds: 86400, nanos: 5 }, badBinaries: { binaries: { x: { reason: "r" } } } },',
  '  failoverVersion: Long.fromString("9007199254740993"), isGlobalNamespace: true,',
  '});',
  'run("start", ws.StartWorkflowExecutionRequest, {',
  '  namespace: "default", workflowId: "w", workflowType: { name: "studyPipeline" }, taskQueue: { name: "q", kind: 1 },',
  '  input: { payloads: [{ metadata: { encoding: Buffer.from("json/plain") }, data: Buffer.from("[1,2]") }] },',
  '  requestEagerExecution: true, workflowIdConflictPolicy: 3,',
  '});',
  'run("activation", coresdk.workflow_activation.WorkflowActivation, {',
  '  runId: "r", timestamp: { seconds: 1700000000 }, isReplaying: false, historyLength: 3,',
  '  jobs: [{ initializeWorkflow: { workflowType: "studyPipeline", workflowId: "w", randomnessSeed: Long.fromString("18446744073709551615", true) } },',
  '         { fireTimer: { seq: 7 } }],',
  '});',
  // another root on the same protobufjs, a type of the same name defined otherwise: its own codec
  'const pb = require(require.resolve("protobufjs/light", { paths: [require("node:path").dirname(protoFile)] }));',
  'const ns = (names, leaf) => names.reduceRight((inner, n) => ({ nested: { [n]: inner } }), leaf);',
  'const other = pb.Root.fromJSON(ns(["temporal", "api", "common", "v1"], { nested: { WorkflowType: { fields: { name: { type: "string", id: 7 } } } } }));',
  'const OT = other.lookupType("temporal.api.common.v1.WorkflowType");',
  'out.otherRoot = Buffer.from(OT.encode(OT.create({ name: "x" })).finish()).toString("hex");',
  'out.stats = pc.protoCodecCacheStats();',
  // where protobufjs came from: its files, or only the vendored stand-in of its entry
  'out.protobufFiles = Object.keys(require.cache).filter((f) => f.includes("/@temporalio/proto/node_modules/protobufjs/")).length;',
  'console.log(JSON.stringify(out));',
].join('\n');

interface Output {
  stats: { hits: number; misses: number };
  protobufFiles: number;
  [message: string]: unknown;
}

describe('protobuf codec cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-proto-codecs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cacheFile = join(dir, 'proto-codecs.js');
  const main = join(dir, 'main.cjs');
  writeFileSync(main, SCRIPT);
  const run = (cache: string, vendored = false): Output => {
    const r = spawnSync(process.execPath, [main], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GRIDBATCH_PROTO_CODEC_CACHE: cache,
        GRIDBATCH_COMPILE_CACHE: 'off',
        GB_VENDOR: vendored ? '1' : '0',
      },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Output;
  };
  const results = ({ stats: _stats, protobufFiles: _files, ...rest }: Output) => rest;

  test.each([
    ['node_modules', false],
    ['the vendored bundle', true],
  ])(
    'with protobufjs from %s a second process takes the codecs from the cache: same bytes and objects',
    (_, vendored) => {
      rmSync(cacheFile, { force: true });
      const plain = run('off');
      expect(plain.stats).toEqual({ hits: 0, misses: 0 });
      const first = run(cacheFile, vendored);
      if (vendored) expect(first.protobufFiles).toBe(1);
      else expect(first.protobufFiles).toBeGreaterThan(10);
      expect(first.stats.hits).toBe(0);
      expect(first.stats.misses).toBeGreaterThan(10);
      expect(results(first)).toEqual(results(plain));
      const second = run(cacheFile, vendored);
      expect(second.stats).toEqual({ hits: first.stats.misses, misses: 0 });
      expect(results(second)).toEqual(results(plain));
      // decoded as written
      const described = (second.describeNamespace as { object: Record<string, unknown> }).object;
      expect(described.failoverVersion).toBe('9007199254740993');
      expect(described.namespaceInfo).toMatchObject({ name: 'default', data: { k: 'v', a: 'b' } });
      // field 7 of the other root's type, not field 1 of the cached Temporal API one
      expect(second.otherRoot).toBe('3a0178');
    },
  );

  test('a module of another fingerprint is not used, even with changed functions, and is replaced', () => {
    const plain = results(run('off'));
    run(cacheFile);
    const text = readFileSync(cacheFile, 'utf8');
    const [head, ...rest] = text.split('\n');
    // another fingerprint, and every encoder writes nothing: neither may be trusted
    const tampered = rest
      .join('\n')
      .replace(/return function \(m,w,q\)\{/g, 'return function (m,w,q){return w||{finish:()=>[]};');
    expect(tampered).not.toBe(rest.join('\n'));
    writeFileSync(
      cacheFile,
      `${head.replace(/ [0-9a-f]{40}$/, ' 0000000000000000000000000000000000000000')}\n${tampered}`,
    );
    const stale = run(cacheFile);
    expect(stale.stats.hits).toBe(0);
    expect(results(stale)).toEqual(plain);
    expect(readFileSync(cacheFile, 'utf8').split('\n')[0]).toBe(head);
    expect(run(cacheFile).stats.misses).toBe(0);
  });
});
