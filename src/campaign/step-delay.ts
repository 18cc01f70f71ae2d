import { isIsoDuration } from '../common/validation/is-iso-duration.decorator';

/**
 * ISO-8601 durations with whole-number designators (P14D, PT12H, P1M2W).
 * The schema has the same CHECK; fractions are left out because luxon and
 * PostgreSQL's interval input would not agree on them.
 */
export const STEP_DELAY_PATTERN = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export function isStepDelay(value: unknown): value is string {
  return typeof value === 'string' && STEP_DELAY_PATTERN.test(value) && isIsoDuration(value);
}

/** SQL for `timestamp + ISO duration` in UTC calendar terms (as plusDuration computes it), independent of the session's time zone. */
export function utcPlusSql(timestamp: string, isoDuration: string): string {
  return `((${timestamp} AT TIME ZONE 'UTC' + (${isoDuration})::interval) AT TIME ZONE 'UTC')`;
}
