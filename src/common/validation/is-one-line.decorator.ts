import { ValidateBy, ValidationArguments } from 'class-validator';

/**
 * Control characters (line breaks, tabs, escape, ...) and Unicode's line and paragraph separators: what
 * must not be in a one-line value (IsOneLine) and what an email subject has taken out (plainSubject).
 */
export const LINE_BREAKING = /[\p{Cc}\u2028\u2029]/u;

/**
 * A value shown on one line: a name, a title, a city. A line break pasted
 * into one ends up in email greetings and subjects, in the From and
 * Reply-To display names, in CSV exports and in the staff digests, where
 * it breaks the layout or reads as a second line of text nobody wrote.
 */
export function IsOneLine(): PropertyDecorator {
  return ValidateBy({
    name: 'isOneLine',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !LINE_BREAKING.test(value),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} must be one line of text: no line breaks, tabs or other control characters`,
    },
  });
}
