import { isPlainObject } from './template-data';
import { TemplateDefinition } from './template-keys';

/**
 * Field paths of a template (see template-keys.ts) as the source checker
 * and the renderer need them.
 */
export interface FieldCatalog {
  /** Every path a template may reference, containers included (`items`, `items[]`). */
  known: Set<string>;
  /** Paths that hold an object or array: printing one with `{{x}}` is a mistake. */
  containers: Set<string>;
}

/** The layout reads this for every email, so every email may have it. */
export const LAYOUT_OPTIONAL_FIELDS = ['links.unsubscribe'] as const;

export function fieldCatalog(definition: TemplateDefinition): FieldCatalog {
  const known = new Set<string>();
  const containers = new Set<string>();
  for (const path of [...definition.required, ...definition.optional, ...LAYOUT_OPTIONAL_FIELDS]) {
    const prefixes = prefixesOf(path);
    prefixes.forEach((prefix, index) => {
      known.add(prefix);
      if (index < prefixes.length - 1) containers.add(prefix);
    });
  }
  return { known, containers };
}

/** `items[].name` -> `items`, `items[]` (one element), `items[].name`. */
function prefixesOf(path: string): string[] {
  const prefixes: string[] = [];
  let current = '';
  for (const segment of path.split('.')) {
    const isArray = segment.endsWith('[]');
    const name = isArray ? segment.slice(0, -2) : segment;
    current = current ? `${current}.${name}` : name;
    prefixes.push(current);
    if (isArray) {
      current += '[]';
      prefixes.push(current);
    }
  }
  return prefixes;
}

/**
 * Strict mode throws on a missing field but `{{#if links.profile}}` still
 * dereferences `links`; so the parents of optional fields are made to exist
 * (as empty objects) while the optional leaves stay absent. Required fields
 * are left alone, so a typo or a caller's omission is still an error.
 */
export function withOptionalParents(data: Record<string, unknown>, definition: TemplateDefinition): Record<string, unknown> {
  const result: Record<string, unknown> = { ...data };
  for (const path of [...definition.optional, ...LAYOUT_OPTIONAL_FIELDS]) {
    const parents = path.split('.').slice(0, -1);
    let node = result;
    for (const parent of parents) {
      if (parent.endsWith('[]')) break;
      const child = node[parent];
      if (child === undefined || child === null) node[parent] = {};
      else if (isPlainObject(child)) node[parent] = { ...child };
      else break;
      node = node[parent] as Record<string, unknown>;
    }
  }
  return result;
}

/** The sample with every optional field removed: a template must also render without them. */
export function withoutOptionalFields(sample: Record<string, unknown>, definition: TemplateDefinition): Record<string, unknown> {
  const stripped = structuredClone(sample);
  for (const path of [...definition.optional, ...LAYOUT_OPTIONAL_FIELDS]) {
    const parts = path.split('.');
    let node: unknown = stripped;
    for (const part of parts.slice(0, -1)) node = isPlainObject(node) ? node[part] : undefined;
    if (isPlainObject(node)) delete node[parts[parts.length - 1]];
  }
  return stripped;
}

/**
 * Required fields that are absent (undefined or null). Strict mode alone
 * misses one kind: a value handed to a partial (`{{> button href=links.x}}`)
 * is not checked, and would render as an empty link.
 */
export function missingRequiredFields(data: Record<string, unknown>, definition: TemplateDefinition): string[] {
  return definition.required.filter((path) => !present(data, path.split('.')));
}

function present(node: unknown, segments: string[]): boolean {
  if (segments.length === 0) return node !== undefined && node !== null;
  const [segment, ...rest] = segments;
  if (!isPlainObject(node)) return false;
  if (!segment.endsWith('[]')) return present(Object.hasOwn(node, segment) ? node[segment] : undefined, rest);
  const items = node[segment.slice(0, -2)];
  return Array.isArray(items) && items.every((item) => present(item, rest));
}
