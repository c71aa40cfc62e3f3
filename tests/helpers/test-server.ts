/**
 * The Temporal dev server the tests use: the project's own launcher and CLI build, on a free
 * port chosen for this run and a throwaway SQLite file, so test runs never touch a developer's
 * server or each other (globalSetup picks the port and passes it on in GRIDBATCH_TEST_PORT).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ARTIFACTS = resolve(__dirname, '..', 'artifacts');

export function testPort(): number {
  const p = Number(process.env.GRIDBATCH_TEST_PORT);
  if (!Number.isInteger(p) || p <= 0)
    throw new Error('GRIDBATCH_TEST_PORT is not set: run the tests through jest (globalSetup starts the server)');
  return p;
}

export function testStateDir(port = testPort()): string {
  return join(ARTIFACTS, `temporal-${port}`);
}

/** A free TCP port on the loopback interface whose +1000 neighbour is free too (the Web UI). */
export async function freePortPair(): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(port, '127.0.0.1', () => {
        const got = (s.address() as { port: number }).port;
        s.close(() => res(got));
      });
    });
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 30000);
    try {
      await tryPort(p);
      await tryPort(p + 1000);
      return p;
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free port pair found for the test Temporal server');
}

/** A dev-server config (temporal-dev.yml format) of a throwaway server: state in `dir`, gRPC on `port`, Web UI on port + 1000. */
export function devConfigYaml(dir: string, port: number, name: string): string {
  return [
    'namespace: default',
    'ip: 127.0.0.1',
    `port: ${port}`,
    `ui_port: ${port + 1000}`,
    `db_file: ${join(dir, `${name}.sqlite`)}`,
    `log_file: ${join(dir, 'server.log')}`,
    'log_level: warn',
    `task_queue: gridbatch-${name}`,
    'search_attributes: { BatchId: Keyword, ScenarioId: Keyword, Stage: Keyword }',
    '',
  ].join('\n');
}

export function writeTestConfig(port = testPort()): string {
  const dir = testStateDir(port);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'temporal-test.yml');
  writeFileSync(file, devConfigYaml(dir, port, 'test'));
  return file;
}
