import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { isValidTimeZone } from '../common/time/time-zone';
import { AppConfig, Locale, SUPPORTED_LOCALES } from '../config/app-config';
import { CompiledTemplate, RenderedEmail, TemplateCompiler, TemplateRenderError } from './template-compiler';
import { missingRequiredFields, withOptionalParents } from './template-fields';
import { TemplateFiles, TemplateSource } from './template-files';
import { isTemplateKey, TEMPLATE_DEFINITIONS, TEMPLATE_KEYS, TemplateKey } from './template-keys';

/** The source an email of (key, locale) is rendered from: a recruiter's override, or the shipped file. */
export interface EffectiveTemplate extends TemplateSource {
  key: TemplateKey;
  /** The locale actually used, after falling back. */
  locale: Locale;
  overridden: boolean;
  updatedAt: Date | null;
}

interface OverrideVersion {
  locale: Locale;
  version: string;
}

interface OverrideRow extends TemplateSource {
  locale: Locale;
  updated_at: Date;
}

/**
 * The same fingerprint in SQL and in JS (md5 of each part, UTF-8), so the
 * version read cheaply per render matches the one computed from a loaded row.
 */
const VERSION_SQL = `md5(subject) || md5(html) || md5(text)`;
const versionOf = (source: TemplateSource) =>
  [source.subject, source.html, source.text].map((part) => createHash('md5').update(part, 'utf8').digest('hex')).join('');

export function templateNotFound(key: string): DomainError {
  return new DomainError('TemplateNotFound', `No email template "${key}". The templates are: ${TEMPLATE_KEYS.join(', ')}.`);
}

/**
 * Renders an email: the recruiter's override for (key, locale) if one is
 * stored, else the shipped file; when the locale has neither, the default
 * locale, then English.
 *
 * Caching: compiled templates are cached in memory under the override's
 * content fingerprint, read from the database for every batch of emails
 * (one small statement over the few override rows; `render` alone is a
 * batch of one). Not under updated_at: the clock can stand still (tests) or
 * differ between instances, and a delete-then-save within one timestamp
 * would serve a stale template. Not a TTL: an override saved on another
 * instance must apply to the very next batch, not to the ones after the
 * TTL runs out.
 */
