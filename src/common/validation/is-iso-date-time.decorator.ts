import { isISO8601, registerDecorator, ValidationOptions } from 'class-validator';

/**
 * The extended calendar forms only: 2026-04-15, or a date-time such as
 * 2026-04-15T09:30:00Z or 2026-04-15T09:30+02:00 (a time needs its offset:
 * "09:30" alone would be read in the server's zone; an offset needs its minutes,
 * as JavaScript cannot read "+02"). ISO 8601 also allows
 * 20260415, 2026-W16 and 2026-105, which JavaScript and PostgreSQL read
 * differently or not at all.
 */
const EXTENDED_CALENDAR = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function isIsoDateTime(value: unknown): boolean {
  return typeof value === 'string' && EXTENDED_CALENDAR.test(value) && isISO8601(value, { strict: true })
    && !Number.isNaN(Date.parse(value));
}

/**
 * A moment, not a day: a date-time with its offset. For times that are compared with a deadline, where
 * a bare date would be read as midnight UTC, hours away from the organisation's midnight.
 */
export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date-time with its offset, such as 2026-04-15T09:30:00Z or 2026-04-15T11:30:00+02:00`, ...options },
      validator: { validate: (value: unknown) => isIsoDateTime(value) && (value as string).includes('T') },
    });
}

export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date such as 2026-04-15 or a date-time such as 2026-04-15T09:30:00Z`, ...options },
      validator: { validate: isIsoDateTime },
    });
}
