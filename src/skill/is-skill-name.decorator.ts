import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { canonicalText } from '../common/validation/transforms';
import { normalizeSkillName, SKILL_NAME_MAX, SKILL_NAME_RAW_MAX } from './skill-name';

/**
 * `kafka:3`, `go=4`, `rust (2)`: the import's way of writing a level (list-cells.ts), sent as a name,
 * read after folding (a full-width colon, an invisible character) and without trailing punctuation.
 * Only a single digit 1-5 is a level, as there: "ISO 27001:2022", "Java (8)" and "Python 3" are names.
 * Stored names never match: normalising turns `:`, `=` and brackets into spaces.
 */
const LEVEL_IN_NAME = /(?:[:=]\s*[1-5]|\(\s*[1-5]\s*\))$/;

function hasLevelInName(raw: string): boolean {
  return LEVEL_IN_NAME.test(canonicalText(raw).replace(/[\s.,;]+$/u, ''));
}

const writesLevel = (value: unknown) => typeof value === 'string' && value.length <= SKILL_NAME_RAW_MAX && hasLevelInName(value);

/** See IsSkillName. */
function isSkillName(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > SKILL_NAME_RAW_MAX || writesLevel(value)) return false;
  const length = normalizeSkillName(value).length;
  return length >= 1 && length <= SKILL_NAME_MAX;
}

function messageFor(args: ValidationArguments): string {
  // With { each: true } (a list of skills, as a search takes), the message names the first one refused.
  if (Array.isArray(args.value)) {
    const refused: unknown = args.value.find((value) => !isSkillName(value));
    return writesLevel(refused)
      ? `${args.property} must list skills alone, without a level ("kafka", not ${JSON.stringify(refused)})`
      : `${args.property} must each name a skill in 1 to ${SKILL_NAME_MAX} letters, digits or + # . once normalised; ${JSON.stringify(refused)} does not`;
  }
  return writesLevel(args.value)
    ? `${args.property} must be the skill alone: give its level in level, not in the name`
    : `${args.property} must name a skill in 1 to ${SKILL_NAME_MAX} letters, digits or + # . once normalised`;
}

/**
 * Text that names a skill: 1 to SKILL_NAME_MAX characters as stored, that is
 * after normalisation (NFKC can lengthen text: "ﬀ" becomes "ff", and
 * punctuation-only input becomes nothing), and no level written into it.
 */
export function IsSkillName(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSkillName',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: messageFor, ...options },
      validator: { validate: isSkillName },
    });
}
