/**
 * Reading Temporal histories for bench:batch: event times in epoch ms, and a local activity's
 * type and schedule time from its `core_local_activity` marker (the bookkeeping activities run
 * as local activities behind patched('local-bookkeeping'): no activityTaskScheduled/Completed
 * events, one marker each, recorded when the activity is done).
 */

/** Epoch milliseconds of a protobuf timestamp. */
export const epochMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

export interface Marker {
  markerName?: string | null;
  details?: Record<string, { payloads?: { data?: Uint8Array | null }[] | null }> | null;
}

/**
 * A local activity's type and (first) schedule time from its marker; it is done by the marker's
 * own event time (the marker's complete_time came out before its schedule time in runs here:
 * not used).
 */
export function localActivityOf(m: Marker | null | undefined): { type: string; scheduledMs: number } | undefined {
  const data = m?.markerName === 'core_local_activity' ? m.details?.data?.payloads?.[0]?.data : undefined;
  if (!data) return undefined;
  const d = JSON.parse(Buffer.from(data).toString('utf8')) as {
    activity_type: string;
    original_schedule_time?: { seconds?: number; nanos?: number };
  };
  return { type: d.activity_type, scheduledMs: epochMs(d.original_schedule_time) };
}
