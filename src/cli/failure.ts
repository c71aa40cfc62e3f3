/** The innermost cause of a Temporal failure chain (workflow -> child -> activity -> application). */
export function rootCause(e: unknown): { message: string; type?: string } {
  let cur: unknown = e;
  for (let i = 0; i < 10; i++) {
    const c = (cur as { cause?: unknown }).cause;
    if (!c) break;
    cur = c;
  }
  const err = cur as { message?: string; type?: string };
  return { message: err.message ?? String(cur), type: err.type };
}