@Injectable()
export class TemplateRenderer {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly files: TemplateFiles,
    private readonly compiler: TemplateCompiler,
  ) {}

  /** Renders one email (reads the overrides for it first). Many at once: use `batch()`. */
  async render(
    key: TemplateKey,
    locale: Locale,
    data: Record<string, unknown>,
    options: { timeZone: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RenderedEmail> {
    return (await this.batch(manager)).render(key, locale, data, options);
  }

  /**
   * A renderer for many emails that reads the override fingerprints once:
   * every email of the batch sees the overrides as they were when it began,
   * and the next batch sees any change.
   */
  async batch(manager: EntityManager = this.dataSource.manager): Promise<RenderBatch> {
    const rows: (OverrideVersion & { key: string })[] = await manager.query(
      `SELECT key, locale, ${VERSION_SQL} AS version FROM template_override`,
    );
    return new RenderBatch(this, new Map(rows.map((row) => [`${row.key}:${row.locale}`, row.version])), manager);
  }

  /** @internal for RenderBatch */
  async renderWith(
    overrideVersions: ReadonlyMap<string, string>,
    key: TemplateKey,
    locale: Locale,
    data: Record<string, unknown>,
    options: { timeZone: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RenderedEmail> {
    if (!isTemplateKey(key)) throw templateNotFound(key);
    if (!isValidTimeZone(options.timeZone)) {
      throw DomainError.field('timeZone', 'timeZone must be an IANA time zone such as Europe/Stockholm');
    }
    const missing = missingRequiredFields(data, TEMPLATE_DEFINITIONS[key]);
    if (missing.length > 0) {
      const message = `missing required data: ${missing.join(', ')}`;
      throw new DomainError('TemplateInvalid', `The ${key} email cannot be rendered: ${message}.`, {
        errors: [{ field: 'data', messages: [message] }],
      });
    }
    const { template, locale: used } = await this.compiled(overrideVersions, key, locale, manager);
    try {
      return this.compiler.render(template, withOptionalParents(data, TEMPLATE_DEFINITIONS[key]), { locale: used, timeZone: options.timeZone });
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      throw new EmailNotRenderable(key, used, `${error.part}: ${error.message}`);
    }
  }

  /** The full source that `render` would use, for showing and editing. */
  async effectiveSource(key: TemplateKey, locale: Locale): Promise<EffectiveTemplate> {
    const rows: OverrideRow[] = await this.dataSource.query(
      `SELECT locale, subject, html, text, updated_at FROM template_override WHERE key = $1 AND locale = ANY($2::text[])`,
      [key, this.localeChain(locale)],
    );
    for (const candidate of this.localeChain(locale)) {
      const row = rows.find((override) => override.locale === candidate);
      if (row) {
        const { subject, html, text } = row;
        return { key, locale: candidate, subject, html, text, overridden: true, updatedAt: row.updated_at };
      }
      const file = this.files.source(key, candidate);
      if (file) return { key, locale: candidate, ...file, overridden: false, updatedAt: null };
    }
    throw templateNotFound(key);
  }

  /** Requested locale, then the configured default, then English; unknown locales are skipped. */
  localeChain(locale: Locale): Locale[] {
    const chain = [locale, this.config.DEFAULT_LOCALE, 'en' as const];
    return [...new Set(chain)].filter((candidate) => (SUPPORTED_LOCALES as readonly string[]).includes(candidate));
  }

  private async compiled(
    overrideVersions: ReadonlyMap<string, string>,
    key: TemplateKey,
    locale: Locale,
    manager: EntityManager,
  ): Promise<{ template: CompiledTemplate; locale: Locale }> {
    for (const candidate of this.localeChain(locale)) {
      const version = overrideVersions.get(`${key}:${candidate}`);
      if (version) {
        const cached = this.compiler.cached(`${key}:${candidate}:${version}`);
        if (cached) return { template: cached, locale: candidate };
        const loaded = await this.loadOverride(key, candidate, manager);
        // Deleted since the version was read: the file for this locale applies, as it now would.
        if (loaded) return { template: this.compiler.remember(`${key}:${candidate}:${versionOf(loaded)}`, loaded), locale: candidate };
      }
      const file = this.files.source(key, candidate);
      if (file) {
        const cacheKey = `${key}:${candidate}:file`;
        return { template: this.compiler.cached(cacheKey) ?? this.compiler.remember(cacheKey, file), locale: candidate };
      }
    }
    throw templateNotFound(key);
  }

  private async loadOverride(key: TemplateKey, locale: Locale, manager: EntityManager): Promise<TemplateSource | undefined> {
    const [row]: TemplateSource[] = await manager.query(
      `SELECT subject, html, text FROM template_override WHERE key = $1 AND locale = $2`,
      [key, locale],
    );
    return row;
  }
}

/**
 * A template that passed its checks on save but fails on this data (a body past the size cap with a
 * person's long name in it, say). For a preview, the data is the caller's: a 400 naming `data`. For
 * mail the service writes, it is the template's fault, not the request's: the outbox records the email
 * as failed, with this reason, and the request goes on.
 */
export class EmailNotRenderable extends DomainError {
  constructor(key: TemplateKey, locale: Locale, readonly reason: string) {
    super('TemplateInvalid', `The ${key} email (${locale}) could not be rendered with this data. ${reason}`, {
      errors: [{ field: 'data', messages: [reason] }],
    });
    this.name = EmailNotRenderable.name;
  }
}

/** The emails of one batch, rendered against the overrides read when the batch began. */
export class RenderBatch {
  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly overrideVersions: ReadonlyMap<string, string>,
    /** The connection (and transaction) the batch was opened on: an override it has to read comes from there too. */
    private readonly manager: EntityManager,
  ) {}

  render(key: TemplateKey, locale: Locale, data: Record<string, unknown>, options: { timeZone: string }): Promise<RenderedEmail> {
    return this.renderer.renderWith(this.overrideVersions, key, locale, data, options, this.manager);
  }
}
