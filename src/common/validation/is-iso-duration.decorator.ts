import { registerDecorator, ValidationOptions } from 'class-validator';
import { Duration } from 'luxon';

/** Longer than this is a typo, and dates that far out stop being representable. */
const MAX_YEARS = 100;

export function isIsoDuration(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const duration = Duration.fromISO(value);
  return duration.isValid && duration.toMillis() >= 0 && duration.as('years') <= MAX_YEARS;
}

/** An ISO-8601 duration such as P14D or PT12H, at most a hundred years. */
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
