import { Locale } from '../config/app-config';
import { BodyKind, TemplateFiles, TemplateSource } from './template-files';
import { COMPILE_OPTIONS, createHandlebarsEnvironment, RenderSettings } from './template-helpers';
import { nestingProblem } from './template-nesting';
import { LINE_BREAKING } from '../common/validation/is-one-line.decorator';

export type TemplatePart = keyof TemplateSource;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** A render failed; `part` says which of the three (a strict-mode miss names the field in the message). */
export class TemplateRenderError extends Error {
  constructor(
    readonly part: TemplatePart,
    message: string,
  ) {
    super(message);
  }
}

type Delegate = HandlebarsTemplateDelegate;
export type CompiledTemplate = Record<TemplatePart, Delegate>;
type CompiledPartials = Record<BodyKind, Record<string, Delegate>>;

/** Enough for every key x locale x a few override versions; old versions fall out first. */
const CACHE_LIMIT = 300;
/** A subject longer than this is cut (with an ellipsis) rather than failing the send. */
const RENDERED_SUBJECT_MAX = 255;
/** A body this big means runaway data (a huge list), not an email anyone should get. */
const RENDERED_BODY_MAX_BYTES = 512 * 1024;

/**
 * Compiles and renders template sources inside our layout and partials.
 * Two dedicated Handlebars instances: HTML escapes every value; the text
 * instance (text body and subject) does not, because those are not HTML.
 * Compiled templates are cached by a key the caller derives from the
 * source's identity, so the same source is compiled once per process.
 */
export class TemplateCompiler {
  private readonly environments = { html: createHandlebarsEnvironment(), text: createHandlebarsEnvironment() };
  private readonly layouts: Record<BodyKind, Delegate>;
  private readonly partials = new Map<Locale, CompiledPartials>();
  private readonly cache = new Map<string, CompiledTemplate>();

  constructor(private readonly files: TemplateFiles) {
    this.layouts = { html: this.compileBody('html', files.layouts.html), text: this.compileBody('text', files.layouts.text) };
  }

  cached(cacheKey: string): CompiledTemplate | undefined {
    const compiled = this.cache.get(cacheKey);
    if (compiled) {
      // Re-inserting keeps the Map in least-recently-used order for eviction.
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, compiled);
    }
    return compiled;
  }

  /** Compiles `source` and keeps it under `cacheKey`, which must change whenever the source does. */
  remember(cacheKey: string, source: TemplateSource): CompiledTemplate {
    const compiled = this.compile(source);
    this.cache.set(cacheKey, compiled);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    return compiled;
  }

  /** Compiles without caching (a source being validated may never be saved). */
  compile(source: TemplateSource): CompiledTemplate {
    return {
      subject: this.compileBody('text', source.subject),
      html: this.compileBody('html', source.html),
      text: this.compileBody('text', source.text),
    };
  }

  render(template: CompiledTemplate, data: Record<string, unknown>, settings: RenderSettings): RenderedEmail {
    const partials = this.partialsFor(settings.locale);
    const run = (part: TemplatePart, delegate: Delegate, kind: BodyKind, extra: Record<string, unknown> = {}) => {
      let rendered: string;
      try {
        rendered = delegate(data, {
          data: { ...settings, ...extra },
          partials: partials[kind],
          allowProtoPropertiesByDefault: false,
          allowProtoMethodsByDefault: false,
        });
      } catch (error) {
        throw new TemplateRenderError(part, (error as Error).message);
      }
      // A big list times a big body builds hundreds of MB cheaply (as a rope); refuse it before tidying
      // flattens it. `length` costs nothing and never exceeds the byte count, so this refuses only what the check below would.
      if (part !== 'subject' && rendered.length > RENDERED_BODY_MAX_BYTES) throw tooBig(part);
      return rendered;
    };
    const subject = plainSubject(run('subject', template.subject, 'text'));
    if (!subject) throw new TemplateRenderError('subject', 'the subject renders empty');
    const htmlBody = new this.environments.html.SafeString(run('html', template.html, 'html'));
    const html = run('html', this.layouts.html, 'html', { body: htmlBody, subject }).trim();
    const text = tidyText(run('text', this.layouts.text, 'text', { body: run('text', template.text, 'text'), subject }));
    for (const [part, body] of [['html', html], ['text', text]] as const) {
      if (Buffer.byteLength(body) > RENDERED_BODY_MAX_BYTES) throw tooBig(part);
    }
    return { subject, html, text };
  }

  private partialsFor(locale: Locale): CompiledPartials {
    let compiled = this.partials.get(locale);
    if (!compiled) {
      const sources = this.files.partials(locale);
      const compileAll = (kind: BodyKind) =>
        Object.fromEntries(Object.entries(sources[kind]).map(([name, source]) => [name, this.compileBody(kind, source)]));
      compiled = { html: compileAll('html'), text: compileAll('text') };
      this.partials.set(locale, compiled);
    }
    return compiled;
  }

  private compileBody(kind: BodyKind, source: string): Delegate {
    // An override saved before the nesting limit existed: it fails when rendered, as a syntax error does
    // (compiling is lazy), instead of stalling the server while Handlebars parses it.
    const tooDeep = nestingProblem(source);
    if (tooDeep) {
      return () => {
        throw new Error(tooDeep);
      };
    }
    return this.environments[kind].compile(source, { ...COMPILE_OPTIONS, noEscape: kind === 'text' });
  }
}

function tooBig(part: TemplatePart): TemplateRenderError {
  return new TemplateRenderError(part, `the ${part} body renders to more than ${RENDERED_BODY_MAX_BYTES / 1024} KB`);
}

const LINE_BREAKS = new RegExp(`${LINE_BREAKING.source}+`, 'gu');

/** A subject is one header line: control characters and line breaks (header injection) become spaces. */
export function plainSubject(rendered: string): string {
  const oneLine = rendered.replace(LINE_BREAKS, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > RENDERED_SUBJECT_MAX ? `${oneLine.slice(0, RENDERED_SUBJECT_MAX - 1).trimEnd()}…` : oneLine;
}

/** Templates are indented for people; the email should not carry the blank lines that leaves. */
function tidyText(rendered: string): string {
  return rendered
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
