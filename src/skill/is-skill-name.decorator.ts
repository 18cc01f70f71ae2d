import { registerDecorator, ValidationOptions } from 'class-validator';
import { normalizeSkillName, SKILL_NAME_MAX, SKILL_NAME_RAW_MAX } from './skill-name';

/**
 * Text that names a skill: 1 to SKILL_NAME_MAX characters as stored, that is
 * after normalisation (NFKC can lengthen text: "ﬀ" becomes "ff", and
 * punctuation-only input becomes nothing).
 */
export function IsSkillName(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSkillName',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must name a skill in 1 to ${SKILL_NAME_MAX} letters, digits or + # . once normalised`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > SKILL_NAME_RAW_MAX) return false;
          const length = normalizeSkillName(value).length;
          return length >= 1 && length <= SKILL_NAME_MAX;
        },
      },
    });
}
