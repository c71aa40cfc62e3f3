/** What every scenario generator (generators.ts, n-minus-k.ts) builds its drafts from: id and description templates, the key path of its ids, the shared draft fields. */
import { SpecContext } from './context';
import { Draft } from './draft';
import { GeneratorEntry } from './schema';
import { KeyPath } from './source';
import { CompiledTemplate, compileTemplate } from './template';

export function templates(
  ctx: SpecContext,
  g: GeneratorEntry,
  path: KeyPath,
  defaultId: string,
  vars: string[],
): { id: CompiledTemplate; desc?: CompiledTemplate } {
  const all = ['name', 'index', ...vars];
  const compile = (t: string, key: string) => {
    try {
      return compileTemplate(t, all);
    } catch (e) {
      throw ctx.error([...path, key], (e as Error).message);
    }
  };
  return {
    id: compile(g.id_template ?? defaultId, 'id_template'),
    desc: g.description ? compile(g.description, 'description') : undefined,
  };
}

export function base(
  g: GeneratorEntry,
  path: KeyPath,
  slices: string[],
): Pick<Draft, 'entryPath' | 'fields' | 'slices'> {
  return { entryPath: path, fields: g, slices };
}

export function idPath(g: GeneratorEntry, path: KeyPath): KeyPath {
  return g.id_template ? [...path, 'id_template'] : path;
}
