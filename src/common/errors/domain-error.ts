import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  messages: string[];
}

/** Services throw this; the global filter turns it into problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  static validation(errors: FieldError[]): DomainError {
    const fields = errors.map((error) => error.field).join(', ');
    return new DomainError('ValidationFailed', `Invalid field(s): ${fields}`, { errors });
  }

  static field(field: string, message: string): DomainError {
    return DomainError.validation([{ field, messages: [message] }]);
  }
}
