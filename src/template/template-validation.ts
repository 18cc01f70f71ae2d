import { FieldError } from '../common/errors/domain-error';
import { LINE_BREAKING } from '../common/validation/is-one-line.decorator';
import { Locale } from '../config/app-config';
import { TemplateCompiler, TemplatePart, TemplateRenderError } from './template-compiler';
import { fieldCatalog, withOptionalParents, withoutOptionalFields } from './template-fields';
import { TEMPLATE_PARTIALS, TemplateSource } from './template-files';
import { sampleData, TEMPLATE_DEFINITIONS, TemplateKey } from './template-keys';
import { nestingProblem } from './template-nesting';
import { checkTemplateSource } from './template-source-check';

/** Of template source: the shipped feedback digest chooses among five subjects with {{#if}}, in Swedish too. */
export const SUBJECT_MAX_CHARS = 300;
export const BODY_MAX_BYTES = 50 * 1024;

const PARTS: readonly TemplatePart[] = ['subject', 'html', 'text'];

/**
 * Everything wrong with a template source, per part, or [] when it is safe
 * to store: size caps and nesting depth first (cheap, and they keep the
 * parser, whose cost grows with depth, from ever seeing a hostile source),
 * then the static check (syntax, helpers, partials, fields, no
 * triple-stash or prototype names), then a trial render with the
 * key's sample data, once complete and once without the optional fields,
 * so a field used outside its `{{#if}}` guard is caught now, not at send time.
 */
export function validateTemplateSource(
  compiler: TemplateCompiler,
  key: TemplateKey,
  locale: Locale,
  source: TemplateSource,
): FieldError[] {
  const definition = TEMPLATE_DEFINITIONS[key];
  const catalog = fieldCatalog(definition);
  const problems = new Map<TemplatePart, string[]>(PARTS.map((part) => [part, []]));
  for (const part of PARTS) {
    const cheapProblem = sizeProblemOf(part, source[part]) ?? nestingProblem(source[part]);
    if (cheapProblem) problems.get(part)!.push(cheapProblem);
    else problems.get(part)!.push(...checkTemplateSource(source[part], { catalog, partials: part === 'subject' ? [] : TEMPLATE_PARTIALS }));
  }
  if ([...problems.values()].every((messages) => messages.length === 0)) {
    const compiled = compiler.compile(source);
    const sample = sampleData(key, locale);
    const samples = [
      { label: 'the sample data', data: sample },
      { label: 'the sample data without optional fields', data: withoutOptionalFields(sample, definition) },
    ];
    for (const sample of samples) {
      try {
        compiler.render(compiled, withOptionalParents(sample.data, definition), { locale, timeZone: 'UTC' });
      } catch (error) {
        if (!(error instanceof TemplateRenderError)) throw error;
        problems.get(error.part)!.push(`does not render with ${sample.label}: ${error.message}`);
        break;
      }
    }
  }
  return PARTS.filter((part) => problems.get(part)!.length > 0).map((part) => ({ field: part, messages: problems.get(part)! }));
}

function sizeProblemOf(part: TemplatePart, value: string): string | undefined {
  if (value.trim() === '') return `${part} must not be empty`;
  if (part === 'subject') {
    if (value.length > SUBJECT_MAX_CHARS) return `subject must be at most ${SUBJECT_MAX_CHARS} characters`;
    // A line break at either end, as the template files have, is harmless; one inside is a second line nobody sees.
    return LINE_BREAKING.test(value.trim()) ? 'subject must be one line: no line breaks, tabs or other control characters' : undefined;
  }
  return Buffer.byteLength(value) > BODY_MAX_BYTES ? `${part} must be at most ${BODY_MAX_BYTES / 1024} KB` : undefined;
}
