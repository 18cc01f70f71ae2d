import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { SUPPORTED_LOCALES } from '../../config/app-config';
import { IsTimeZone } from '../../common/validation/is-time-zone.decorator';
import { IsSkillName } from '../../skill/is-skill-name.decorator';
import { emailAddress, phoneNumber, trim } from '../../common/validation/transforms';
import { IsCountryCode } from '../../common/validation/is-country-code.decorator';
import { HasVisibleText } from '../../common/validation/has-visible-text.decorator';
import { IsOneLine } from '../../common/validation/is-one-line.decorator';


export class SkillInput {
  /** Any spelling; stored under its canonical name ("JS" becomes "javascript"). */
  @IsSkillName()
  name: string;

  /** 1 (basic) to 5 (expert); omit when unknown. */
  @IsOptional() @IsInt() @Min(1) @Max(5)
  level?: number | null;
}

/** The fields a person or a recruiter owns. Status and consent belong to other flows. */
export class CandidateFields {
  @Transform(trim) @IsString() @Length(1, 200) @IsOneLine() @HasVisibleText()
  fullName: string;

  @Transform(emailAddress) @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  // At least five digits: "------" is no number.
  @IsOptional() @Transform(phoneNumber) @IsString()
  @Matches(/^(?=(?:\D*\d){5})\+?[0-9 ()./-]{5,40}$/, { message: 'phone must be a phone number: at least 5 digits, with spaces and + ( ) . / - if you like' })
  @MaxLength(40)
  phone?: string | null;

  @IsOptional() @Transform(trim) @IsString() @Length(1, 100) @IsOneLine()
  city?: string | null;

  /** ISO 3166-1 alpha-2, e.g. SE. */
  @IsOptional() @IsCountryCode()
  country?: string | null;

  /** IANA time zone; defaults to DEFAULT_TIME_ZONE. */
  @IsOptional() @IsTimeZone()
  timeZone?: string;

  @IsOptional() @IsIn(SUPPORTED_LOCALES)
  locale?: 'sv' | 'en';

  @IsOptional() @Transform(trim) @IsString() @MaxLength(300) @IsOneLine()
  headline?: string | null;

  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'profileUrl must be an http(s) URL' })
  @MaxLength(500)
  profileUrl?: string | null;

  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => SkillInput)
  skills?: SkillInput[];

  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 50, { each: true })
  tags?: string[];

  /** Where the candidate came from, e.g. "referral". */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 100) @IsOneLine()
  source?: string | null;
}
