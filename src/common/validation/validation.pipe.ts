import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError, FieldError } from '../errors/domain-error';
import { unstorableTextErrors } from './unstorable-text';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints
      ? [{ field, messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Every body is a JSON object. The JSON parser also passes arrays, which class-validator reads as an object
 * with the keys "0", "1", ...: `[{"fullName":"x"}]` was answered "property 0 should not exist".
 */
function refuseNonObjectBody(value: unknown, metadata: ArgumentMetadata): void {
  if (metadata.type !== 'body' || value === undefined) return;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return;
  const sent = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  const field = metadata.data ?? 'body';
  throw DomainError.field(field, `${field === 'body' ? 'The request body' : field} must be a JSON object, not ${sent}.`);
}

/** A query class's fields, and which of them take a list (@IsArray); the rules are looked up from memory (validation-metadata-memo). */
function fieldsOf(metatype: Type): { known: Set<string>; lists: Set<string> } {
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
  return {
    known: new Set(rules.map((rule) => rule.propertyName)),
    lists: new Set(rules.filter((rule) => rule.name === 'isArray').map((rule) => rule.propertyName)),
  };
}

/**
 * A field given twice in a query string (`limit=1&limit=2`) arrives as an array, and each of its checks
 * refused it in its own words ("must not be greater than 100", "must not be less than 1", "must be an
 * integer"). Said once, plainly, unless the field takes a list.
 */
function refuseRepeatedQueryFields(value: unknown, metadata: ArgumentMetadata): void {
  if (metadata.type !== 'query' || metadata.data || !metadata.metatype || typeof value !== 'object' || value === null) return;
  const arrays = Object.entries(value).filter(([, given]) => Array.isArray(given));
  if (arrays.length === 0) return;
  const { known, lists } = fieldsOf(metadata.metatype);
  const repeated = arrays.filter(([field]) => known.has(field) && !lists.has(field));
  if (repeated.length > 0) {
    throw DomainError.validation(repeated.map(([field]) => ({ field, messages: [`${field} was given more than once; give it once`] })));
  }
}

/** Also refuses NUL characters, which class-validator lets through and PostgreSQL cannot store. */
class SilverpoolValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.toValidate(metadata)) {
      refuseNonObjectBody(value, metadata);
      refuseRepeatedQueryFields(value, metadata);
      const nul = unstorableTextErrors(value, metadata.data ?? '');
      if (nul.length > 0) throw DomainError.validation(nul);
    }
    return super.transform(value, metadata);
  }
}

/** The one global pipe: unknown fields are rejected, types converted, errors listed per field. */
export function createValidationPipe(): ValidationPipe {
  return new SilverpoolValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
  });
}
