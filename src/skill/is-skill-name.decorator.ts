import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { normalizeSkillName, SKILL_NAME_MAX, SKILL_NAME_RAW_MAX } from './skill-name';

/**
 * `kafka:3`, `go=4`, `rust (2)`: the import's way of writing a level (list-cells.ts), sent as a name.
 * As there, only 1-5 in brackets is a level: "Java (8)" and "ISO 9001 (2015)" are names.
 */
const LEVEL_IN_NAME = /(?:[:=]\s*\d+|\(\s*[1-5]\s*\))\s*$/;

/**
 * Text that names a skill: 1 to SKILL_NAME_MAX characters as stored, that is
 * after normalisation (NFKC can lengthen text: "ﬀ" becomes "ff", and
 * punctuation-only input becomes nothing), with a letter in it ("3" or "(5)"
 * is a level typed as a name), and no level written into it.
 */
export function IsSkillName(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSkillName',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) => typeof args.value === 'string' && LEVEL_IN_NAME.test(args.value)
          ? `${args.property} must be the skill alone: give its level in level, not in the name`
          : `${args.property} must name a skill in 1 to ${SKILL_NAME_MAX} letters, digits or + # . once normalised, with a letter in it`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > SKILL_NAME_RAW_MAX || LEVEL_IN_NAME.test(value)) return false;
          const name = normalizeSkillName(value);
          return name.length >= 1 && name.length <= SKILL_NAME_MAX && /\p{L}/u.test(name);
        },
      },
    });
}
