/**
 * A small RFC 4180 CSV reader (comma separated, double-quoted fields with "" escapes, CRLF or LF,
 * UTF-8 BOM skipped) that keeps the 1-based line number of every record for error messages.
 */

export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Throws a plain Error with `line` in the message when a quote is not closed. */
export function parseCsv(text: string): CsvRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let inQuotes = false;
    let quotedAt = 0;
    for (;;) {
      if (i >= n) {
        if (inQuotes) throw new Error(`line ${quotedAt}: a quoted field is not closed`);
        cells.push(cell);
        break;
      }
      const c = text[i];
      if (inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        if (c === '\n') line++;
        cell += c;
        i++;
        continue;
      }
      if (c === '"' && cell === '') {
        inQuotes = true;
        quotedAt = line;
        i++;
        continue;
      }
      if (c === ',') {
        cells.push(cell);
        cell = '';
        i++;
        continue;
      }
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
        continue;
      }
      if (c === '\n') {
        cells.push(cell);
        i++;
        line++;
        break;
      }
      cell += c;
      i++;
    }
    if (!(cells.length === 1 && cells[0].trim() === '')) out.push({ line: startLine, cells });
  }
  return out;
}
