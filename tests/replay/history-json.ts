/**
 * History fixtures as JSON: the protobuf object form (int64 and bytes as strings, enums by name)
 * written and read with @temporalio/proto's own History type. The SDK's historyToJSON /
 * historyFromJSON fail in this install ("type must be a Type": @temporalio/common and
 * @temporalio/proto each carry their own protobufjs copy), so the fixtures do not rely on them.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

const HistoryType = temporal.api.history.v1.History;

export function historyToFixture(history: History): string {
  const obj = HistoryType.toObject(HistoryType.fromObject(history), { longs: String, enums: String, bytes: String });
  return `${JSON.stringify(obj, null, 1)}\n`;
}

export function historyFromFixture(text: string): History {
  return HistoryType.fromObject(JSON.parse(text) as Record<string, unknown>);
}

/**
 * A fixture that names no folder of the recording machine: every `from` prefix inside a
 * payload's JSON (the checkout, the recorder's scratch folder), and in the history's plain text
 * (failure messages and stack traces), is rewritten to its relative `to`. Replay compares
 * commands, not payload contents or failure texts, so the rewrite changes nothing it checks.
 */
export function relativePayloadPaths(fixture: string, prefixes: readonly { from: string; to: string }[]): string {
  const inPayloads = fixture.replace(/"data": "([A-Za-z0-9+/=]+)"/g, (whole, b64: string) => {
    const text = Buffer.from(b64, 'base64').toString('utf8');
    let out = text;
    for (const p of prefixes) out = out.split(p.from).join(p.to);
    return out === text ? whole : `"data": "${Buffer.from(out, 'utf8').toString('base64')}"`;
  });
  let out = inPayloads;
  for (const p of prefixes) out = out.split(p.from).join(p.to);
  return out;
}
