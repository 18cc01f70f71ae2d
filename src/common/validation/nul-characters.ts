import { FieldError } from '../errors/domain-error';

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying one would fail in
 * the database as a 500. Every input that class-validator checks is
 * screened here first, and the offending fields are named (`skills.0.name`).
 */
export function nulCharacterErrors(value: unknown, path = ''): FieldError[] {
  if (typeof value === 'string') {
    const field = path || 'value';
    return value.includes('\u0000') ? [{ field, messages: [`${field} must not contain the NUL character (U+0000)`] }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => nulCharacterErrors(item, path ? `${path}.${index}` : String(index)));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nulCharacterErrors(item, path ? `${path}.${key}` : key));
  }
  return [];
}
