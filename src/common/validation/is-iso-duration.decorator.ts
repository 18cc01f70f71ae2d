import { registerDecorator, ValidationOptions } from 'class-validator';
import { Duration } from 'luxon';

/** Longer than this is a typo, and dates that far out stop being representable. */
const MAX_YEARS = 100;

/**
 * ISO-8601 durations with whole-number designators (P14D, PT12H, P1M2W). luxon also takes "P", "PT"
 * and "P1DT" (as nothing) and fractions, which PostgreSQL's interval input reads otherwise or not at
 * all; the campaign_step.delay CHECK holds the same pattern.
 */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export function isIsoDuration(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DURATION.test(value)) return false;
  const duration = Duration.fromISO(value);
  return duration.isValid && duration.as('years') <= MAX_YEARS;
}

/** An ISO-8601 duration such as P14D or PT12H, in whole numbers, at most a hundred years. */
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
