import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Locale, SUPPORTED_LOCALES } from '../config/app-config';
import { TEMPLATE_KEYS, TemplateKey } from './template-keys';

export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}

export type BodyKind = 'html' | 'text';

export type PartialSources = Record<BodyKind, Record<string, string>>;

/** Partials a template may include; `unsubscribe` belongs to the layout so no template can drop it. */
export const TEMPLATE_PARTIALS = ['signature', 'button'] as const;

/**
 * The shipped templates, read once at start-up (they only change with a
 * deploy). Layout:
 *   layouts/base.{html,text}.hbs          the frame around every email
 *   partials/<name>.{html,text}.hbs       shared, wordless partials
 *   <locale>/partials/<name>.{html,text}.hbs  partials with words in them
 *   <locale>/<key>.{subject,html,text}.hbs
 */
export class TemplateFiles {
  private constructor(
    readonly directory: string,
    readonly layouts: Record<BodyKind, string>,
    private readonly partialsByLocale: Map<Locale, PartialSources>,
    private readonly sources: Map<string, TemplateSource>,
  ) {}

  static load(directory: string = findTemplateDirectory()): TemplateFiles {
    const read = (...path: string[]) => readFileSync(join(directory, ...path), 'utf8');
    const layouts = { html: read('layouts', 'base.html.hbs'), text: read('layouts', 'base.text.hbs') };
    const shared = readPartials(join(directory, 'partials'));
    const partialsByLocale = new Map<Locale, PartialSources>();
    const sources = new Map<string, TemplateSource>();
    for (const locale of SUPPORTED_LOCALES) {
      if (!existsSync(join(directory, locale))) continue;
      const own = readPartials(join(directory, locale, 'partials'));
      partialsByLocale.set(locale, { html: { ...shared.html, ...own.html }, text: { ...shared.text, ...own.text } });
      for (const key of TEMPLATE_KEYS) {
        const parts = (['subject', 'html', 'text'] as const).map((part) => join(directory, locale, `${key}.${part}.hbs`));
        const present = parts.filter((path) => existsSync(path));
        if (present.length === 0) continue;
        if (present.length < parts.length) {
          throw new Error(`Template ${locale}/${key} is incomplete: it needs .subject.hbs, .html.hbs and .text.hbs`);
        }
        const [subject, html, text] = parts.map((path) => readFileSync(path, 'utf8'));
        sources.set(`${key}:${locale}`, { subject, html, text });
      }
    }
    return new TemplateFiles(directory, layouts, partialsByLocale, sources);
  }

  source(key: TemplateKey, locale: Locale): TemplateSource | undefined {
    return this.sources.get(`${key}:${locale}`);
  }

  partials(locale: Locale): PartialSources {
    return this.partialsByLocale.get(locale) ?? { html: {}, text: {} };
  }
}

function readPartials(directory: string): PartialSources {
  const partials: PartialSources = { html: {}, text: {} };
  if (!existsSync(directory)) return partials;
  for (const file of readdirSync(directory)) {
    const match = /^([a-z][a-z0-9_-]*)\.(html|text)\.hbs$/.exec(file);
    if (match) partials[match[2] as BodyKind][match[1]] = readFileSync(join(directory, file), 'utf8');
  }
  return partials;
}

/**
 * `templates/` sits at the project root, beside `src/` when running from
 * source and beside `dist/` in a build (the Dockerfile copies it there).
 */
export function findTemplateDirectory(): string {
  const candidates = [resolve(__dirname, '..', '..', 'templates'), resolve(__dirname, '..', '..', '..', 'templates')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'layouts')));
  if (!found) throw new Error(`Email templates not found; looked in ${candidates.join(', ')}`);
  return found;
}
