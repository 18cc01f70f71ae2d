import { ValidateBy, ValidationArguments } from 'class-validator';

/** Anything but spaces, invisible format characters (zero-width, direction marks) and control characters. */
const VISIBLE = /[^\p{Z}\p{Cf}\p{Cc}]/u;

/**
 * A value people read somewhere (a name in an email greeting, a title in a subject): it must show at
 * least one character. A name of zero-width spaces passed a length check and greeted "Hi ,".
 */
export function HasVisibleText(): PropertyDecorator {
  return ValidateBy({
    name: 'hasVisibleText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || VISIBLE.test(value),
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must contain visible text`,
    },
  });
}
