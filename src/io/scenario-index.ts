/**
 * scenario_manifest.json with a byte index beside it (scenario_manifest.index), so a reader that
 * needs one scenario or one page of scenarios reads those bytes and nothing else. A million-job
 * study's manifest is ~200 MB of JSON; every solve thread used to parse all of it (1.9 GB of the
 * worker's 2.78 GB peak RSS at 999,984 jobs).
 *
 * The JSON file is byte for byte what `writeJsonAtomic(path, manifest)` writes (2-space indent,
 * trailing newline); it is written one scenario at a time, so materialize never holds the whole
 * text either. The index is little-endian float64 values (exact below 2^53):
 *
 *   [INDEX_VERSION, n, manifest bytes, head end, tail start, start_0, end_0, ..., start_n-1, end_n-1]
 *
 * `head end` is the offset of the `[` that opens `scenarios`, `tail start` the offset just after
 * its `]`; scenario i is the JSON text in bytes [start_i, end_i). A reader checks the index
 * against the manifest (its size, the brackets, the scenario's id) and falls back to parsing the
 * whole manifest when the index is missing (a study materialized before it) or does not match.
 */
import { writeFileAtomic, writePiecesAtomic } from './atomic';
import { layout } from './layout';
import type { StudyManifest } from './scenario-manifest';

export const INDEX_VERSION = 1;
/** values before the scenarios' [start, end) pairs */
export const INDEX_HEADER = 5;
/** stands for the scenarios array while the rest of the manifest is stringified */
const SENTINEL = '\u0000gridbatch-scenarios\u0000';

/**
 * Writes scenario_manifest.json (the same bytes as writeJsonAtomic) and its index. The index is
 * renamed into place after the manifest; a reader that finds them out of step falls back.
 */
export function writeScenarioManifest(outDir: string, manifest: StudyManifest): void {
  const text = `${JSON.stringify({ ...manifest, scenarios: SENTINEL }, null, 2)}\n`;
  const token = JSON.stringify(SENTINEL);
  const at = text.indexOf(token);
  const n = manifest.scenarios.length;
  const index = new Float64Array(INDEX_HEADER + 2 * n);
  writePiecesAtomic(layout.scenarioManifest(outDir), (write) => {
    index[3] = write(text.slice(0, at));
    if (n === 0) write('[]');
    else {
      write('[');
      for (let i = 0; i < n; i++) {
        index[INDEX_HEADER + 2 * i] = write(i === 0 ? '\n    ' : ',\n    ');
        index[INDEX_HEADER + 2 * i + 1] = write(
          JSON.stringify(manifest.scenarios[i], null, 2).replace(/\n/g, '\n    '),
        );
      }
      write('\n  ]');
    }
    index[4] = write('');
    index[2] = write(text.slice(at + token.length));
  });
  index[0] = INDEX_VERSION;
  index[1] = n;
  writeFileAtomic(layout.scenarioIndex(outDir), new Uint8Array(index.buffer, index.byteOffset, index.byteLength));
}
