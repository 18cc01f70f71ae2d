import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UpdateCandidateDto } from '../candidate/dto/candidate.dto';
import { FieldError } from '../common/errors/domain-error';
import { unstorableTextErrors } from '../common/validation/unstorable-text';
import { flattenValidationErrors } from '../common/validation/validation.pipe';
import { normalizeSkillName } from '../skill/skill-name';
import { UUID_PATTERN as UUID } from '../common/pagination/page';

export const INTEREST_CHOICES = ['open', 'not_now', 'remove'] as const;
export type InterestChoice = (typeof INTEREST_CHOICES)[number];

/** What the page posts (application/x-www-form-urlencoded; repeated fields arrive as arrays). */
export type ProfileFormBody = Record<string, unknown>;

export interface ProfileSubmission {
  /** The profile fields the person changed, ready for CandidateService.update. */
  changes: UpdateCandidateDto;
  changedFields: string[];
  interest: InterestChoice | null;
  matchId: string | null;
  errors: FieldError[];
  /** What they typed, to show the form again when something is wrong. */
  typed: ProfileValues;
}

export interface ProfileValues {
  skills: { name: string; level: number | null }[];
  city: string;
  country: string;
}

const FORM_FIELDS = new Set(['skill', 'level', 'city', 'country', 'interest', 'match']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const many = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(text) : [text(value)]);
const one = (value: unknown): string => (Array.isArray(value) ? text(value[0]) : text(value)).trim();
const isText = (value: unknown) => typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/**
 * The page's form as the API's own update: the same DTO and the same
 * validation options as the global ValidationPipe (unknown fields refused,
 * types converted, every problem listed), so a skill level of 7 or a
 * country "Sweden" is refused here exactly as it is through the API.
 * Only fields that differ from the current profile are sent on.
 */
export async function readProfileForm(body: ProfileFormBody, current: ProfileValues): Promise<ProfileSubmission> {
  const names = many(body.skill);
  const levels = many(body.level);
  const typedSkills = names
    .map((name, index) => ({ name: name.trim(), level: (levels[index] ?? '').trim() }))
    .filter((skill) => skill.name !== '');
  // A field the form did not send is left as it is (a bare "interest=..." post changes nothing else).
  const sent = (field: string) => Object.prototype.hasOwnProperty.call(body, field);
  const typed: ProfileValues = {
    skills: sent('skill')
      ? typedSkills.map((skill) => ({ name: skill.name, level: /^\d+$/.test(skill.level) ? Number(skill.level) : null }))
      : current.skills,
    city: sent('city') ? one(body.city) : current.city,
    country: sent('country') ? one(body.country) : current.country,
  };
  const errors: FieldError[] = Object.entries(body).flatMap(([field, value]): FieldError[] => {
    if (!FORM_FIELDS.has(field)) return [{ field, messages: [`property ${field} should not exist`] }];
    return isText(value) ? [] : [{ field, messages: [`${field} must be text`] }];
  });

  const plain: Record<string, unknown> = {};
  const changedFields: string[] = [];
  const skills = typedSkills.map((skill) => (skill.level === '' ? { name: skill.name } : { name: skill.name, level: numberOrText(skill.level) }));
  if (sent('skill') && !sameSkills(typed.skills, current.skills)) {
    plain.skills = skills;
    changedFields.push('skills');
  }
  if (typed.city !== (current.city ?? '')) {
    plain.city = typed.city === '' ? null : typed.city;
    changedFields.push('city');
  }
  if (typed.country.toUpperCase() !== (current.country ?? '').toUpperCase()) {
    plain.country = typed.country === '' ? null : typed.country;
    changedFields.push('country');
  }
  const dto = plainToInstance(UpdateCandidateDto, plain, { enableImplicitConversion: false });
  const nul = unstorableTextErrors(plain);
  errors.push(...(nul.length > 0 ? nul : flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }))));

  const interest = one(body.interest);
  if (interest && !(INTEREST_CHOICES as readonly string[]).includes(interest)) {
    errors.push({ field: 'interest', messages: [`interest must be one of: ${INTEREST_CHOICES.join(', ')}`] });
  }
  const match = one(body.match);
  return {
    changes: dto,
    changedFields,
    interest: (INTEREST_CHOICES as readonly string[]).includes(interest) ? (interest as InterestChoice) : null,
    matchId: UUID.test(match) ? match : null,
    errors,
    typed,
  };
}

/** Same skills and levels, whatever the spelling of case and spacing (aliases are the skill service's to resolve). */
function sameSkills(typed: ProfileValues['skills'], current: ProfileValues['skills']): boolean {
  const key = (skills: ProfileValues['skills']) =>
    skills.map((skill) => `${normalizeSkillName(skill.name)}:${skill.level ?? ''}`).sort().join('|');
  return key(typed) === key(current);
}

const numberOrText = (value: string): number | string => (/^-?\d+$/.test(value) ? Number(value) : value);


