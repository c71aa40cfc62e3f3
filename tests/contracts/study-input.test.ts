/**
 * The StudyInput contract: the committed JSON Schema is exactly what `npm run schema` generates
 * from the zod schema, and the zod schema accepts what start-batch sends and rejects bad input
 * with the key path.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseStudyInput, SCHEMA_ID } from '../../src/contracts/study-input';
import { renderStudyInputSchema, SCHEMA_FILE } from '../../src/contracts/write-schema';
import { buildStudyInput } from '../../src/cli/study-input';

const EXAMPLE = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');

describe('StudyInput contract', () => {
  test('schema/study-input.schema.json matches the zod schema (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(renderStudyInputSchema());
    const json = JSON.parse(committed) as {
      $id: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    expect(json.$id).toBe(SCHEMA_ID);
    expect(json.required).toEqual(['batchId', 'specPath', 'outDir', 'task']);
    expect(json.additionalProperties).toBe(false);
    expect(Object.keys(json.properties)).toEqual(['batchId', 'specPath', 'outDir', 'task', 'options', 'mode']);
  });

  test('what start-batch sends is valid', () => {
    const { input } = buildStudyInput(
      {
        spec: EXAMPLE,
        task: 'pf_ac',
        wait: false,
        scenarios: 'base,load_110',
        maxIterations: 20,
        chunkSize: 1,
        featureLayout: 'both',
      },
      true,
    );
    const r = parseStudyInput(JSON.parse(JSON.stringify(input)));
    expect(r).toEqual({ ok: true, input: JSON.parse(JSON.stringify(input)) });
  });

  test.each([
    [
      { batchId: 'b', specPath: 'rel/spec.yaml', outDir: '/o', task: 'pf_dc' },
      'specPath: specPath must be an absolute path',
    ],
    [{ batchId: 'b', specPath: '/s.yaml', outDir: '/o', task: 'pf_xx' }, 'task: Invalid option'],
    [
      { batchId: 'b', specPath: '/s.yaml', outDir: '/o', task: 'pf_dc', options: { chunkSize: 0 } },
      'options.chunkSize: Too small',
    ],
    [
      { batchId: 'b', specPath: '/s.yaml', outDir: '/o', task: 'pf_dc', options: { solver: { enforceQLims: 3 } } },
      'options.solver.enforceQLims',
    ],
    [
      { batchId: 'b', specPath: '/s.yaml', outDir: '/o', task: 'pf_dc', options: { chunksize: 2 } },
      'options: Unrecognized key: "chunksize"',
    ],
    [{ specPath: '/s.yaml', outDir: '/o', task: 'pf_dc' }, 'batchId: Invalid input'],
    [
      { batchId: 'b', specPath: 'C:\\studies\\s.yaml', outDir: '\\\\share\\out', task: 'opf_ac', mode: 'again' },
      'mode: Invalid option',
    ],
  ])('rejects %j', (value, message) => {
    const r = parseStudyInput(value);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.message.startsWith('invalid StudyInput: ')).toBe(true);
    }
  });
});
