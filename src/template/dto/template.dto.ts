import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsTimeZone } from '../../common/validation/is-time-zone.decorator';
import { Locale, SUPPORTED_LOCALES } from '../../config/app-config';

/**
 * A template's three parts in Handlebars. Only the coarse length is checked
 * here; the real checks (size caps in bytes, helpers, fields, escaping)
 * happen when it is saved and name the part that is wrong.
 */
export class TemplateSourceDto {
  /** Plain text, one line, at most 300 characters of template (a subject may choose its words with {{#if}}), e.g. `Hur har du det, {{candidate.firstName}}?`. */
  @IsString() @MaxLength(10_000)
  subject: string;

  /** The HTML body (the layout and unsubscribe footer are added around it), at most 50 KB. */
  @IsString() @MaxLength(100_000)
  html: string;

  /** The plain-text body, at most 50 KB. */
  @IsString() @MaxLength(100_000)
  text: string;
}

export class TemplateLocaleQuery {
  /** Defaults to DEFAULT_LOCALE. */
  @IsOptional() @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;
}

export class PreviewTemplateDto {
  /** Defaults to DEFAULT_LOCALE. */
  @IsOptional() @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;

  /** Merged over the template's sample data (objects key by key; arrays replace). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  data?: Record<string, unknown>;

  /** Time zone for dates; defaults to DEFAULT_TIME_ZONE. */
  @IsOptional() @IsTimeZone()
  timeZone?: string;
}
