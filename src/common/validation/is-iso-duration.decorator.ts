import { registerDecorator, ValidationOptions } from 'class-validator';
import { Duration } from 'luxon';

export function isIsoDuration(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const duration = Duration.fromISO(value);
  return duration.isValid && duration.toMillis() >= 0;
}

/** An ISO-8601 duration such as P14D or PT12H. */
export function IsIsoDuration(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDuration',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be an ISO-8601 duration such as P14D`, ...options },
      validator: { validate: isIsoDuration },
    });
}
