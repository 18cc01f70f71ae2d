import { TemplateCompiler, TemplateRenderError } from './template-compiler';
import { TemplateFiles, TemplateSource } from './template-files';

describe(TemplateCompiler.name, () => {
  const sut = new TemplateCompiler(TemplateFiles.load());
  const source = (patch: Partial<TemplateSource>): TemplateSource => ({ subject: 'S', html: '<p>H</p>', text: 'T', ...patch });
  const render = (patch: Partial<TemplateSource>, data: Record<string, unknown>, locale: 'sv' | 'en' = 'en') =>
    sut.render(sut.compile(source(patch)), { links: {}, ...data }, { locale, timeZone: 'Europe/Stockholm' });

  it('HTML-escapes values in the HTML body only, and never evaluates them', () => {
    const name = '<script>alert(1)</script> {{constructor}}';
    const email = render({ subject: 'Hi {{name}}', html: '<p>{{name}}</p>', text: 'Hi {{name}}' }, { name });
    expect(email.html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt; {{constructor}}</p>');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toBe(`Hi ${name}`);
    expect(email.subject).toBe(`Hi ${name}`);
  });

  it('puts the body in the layout with the subject as the title, and the unsubscribe link only when given', () => {
    const without = render({ subject: 'Tom & Jerry' }, {});
    expect(without.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(without.html).toContain('<title>Tom &amp; Jerry</title>');
    expect(without.html).not.toMatch(/unsubscribe/i);
    const withLink = render({}, { links: { unsubscribe: 'https://x.test/u?a=1&b=2' } }, 'sv');
    expect(withLink.html).toContain('<a href="https://x.test/u?a&#x3D;1&amp;b&#x3D;2" style="color:#4b5563;">Avsluta prenumerationen</a>');
    expect(withLink.text).toMatch(/Avsluta prenumerationen med ett klick:\nhttps:\/\/x\.test\/u\?a=1&b=2$/);
  });

  it('keeps the subject on one line (no header injection) and cuts it at 255 characters', () => {
    expect(render({ subject: '{{s}}' }, { s: 'Hello\r\nBcc: victim@example.com\u2028x' }).subject).toBe('Hello Bcc: victim@example.com x');
    const long = render({ subject: '{{s}}' }, { s: 'a'.repeat(400) }).subject;
    expect(long).toHaveLength(255);
    expect(long.endsWith('…')).toBe(true);
    expect(() => render({ subject: '{{s}}' }, { s: ' \n ' })).toThrow('the subject renders empty');
  });

  it('formats dates in the reader\'s language and time zone, and lists with a locale-aware "and"', () => {
    const html = '<p>{{formatDate due}} | {{list skills}}</p>';
    const data = { due: '2026-03-20T23:30:00Z', skills: ['Kafka', 'Go', 'SQL'] };
    expect(render({ html }, data, 'sv').html).toContain('<p>lördag 21 mars 2026 | Kafka, Go och SQL</p>');
    expect(render({ html }, data, 'en').html).toContain('<p>Saturday, 21 March 2026 | Kafka, Go and SQL</p>');
    expect(render({ html: '{{formatDate due}}' }, { due: '2026-03-20' }, 'sv').html).toContain('fredag 20 mars 2026');
    expect(() => render({ html: '{{formatDate due}}' }, { due: 'next week' })).toThrow(/formatDate needs an ISO 8601 date/);
    expect(() => render({ html: '{{list due}}' }, { due: 'Kafka' })).toThrow(/list needs an array/);
  });

  it('is strict: a missing field is an error naming the part and the field', () => {
    const attempt = () => render({ text: 'Hi {{candidate.firstName}}' }, { candidate: {} });
    expect(attempt).toThrow(TemplateRenderError);
    expect(attempt).toThrow(/"firstName" not defined/);
    try {
      attempt();
    } catch (error) {
      expect((error as TemplateRenderError).part).toBe('text');
    }
  });

  it('refuses helpers other than ours and prototype access, even without the save-time check', () => {
    expect(() => render({ html: '{{lookup a "b"}}' }, { a: { b: 1 } })).toThrow(/unknown helper lookup/);
    expect(() => render({ html: '{{log a}}' }, { a: 1 })).toThrow(/unknown helper log/);
    expect(render({ html: '[{{#if a.constructor}}leak{{/if}}{{a.__proto__}}]' }, { a: {} }).html).toContain('[]');
  });

  it('refuses to render a part nested past the limit (an override stored before it existed), naming the part', () => {
    const deep = '{{#if a}}'.repeat(500) + 'x' + '{{/if}}'.repeat(500);
    const attempt = () => render({ text: deep }, { a: true });
    expect(attempt).toThrow(/nest more than 20 levels deep/);
    try {
      attempt();
    } catch (error) {
      expect((error as TemplateRenderError).part).toBe('text');
    }
    expect(render({ text: '{{#if a}}'.repeat(20) + 'deep' + '{{/if}}'.repeat(20) }, { a: true }).text).toBe('deep');
  });

  it('refuses a body that renders past 512 KB, however cheaply it was built', () => {
    const body = '{{#each items}}' + 'x'.repeat(40_000) + '{{/each}}';
    expect(() => render({ html: body }, { items: Array.from({ length: 5_000 }, () => '') })).toThrow('the html body renders to more than 512 KB');
  });

  it('compiles once per cache key', () => {
    const first = sut.remember('k:en:v1', source({}));
    expect(sut.cached('k:en:v1')).toBe(first);
    expect(sut.cached('k:en:v2')).toBeUndefined();
  });
});
