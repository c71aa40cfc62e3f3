/**
 * The task list: what a study solves per job. One source for the solvers, the contract's zod
 * enum, the CLI and the workflow types. Pure data, no imports.
 */
export const TASKS = ['pf_dc', 'pf_ac', 'opf_dc', 'opf_ac'] as const;
export type Task = (typeof TASKS)[number];

export function isTask(s: string): s is Task {
  return (TASKS as readonly string[]).includes(s);
}
