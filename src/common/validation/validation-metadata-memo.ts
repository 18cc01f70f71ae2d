import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Metadata = ReturnType<Storage['getTargetValidationMetadatas']>;
const MEMOIZED = Symbol.for('silverpool.validationMetadataMemo');

/**
 * class-validator looks up a class's rules on every validate() by testing
 * the class against every decorated class of the app (instanceof, then
 * filters), although the answer never changes once the classes are loaded
 * (typestack/class-validator#2686, open). With this app's ~100 DTOs that
 * was a third of the bulk import's CPU: each row and each of its skills is
 * validated. Remembering the answer per class and options makes it a map
 * hit; a rule registered later (a class loaded late) forgets everything.
 *
 * Patches the one global metadata storage, once; idempotent.
 */
export function memoizeValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const patched = storage as Storage & { [MEMOIZED]?: true };
  if (patched[MEMOIZED]) return;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let rules = new WeakMap<object, Map<string, Metadata>>();
  let grouped = new WeakMap<Metadata, ReturnType<Storage['groupByPropertyName']>>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? '\u0002'}`;
    let byOptions = rules.get(target);
    if (!byOptions) rules.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };
  // The validator groups the (now shared) list by property on every call too.
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
  storage.addValidationMetadata = (metadata) => {
    rules = new WeakMap();
    grouped = new WeakMap();
    add(metadata);
  };
  patched[MEMOIZED] = true;
}
