import { ValidateBy, ValidationArguments } from 'class-validator';

/**
 * Anything but spaces, control characters, characters Unicode says to show as nothing (zero-width, direction
 * marks, the Hangul fillers of "blank" names), a combining mark on its own, and blank Braille.
 */
export const VISIBLE_CHARACTER = /[^\p{Z}\p{Cc}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;

/**
 * A value people read somewhere (a name in an email greeting, a title in a subject): it must show at
 * least one character. A name of zero-width spaces passed a length check and greeted "Hi ,".
 */
export function HasVisibleText(): PropertyDecorator {
  return ValidateBy({
    name: 'hasVisibleText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || VISIBLE_CHARACTER.test(value),
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must contain visible text`,
    },
  });
}
