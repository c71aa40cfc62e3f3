/**
 * `npm run record:histories`: re-records the replay fixtures under tests/fixtures/histories
 * (tests/replay/record.ts does the work on a throwaway dev server); `-- --only-cancel` records just
 * the cancelled studies' fixtures (tests/replay/record-cancel.ts). Only after an intentional
 * workflow change whose old executions are drained: see docs/reliability.md.
 */
import { recordHistories } from '../tests/replay/record';

recordHistories(undefined, undefined, process.argv.includes('--only-cancel') ? 'cancel' : undefined)
  .then((saved) => {
    console.log(`recorded ${saved.length} histories`);
    process.exit(0);
  })
  .catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
