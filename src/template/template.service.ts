import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { AppConfig, Locale, SUPPORTED_LOCALES } from '../config/app-config';
import { RenderedEmail, TemplateCompiler } from './template-compiler';
import { deepMerge } from './template-data';
import { TemplateSource } from './template-files';
import { isTemplateKey, sampleData, TEMPLATE_DEFINITIONS, TEMPLATE_KEYS, TemplateAudience, TemplateKey } from './template-keys';
import { EffectiveTemplate, templateNotFound, TemplateRenderer } from './template-renderer';
import { validateTemplateSource } from './template-validation';

export interface TemplateSummary {
  key: TemplateKey;
  audience: TemplateAudience;
  locales: { locale: Locale; overridden: boolean; updatedAt: Date | null }[];
}

export interface TemplateSourceView extends EffectiveTemplate {
  audience: TemplateAudience;
  /** The data the template receives, so an editor knows what it may use. */
  fields: { required: readonly string[]; optional: readonly string[] };
}

/** Preview data is merged into the sample; this keeps a preview request small. */
const PREVIEW_DATA_MAX_CHARS = 20_000;

/** Recruiters' overrides of the shipped email templates, and previews. */
@Injectable()
export class TemplateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly renderer: TemplateRenderer,
    private readonly compiler: TemplateCompiler,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<TemplateSummary[]> {
    const rows: { key: string; locale: Locale; updated_at: Date }[] = await this.dataSource.query(
      `SELECT key, locale, updated_at FROM template_override`,
    );
    return TEMPLATE_KEYS.map((key) => ({
      key,
      audience: TEMPLATE_DEFINITIONS[key].audience,
      locales: SUPPORTED_LOCALES.map((locale) => {
        const row = rows.find((override) => override.key === key && override.locale === locale);
        return { locale, overridden: Boolean(row), updatedAt: row?.updated_at ?? null };
      }),
    }));
  }

  async source(rawKey: string, locale: Locale = this.config.DEFAULT_LOCALE): Promise<TemplateSourceView> {
    const key = knownKey(rawKey);
    return this.view(await this.renderer.effectiveSource(key, locale));
  }

  /** Stores an override after checking it compiles, is safe, and renders with the sample data. */
  async save(rawKey: string, rawLocale: string, source: TemplateSource, principal: Principal): Promise<TemplateSourceView> {
    const key = knownKey(rawKey);
    const locale = supportedLocale(rawLocale);
    const errors = validateTemplateSource(this.compiler, key, locale, source);
    if (errors.length > 0) {
      throw new DomainError('TemplateInvalid', `The template has errors in: ${errors.map((error) => error.field).join(', ')}.`, { errors });
    }
    const [row]: { updated_at: Date }[] = await this.dataSource.query(
      `INSERT INTO template_override (key, locale, subject, html, text, updated_at, updated_by_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key, locale) DO UPDATE SET subject = EXCLUDED.subject, html = EXCLUDED.html, text = EXCLUDED.text,
         updated_at = EXCLUDED.updated_at, updated_by_key_id = EXCLUDED.updated_by_key_id
       RETURNING updated_at`,
      [key, locale, source.subject, source.html, source.text, this.clock.now(), principal.keyId],
    );
    return this.view({ key, locale, ...pick(source), overridden: true, updatedAt: row.updated_at });
  }

  /** Back to the shipped file. */
  async revert(rawKey: string, rawLocale: string): Promise<void> {
    const key = knownKey(rawKey);
    const locale = supportedLocale(rawLocale);
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM template_override WHERE key = $1 AND locale = $2`,
      [key, locale],
    );
    if (deleted === 0) throw new DomainError('TemplateNotFound', `The ${key} template has no ${locale} override; it already uses the file.`);
  }

  /** Renders with the key's sample data, deep-merged with `data`, exactly as an email would be. */
  async preview(rawKey: string, options: { locale?: Locale; data?: Record<string, unknown>; timeZone?: string }): Promise<RenderedEmail> {
    const key = knownKey(rawKey);
    const locale = options.locale ?? this.config.DEFAULT_LOCALE;
    if (options.data && JSON.stringify(options.data).length > PREVIEW_DATA_MAX_CHARS) {
      throw DomainError.field('data', `data must be at most ${PREVIEW_DATA_MAX_CHARS} characters as JSON`);
    }
    const data = deepMerge(sampleData(key, locale), options.data ?? {});
    return this.renderer.render(key, locale, data, { timeZone: options.timeZone ?? this.config.DEFAULT_TIME_ZONE });
  }

  private view(source: EffectiveTemplate): TemplateSourceView {
    const definition = TEMPLATE_DEFINITIONS[source.key];
    return { ...source, audience: definition.audience, fields: { required: definition.required, optional: definition.optional } };
  }
}

function knownKey(key: string): TemplateKey {
  if (!isTemplateKey(key)) throw templateNotFound(key);
  return key;
}

function supportedLocale(locale: string): Locale {
  if (!(SUPPORTED_LOCALES as readonly string[]).includes(locale)) {
    throw DomainError.field('locale', `locale must be one of ${SUPPORTED_LOCALES.join(', ')}`);
  }
  return locale as Locale;
}

function pick({ subject, html, text }: TemplateSource): TemplateSource {
  return { subject, html, text };
}
