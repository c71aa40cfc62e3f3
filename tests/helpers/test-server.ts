/**
 * The Temporal dev server the tests use: the project's own launcher and CLI build, on ports
 * of its own and a throwaway SQLite file, so tests never touch a developer's server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ARTIFACTS = resolve(__dirname, '..', 'artifacts');
export const TEST_STATE = join(ARTIFACTS, 'temporal');
export const TEST_CONFIG = join(TEST_STATE, 'temporal-test.yml');
export const TEST_PORT = Number(process.env.GRIDBATCH_TEST_PORT ?? 17233);
export const TEST_UI_PORT = TEST_PORT + 1000;

export function writeTestConfig(): string {
  mkdirSync(TEST_STATE, { recursive: true });
  writeFileSync(
    TEST_CONFIG,
    [
      'namespace: default',
      'ip: 127.0.0.1',
      `port: ${TEST_PORT}`,
      `ui_port: ${TEST_UI_PORT}`,
      `db_file: ${join(TEST_STATE, 'test.sqlite')}`,
      `log_file: ${join(TEST_STATE, 'server.log')}`,
      'log_level: warn',
      'task_queue: gridbatch-test',
      'search_attributes: { BatchId: Keyword, ScenarioId: Keyword, Stage: Keyword }',
      '',
    ].join('\n'),
  );
  return TEST_CONFIG;
}
