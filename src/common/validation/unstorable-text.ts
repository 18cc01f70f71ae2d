import { FieldError } from '../errors/domain-error';

/** A high surrogate not followed by a low one, or a low one without its high one. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any input of this API; a body nested further is refused before anything recurses into it. */
export const MAX_NESTING = 32;

/**
 * Input the database cannot store, or that would crash the code before it:
 * PostgreSQL text cannot hold U+0000 nor an unpaired UTF-16 surrogate (JSON
 * allows "\ud800"; it fails as invalid json/text: a 500), and a value
 * nested thousands of levels deep overflows the stack of any recursive
 * check. Every input that class-validator checks is screened here first,
 * without recursion, and the offending fields are named (`skills.0.name`).
 */
export function unstorableTextErrors(value: unknown, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  while (pending.length > 0) {
    const { value: item, path: at, depth } = pending.pop()!;
    const field = at || 'value';
    if (typeof item === 'string') {
      if (item.includes('\u0000')) errors.push({ field, messages: [`${field} must not contain the NUL character (U+0000)`] });
      else if (UNPAIRED_SURROGATE.test(item)) errors.push({ field, messages: [`${field} must not contain an unpaired surrogate (invalid Unicode)`] });
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_NESTING) {
      errors.push({ field, messages: [`${field} is nested more than ${MAX_NESTING} levels deep`] });
      continue;
    }
    const entries = Array.isArray(item) ? item.map((child, index) => [String(index), child] as const) : Object.entries(item);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      pending.push({ value: child, path: at ? `${at}.${key}` : key, depth: depth + 1 });
    }
  }
  return errors;
}
