import { SUPPORTED_LOCALES } from '../config/app-config';
import { TemplateCompiler } from './template-compiler';
import { TemplateFiles, TemplateSource } from './template-files';
import { TEMPLATE_KEYS, TemplateKey } from './template-keys';
import { TEMPLATE_NESTING_MAX } from './template-nesting';
import { validateTemplateSource } from './template-validation';

describe(validateTemplateSource.name, () => {
  const files = TemplateFiles.load();
  const compiler = new TemplateCompiler(files);
  const followup = files.source('feedback_followup', 'en')!;
  const validate = (patch: Partial<TemplateSource>, key: TemplateKey = 'feedback_followup') =>
    validateTemplateSource(compiler, key, 'en', { ...files.source(key, 'en')!, ...patch });
  const messagesFor = (patch: Partial<TemplateSource>, key?: TemplateKey) =>
    validate(patch, key).flatMap((error) => error.messages.map((message) => `${error.field}: ${message}`));

  it.each(TEMPLATE_KEYS.flatMap((key) => SUPPORTED_LOCALES.map((locale) => [key, locale] as const)))(
    'accepts the shipped %s template in %s',
    (key, locale) => {
      expect(validateTemplateSource(compiler, key, locale, files.source(key, locale)!)).toEqual([]);
    },
  );

  it.each([
    ['{{{candidate.fullName}}}'],
    ['{{& candidate.fullName}}'],
  ])('rejects unescaped output %s', (html) => {
    expect(messagesFor({ html })).toEqual([expect.stringMatching(/^html: line 1: triple-stash/)]);
  });

  it.each([
    ['{{lookup candidate "fullName"}}', /unknown helper "lookup"/],
    ['{{log candidate}}', /unknown helper "log"/],
    ['{{json candidate}}', /unknown helper "json"/],
    ['{{#raw}}x{{/raw}}', /unknown block helper "raw"/],
    ['{{#each gapSkills as |skill|}}{{skill}}{{/each}}', /block parameters/],
    ['{{formatDate}}', /formatDate takes exactly one value/],
    ['{{*inline "x"}}', /not supported/],
  ])('rejects the helper use in %s', (html, message) => {
    expect(messagesFor({ html }).join('\n')).toMatch(message);
  });

  it.each([
    ['{{candidate.constructor}}'],
    ['{{__proto__}}'],
    ['{{candidate.[constructor]}}'],
    ['{{#with candidate}}{{constructor.name}}{{/with}}'],
    ['{{@root.prototype}}'],
    ['{{#if candidate.__proto__}}x{{/if}}'],
  ])('rejects prototype access in %s', (html) => {
    expect(messagesFor({ html }).join('\n')).toMatch(/"(constructor|__proto__|prototype)" cannot be used in a template/);
  });

  it('keeps the subject on one line, allowing a line break at its end as the template files have', () => {
    expect(messagesFor({ subject: 'Hi\r\nBcc: someone@example.com' })).toEqual(['subject: subject must be one line: no line breaks, tabs or other control characters']);
    expect(messagesFor({ subject: 'Hi\tthere' })).toEqual(['subject: subject must be one line: no line breaks, tabs or other control characters']);
    expect(messagesFor({ subject: 'Feedback on your application\n' })).toEqual([]);
  });

  it('allows only our partials, and none in the subject', () => {
    expect(messagesFor({ html: '{{> layout}}' }).join('\n')).toMatch(/unknown partial "layout"; the partials are signature, button/);
    expect(messagesFor({ html: '{{> (candidate.firstName)}}' }).join('\n')).toMatch(/unknown partial "dynamic"/);
    expect(messagesFor({ html: '{{#> signature}}x{{/signature}}' }).join('\n')).toMatch(/partial blocks/);
    expect(messagesFor({ subject: 'Hi {{> signature}}' })).toEqual([expect.stringMatching(/^subject: .*unknown partial "signature"; the partials are none here/)]);
  });

  it('names unknown fields, in guards and partial arguments too', () => {
    expect(messagesFor({ html: '{{vacancy.titel}}' }).join('\n')).toMatch(/unknown field "vacancy.titel"; this template receives .*vacancy\.title/);
    expect(messagesFor({ html: '{{#if links.profil}}x{{/if}}' }).join('\n')).toMatch(/unknown field "links.profil"/);
    expect(messagesFor({ html: '{{> button href=links.interested label="Go"}}' }).join('\n')).toMatch(/unknown field "links.interested"/);
    expect(messagesFor({ html: '{{#each gapSkills}}{{name}}{{/each}}' }).join('\n')).toMatch(/unknown field "name"/);
    expect(messagesFor({ html: '{{#each gapSkills}}{{@index}}: {{this}} ({{../vacancy.title}}){{/each}}' })).toEqual([]);
    expect(messagesFor({ html: '{{@index}}' }).join('\n')).toMatch(/@index is not available here/);
  });

  it('refuses printing an object or a list', () => {
    expect(messagesFor({ html: '{{candidate}}' }).join('\n')).toMatch(/"candidate" holds a list or an object/);
    expect(messagesFor({ text: '{{gapSkills}}' }).join('\n')).toMatch(/"gapSkills" holds a list or an object/);
  });

  it('catches an optional field used outside its {{#if}} guard by rendering without it', () => {
    expect(messagesFor({ html: '<p>{{promise}}</p>' })).toEqual([
      expect.stringMatching(/^html: does not render with the sample data without optional fields: "promise" not defined/),
    ]);
    expect(messagesFor({ html: '{{#if promise}}<p>{{promise}}</p>{{/if}}' })).toEqual([]);
  });

  it('enforces the size caps and non-empty parts, naming each part', () => {
    const errors = validate({ subject: 'x'.repeat(301), html: `<p>${'å'.repeat(25_600)}</p>`, text: ' ' });
    expect(errors).toEqual([
      { field: 'subject', messages: ['subject must be at most 300 characters'] },
      { field: 'html', messages: ['html must be at most 50 KB'] },
      { field: 'text', messages: ['text must not be empty'] },
    ]);
    expect(validate({ subject: 'x'.repeat(200) })).toEqual([]);
  });

  describe('nesting', () => {
    const nestedIf = (depth: number, inner = '{{summary}}') => '{{#if promise}}'.repeat(depth) + inner + '{{/if}}'.repeat(depth);

    it(`accepts blocks nested ${TEMPLATE_NESTING_MAX} deep, and renders them`, () => {
      expect(TEMPLATE_NESTING_MAX).toBe(20);
      expect(validate({ html: nestedIf(20), text: nestedIf(19, '{{#each gapSkills}}{{this}} {{/each}}') })).toEqual([]);
      const email = compiler.render(compiler.compile({ subject: 'S', html: nestedIf(20, '<p>{{summary}}</p>'), text: 'T' }), { links: {}, promise: 'yes', summary: 'Deep enough' }, { locale: 'en', timeZone: 'UTC' });
      expect(email.html).toContain('<p>Deep enough</p>');
    });

    it.each([
      ['#if blocks', (depth: number) => nestedIf(depth)],
      ['#unless and ^ blocks', (depth: number) => '{{#unless promise}}{{^promise}}'.repeat(depth / 2) + 'x' + '{{/promise}}{{/unless}}'.repeat(depth / 2)],
      ['{{else if}} chains', (depth: number) => '{{#if promise}}' + '{{else if promise}}'.repeat(depth - 1) + 'x{{/if}}'],
      ['sub-expressions', (depth: number) => '{{list ' + '(list '.repeat(depth - 1) + 'gapSkills' + ')'.repeat(depth - 1) + '}}'],
    ])('refuses %s nested deeper than the limit, naming the part', (_, nested) => {
      expect(messagesFor({ text: nested(20) }).join('\n')).not.toMatch(/nest more than/);
      expect(messagesFor({ text: nested(22) })).toEqual([expect.stringMatching(/^text: line 1: blocks and sub-expressions nest more than 20 levels deep/)]);
    });

    it('refuses thousands of levels at once, with the line where the limit is passed', () => {
      const huge = 'Hi\n' + '{{#if promise}}\n'.repeat(1500) + '{{/if}}'.repeat(1500);
      expect(validate({ subject: '{{#if a}}'.repeat(22), html: huge, text: huge })).toEqual([
        { field: 'subject', messages: [expect.stringMatching(/^line 1: .*more than 20 levels deep/)] },
        { field: 'html', messages: [expect.stringMatching(/^line 22: .*more than 20 levels deep/)] },
        { field: 'text', messages: [expect.stringMatching(/^line 22: .*more than 20 levels deep/)] },
      ]);
    });

    it('counts only what Handlebars reads as blocks: not comments, escapes or closed siblings', () => {
      const siblings = '{{#if promise}}{{summary}}{{/if}}'.repeat(200);
      const commented = `{{!-- ${'{{#if promise}}'.repeat(30)} --}}`;
      const escaped = '\\{{#if promise}}'.repeat(30);
      expect(validate({ html: siblings + commented + escaped })).toEqual([]);
    });

    it('refuses an #each over an outer list inside an #each: the loops would multiply', () => {
      expect(messagesFor({ text: '{{#each gapSkills}}{{#each @root.gapSkills}}{{this}}{{/each}}{{/each}}' })).toEqual([
        'text: line 1: #each inside #each must go over a list of the current item, not "@root.gapSkills"',
      ]);
      expect(messagesFor({ text: '{{#each gapSkills}}{{#with @root}}{{#each gapSkills}}x{{/each}}{{/with}}{{/each}}' }).join('\n'))
        .toMatch(/#each inside #each must go over a list of the current item/);
      expect(messagesFor({ html: '{{#each items}}{{#each ../decisionsOverdue}}x{{/each}}{{/each}}' }, 'feedback_digest').join('\n'))
        .toMatch(/not "..\/decisionsOverdue"/);
    });
  });

  it('reports syntax errors with their line', () => {
    expect(messagesFor({ text: 'Hi\n{{#if promise}}unclosed' }).join('\n')).toMatch(/^text: syntax error: Parse error on line 2/);
  });

  it('keeps the shipped source untouched (validation compiles a copy)', () => {
    expect(files.source('feedback_followup', 'en')).toEqual(followup);
  });
});
