import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, Locale } from '../config/app-config';
import { TemplateCompiler } from './template-compiler';
import { findTemplateDirectory, TemplateFiles } from './template-files';
import { sampleData, TemplateKey } from './template-keys';
import { TemplateRenderer } from './template-renderer';

describe(TemplateRenderer.name, () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'silverpool-templates-'));
    cpSync(findTemplateDirectory(), directory, { recursive: true });
    // A deployment where two templates exist in one language only.
    for (const part of ['subject', 'html', 'text']) {
      rmSync(join(directory, 'en', `consent_request.${part}.hbs`));
      rmSync(join(directory, 'sv', `match_digest.${part}.hbs`));
    }
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** No overrides stored: the database answers every lookup with no rows. */
  const rendererWith = (defaultLocale: Locale) => {
    const files = TemplateFiles.load(directory);
    const query = async () => [];
    const noOverrides = { query, manager: { query } } as unknown as DataSource;
    return new TemplateRenderer(noOverrides, { DEFAULT_LOCALE: defaultLocale } as AppConfig, files, new TemplateCompiler(files));
  };
  const render = (defaultLocale: Locale, key: TemplateKey, locale: Locale) =>
    rendererWith(defaultLocale).render(key, locale, sampleData(key, locale), { timeZone: 'Europe/Stockholm' });

  it('uses the candidate\'s locale when the template exists in it', async () => {
    expect((await render('en', 'nurture_checkin', 'sv')).text).toMatch(/^Hej Alva!/);
    expect((await render('sv', 'nurture_checkin', 'en')).text).toMatch(/^Hi Alva,/);
  });

  it('falls back to the default locale, then English', async () => {
    expect((await render('sv', 'consent_request', 'en')).subject).toBe('Får vi höra av oss när rätt roll dyker upp?');
    expect((await render('en', 'match_digest', 'sv')).subject).toBe('New strong matches for Backend Engineer');
    expect((await render('sv', 'match_digest', 'sv')).subject).toBe('New strong matches for Backend Engineer');
    expect((await render('en', 'nurture_checkin', 'de' as Locale)).text).toMatch(/^Hi Alva,/);
  });

  it('names a feedback digest by what it holds: feedback owed, decisions overdue, data requests', async () => {
    const sample = sampleData('feedback_digest', 'en') as Record<string, unknown[]>;
    const digest = async (locale: Locale, parts: { decisions?: boolean; requests?: boolean }) => (await rendererWith('en').render('feedback_digest', locale, {
      ...sample,
      items: [],
      decisionsOverdue: parts.decisions ? sample.decisionsOverdue : undefined,
      privacyRequests: parts.requests ? sample.privacyRequests : undefined,
    }, { timeZone: 'Europe/Stockholm' })).subject;
    expect(sample.decisionsOverdue?.length && sample.privacyRequests?.length).toBeTruthy();
    expect(await digest('en', { decisions: true })).toBe('Candidates waiting for a decision');
    expect(await digest('sv', { decisions: true })).toBe('Kandidater som väntar på besked');
    expect(await digest('en', { decisions: true, requests: true })).toBe('Candidates waiting for a decision and overdue data requests');
    expect(await digest('en', { requests: true })).toBe('Data requests past their legal deadline');
  });

  it('refuses an unknown key and an unknown time zone', async () => {
    const sut = rendererWith('en');
    await expect(sut.render('nope' as TemplateKey, 'en', {}, { timeZone: 'UTC' })).rejects.toMatchObject({ code: 'TemplateNotFound' });
    await expect(sut.render('nurture_checkin', 'en', {}, { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });

  it('names the required data a caller left out, including values only handed to a partial', async () => {
    const sut = rendererWith('en');
    const attempt = sut.render('application_received', 'en', { candidate: { firstName: 'A', fullName: 'A B' } }, { timeZone: 'UTC' });
    await expect(attempt).rejects.toMatchObject({
      code: 'TemplateInvalid',
      extra: { errors: [{ field: 'data', messages: ['missing required data: company.name, vacancy.title, decisionDate, recruiter.name'] }] },
    });
    const { links: _links, ...withoutLinks } = sampleData('nurture_checkin', 'en');
    await expect(sut.render('nurture_checkin', 'en', withoutLinks, { timeZone: 'UTC' })).rejects.toMatchObject({
      extra: { errors: [{ field: 'data', messages: ['missing required data: links.stillInterested'] }] },
    });
    const digest = { ...sampleData('feedback_digest', 'en'), items: [{ candidateName: 'X' }] };
    await expect(sut.render('feedback_digest', 'en', digest, { timeZone: 'UTC' })).rejects.toMatchObject({
      extra: { errors: [{ field: 'data', messages: [expect.stringMatching(/^missing required data: items\[\]\.vacancyTitle/)] }] },
    });
  });

  it('reports data of the wrong shape as TemplateInvalid naming data and the part', async () => {
    const data = { ...sampleData('application_received', 'en'), decisionDate: 'soon' };
    await expect(rendererWith('en').render('application_received', 'en', data, { timeZone: 'UTC' })).rejects.toMatchObject({
      code: 'TemplateInvalid',
      extra: { errors: [{ field: 'data', messages: ['html: formatDate needs an ISO 8601 date, got "soon"'] }] },
    });
  });

  it('stops start-up when a template is missing a part', () => {
    rmSync(join(directory, 'sv', 'consent_renewal.text.hbs'));
    expect(() => TemplateFiles.load(directory)).toThrow('Template sv/consent_renewal is incomplete');
  });
});
