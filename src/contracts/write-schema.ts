/**
 * `npm run schema`: writes the JSON Schema of StudyInput (from the zod schema of
 * src/contracts/study-input.ts) to schema/study-input.schema.json. `--check` only compares and
 * exits 1 when the committed file differs (tests/contracts/schema.test.ts does the same).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { studyInputJsonSchema } from './study-input';

export const SCHEMA_FILE = resolve(__dirname, '..', '..', 'schema', 'study-input.schema.json');

/** The file's exact text: 2-space JSON and a final newline. */
export function renderStudyInputSchema(): string {
  return `${JSON.stringify(studyInputJsonSchema(), null, 2)}\n`;
}

function main(argv: string[]): number {
  const text = renderStudyInputSchema();
  const rel = relative(process.cwd(), SCHEMA_FILE) || SCHEMA_FILE;
  if (argv.includes('--check')) {
    const same = existsSync(SCHEMA_FILE) && readFileSync(SCHEMA_FILE, 'utf8') === text;
    console.log(same ? `${rel} is up to date` : `${rel} differs from src/contracts/study-input.ts: run npm run schema`);
    return same ? 0 : 1;
  }
  writeFileSync(SCHEMA_FILE, text);
  console.log(`wrote ${rel}`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
