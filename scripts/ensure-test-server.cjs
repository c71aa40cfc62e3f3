#!/usr/bin/env node
/**
 * Fetches Temporal's Java test server (Maven Central io.temporal:temporal-test-server) into
 * <tools>/temporal-test-server/<version>/ once and writes a launcher script there, which the
 * workflow unit tests pass to `TestWorkflowEnvironment.createTimeSkipping` (the SDK would
 * otherwise download the server from a host this machine cannot reach). Needs java and mvn
 * (apt-get install -y default-jdk-headless maven). Reused when present.
 *
 * Without java or mvn nothing fails here (the tests that need the server name what is missing;
 * with CI=true they fail the run); `--strict` exits 1 instead.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } = require('node:fs');
const { join, resolve } = require('node:path');

const VERSION = '1.31.0';
const root = resolve(__dirname, '..');
const toolsDir = process.env.GRIDBATCH_TOOLS_DIR ? resolve(process.env.GRIDBATCH_TOOLS_DIR) : join(root, '.tools');
const dir = join(toolsDir, 'temporal-test-server', VERSION);
const launcher = join(dir, 'temporal-test-server');
const strict = process.argv.includes('--strict');

function fail(message) {
  console.warn(`gridbatch: ${message}`);
  process.exit(strict ? 1 : 0);
}

if (existsSync(launcher)) {
  console.log(`gridbatch: Temporal test server ready at ${launcher}`);
  process.exit(0);
}
if (spawnSync('java', ['-version']).status !== 0)
  fail('java not found, so the Temporal test server was not fetched (apt-get install -y default-jdk-headless maven)');
if (spawnSync('mvn', ['--version']).status !== 0)
  fail('mvn not found, so the Temporal test server was not fetched (apt-get install -y maven)');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'pom.xml'),
  `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>gridbatch</groupId><artifactId>temporal-test-server-launcher</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${VERSION}</version></dependency></dependencies>
</project>
`,
);
console.log(`gridbatch: fetching io.temporal:temporal-test-server:${VERSION} with mvn (once)...`);
const cpFile = join(dir, 'classpath.txt');
const r = spawnSync(
  'mvn',
  ['-q', '-f', join(dir, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`],
  { stdio: 'inherit' },
);
if (r.status !== 0 || !existsSync(cpFile)) fail('mvn could not fetch the Temporal test server (see above)');
const classpath = readFileSync(cpFile, 'utf8').trim();
// the SDK runs `<launcher> <port>`
writeFileSync(launcher, `#!/bin/sh\nexec java -cp '${classpath}' io.temporal.testserver.TestServer "$@"\n`);
chmodSync(launcher, 0o755);
console.log(`gridbatch: Temporal test server ready at ${launcher}`);
