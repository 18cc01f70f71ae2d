import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Also refuses NUL characters, which class-validator lets through and PostgreSQL cannot store. */
class SilverpoolValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.toValidate(metadata)) {
      refuseNonObjectBody(value, metadata);
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
