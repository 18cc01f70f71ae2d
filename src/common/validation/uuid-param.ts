import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

/** `:id` path parameters: a malformed id is a 400 naming the parameter, not a database error. */
export const UuidParam = (name = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => DomainError.field(name, `${name} must be a UUID`),
  });
