import { SUPPORTED_LOCALES } from '../src/config/app-config';
import { TEMPLATE_KEYS } from '../src/template/template-keys';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('TemplateController', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  const preview = (key: string, body: Record<string, unknown> = {}, app = sut) =>
    app.http().post(`/api/v1/templates/${key}/preview`).set(app.admin).send(body);
  const save = (key: string, locale: string, body: Record<string, unknown>) =>
    sut.http().put(`/api/v1/templates/${key}/${locale}`).set(sut.admin).send(body);
  const nurtureOverride = {
    subject: 'Hej igen, {{candidate.firstName}}',
    html: '<p>Hej {{candidate.fullName}}! Allt väl?</p>{{> button href=links.stillInterested label="Ja"}}',
    text: 'Hej {{candidate.fullName}}! Allt väl? {{links.stillInterested}}',
  };

  it('lists every template with its audience and whether each locale is overridden', async () => {
    const response = await sut.http().get('/api/v1/templates').set(sut.admin).expect(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items.map((item: { key: string }) => item.key)).toEqual([...TEMPLATE_KEYS]);
    expect(response.body.items[0]).toEqual({
      key: 'application_received',
      audience: 'candidate',
      locales: [{ locale: 'sv', overridden: false, updatedAt: null }, { locale: 'en', overridden: false, updatedAt: null }],
    });
    expect(response.body.items.find((item: { key: string }) => item.key === 'match_digest').audience).toBe('staff');
  });

  it.each(TEMPLATE_KEYS.flatMap((key) => SUPPORTED_LOCALES.map((locale) => [key, locale] as const)))(
    'renders %s in %s with its sample data',
    async (key, locale) => {
      const { body } = await preview(key, { locale }).expect(200);
      expect(Object.keys(body).sort()).toEqual(['html', 'subject', 'text']);
      expect(body.subject.trim()).not.toBe('');
      expect(body.subject).not.toMatch(/[\r\n]/);
      expect(body.html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${locale}">`));
      expect(body.text).not.toMatch(/<\/?[a-z]+[^>]*>/);
      if (locale === 'sv') {
        expect(body.text).toMatch(/^Hej [^\n]+!/);
        expect(body.text).toMatch(/[åäö]/);
        expect(body.text).toMatch(/(Varma )?[Hh]älsningar/);
      } else {
        expect(body.text).toMatch(/^Hi [^\n]+,/);
        expect(body.text).toMatch(/regards/i);
      }
    },
  );

  it('shows the unsubscribe link only when the email has one', async () => {
    const nurture = await preview('nurture_checkin', { locale: 'sv' }).expect(200);
    expect(nurture.body.html).toContain('href="https://jobs.example.com/u/sample-unsubscribe"');
    expect(nurture.body.text).toContain('Avsluta prenumerationen med ett klick:\nhttps://jobs.example.com/u/sample-unsubscribe');
    const received = await preview('application_received', { locale: 'sv' }).expect(200);
    expect(received.body.html).not.toMatch(/prenumeration/);
  });

  it('renders hostile candidate data as text: escaped in HTML, literal in plain text', async () => {
    const hostile = '<script>alert(1)</script>';
    const braces = '{{constructor}} {{{candidate.fullName}}}';
    const { body } = await preview('screening_feedback', {
      locale: 'en',
      data: { candidate: { firstName: hostile, fullName: braces }, personalMessage: braces },
    }).expect(200);
    expect(body.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(body.html).not.toContain('<script>');
    expect(body.html).toContain(braces);
    expect(body.text).toContain(`Hi ${hostile},`);
    expect(body.text).toContain(`“${braces}”`);

    await save('nurture_checkin', 'en', nurtureOverride).expect(200);
    const overridden = await preview('nurture_checkin', { locale: 'en', data: { candidate: { fullName: hostile } } }).expect(200);
    expect(overridden.body.html).toContain('<p>Hej &lt;script&gt;alert(1)&lt;/script&gt;! Allt väl?</p>');
    expect(overridden.body.text).toContain(`Hej ${hostile}! Allt väl?`);
    await sut.http().delete('/api/v1/templates/nurture_checkin/en').set(sut.admin).expect(204);
  });

  it('merges given data over the sample, and reports data the template cannot render with', async () => {
    const { body } = await preview('new_role_invitation', {
      locale: 'sv',
      data: { vacancy: { title: 'Data Engineer' }, links: { interested: 'https://jobs.example.com/i/x' } },
    }).expect(200);
    expect(body.subject).toBe('Alva, vi tänkte direkt på dig: Data Engineer');
    expect(body.text).toContain('Team: Payments');
    expect(body.html).toContain('href="https://jobs.example.com/i/x"');

    const dated = await preview('application_received', { locale: 'en', data: { decisionDate: '2026-03-20T23:30:00Z' }, timeZone: 'America/New_York' }).expect(200);
    expect(dated.body.text).toContain('by Friday, 20 March 2026');

    const problem = expectProblem(await preview('application_received', { data: { decisionDate: 'soon' } }), 400, ['data']);
    expect(problem.code).toBe('TemplateInvalid');
    expect(problem.errors[0].messages[0]).toMatch(/formatDate needs an ISO 8601 date/);
    const missing = expectProblem(await preview('nurture_checkin', { data: { links: { stillInterested: null } } }), 400, ['data']);
    expect(missing.errors[0].messages).toEqual(['missing required data: links.stillInterested']);
    expectProblem(await preview('application_received', { timeZone: 'Mars/Olympus' }), 400, ['timeZone']);
    expectProblem(await preview('application_received', { data: 'x' }), 400, ['data']);
    expectProblem(await preview('application_received', { locale: 'de' }), 400, ['locale']);
    expectProblem(await preview('application_received', { colour: 'red' }), 400, ['colour']);
  });

  it('falls back to DEFAULT_LOCALE when no locale is given', async () => {
    const swedish = await startTestApp({ DEFAULT_LOCALE: 'sv' }, { databaseUrl: sut.databaseUrl });
    try {
      expect((await preview('consent_renewal', {}, swedish).expect(200)).body.subject).toBe('Vill du vara kvar i vår talangpool?');
      const source = await swedish.http().get('/api/v1/templates/consent_renewal').set(swedish.admin).expect(200);
      expect(source.body).toMatchObject({ key: 'consent_renewal', locale: 'sv', overridden: false, updatedAt: null });
    } finally {
      await swedish.close();
    }
    expect((await preview('consent_renewal').expect(200)).body.subject).toBe('Would you like to stay in our talent pool?');
  });

  it('saves an override that previews and renders at once, on every instance, and reverts on delete', async () => {
    const original = await sut.http().get('/api/v1/templates/nurture_checkin?locale=sv').set(sut.admin).expect(200);
    expect(original.body).toMatchObject({ locale: 'sv', overridden: false, audience: 'candidate', fields: { required: expect.arrayContaining(['links.stillInterested']) } });
    expect(original.body.html).toContain('{{> button href=links.stillInterested');

    const other = await startTestApp({}, { databaseUrl: sut.databaseUrl });
    try {
      await preview('nurture_checkin', { locale: 'sv' }, other).expect(200); // warms the other instance's cache
      const saved = await save('nurture_checkin', 'sv', nurtureOverride).expect(200);
      expect(saved.body).toMatchObject({ ...nurtureOverride, key: 'nurture_checkin', locale: 'sv', overridden: true, updatedAt: '2026-03-02T09:00:00.000Z' });

      const onOther = await preview('nurture_checkin', { locale: 'sv' }, other).expect(200);
      expect(onOther.body.subject).toBe('Hej igen, Alva');
      expect(onOther.body.text).toMatch(/^Hej Alva Lindqvist! Allt väl\?/);
      expect(onOther.body.html).toContain('Avsluta prenumerationen'); // the layout's footer stays

      // Same clock time, new text: the cache must still notice.
      await save('nurture_checkin', 'sv', { ...nurtureOverride, subject: 'Hej på dig, {{candidate.firstName}}' }).expect(200);
      expect((await preview('nurture_checkin', { locale: 'sv' }, other).expect(200)).body.subject).toBe('Hej på dig, Alva');

      const list = await sut.http().get('/api/v1/templates').set(sut.admin).expect(200);
      expect(list.body.items.find((item: { key: string }) => item.key === 'nurture_checkin').locales).toEqual([
        { locale: 'sv', overridden: true, updatedAt: '2026-03-02T09:00:00.000Z' },
        { locale: 'en', overridden: false, updatedAt: null },
      ]);

      await sut.http().delete('/api/v1/templates/nurture_checkin/sv').set(sut.admin).expect(204);
      expect((await preview('nurture_checkin', { locale: 'sv' }, other).expect(200)).body.subject).toBe('Hur har du det, Alva?');
      const reverted = await sut.http().get('/api/v1/templates/nurture_checkin?locale=sv').set(sut.admin).expect(200);
      expect(reverted.body).toMatchObject({ overridden: false, html: original.body.html });
      expectProblem(await sut.http().delete('/api/v1/templates/nurture_checkin/sv').set(sut.admin), 404);
    } finally {
      await other.close();
    }
  });

  it('rejects unsafe or broken overrides, naming each part, and keeps the old text', async () => {
    const problem = expectProblem(await save('feedback_followup', 'en', {
      subject: 'x'.repeat(301),
      html: '<p>{{{candidate.fullName}}} {{candidate.constructor}}</p>',
      text: '{{lookup candidate "fullName"}} {{vacancy.titel}}',
    }), 400, ['subject', 'html', 'text']);
    expect(problem.code).toBe('TemplateInvalid');
    const messages = (field: string) => problem.errors.find((error: { field: string }) => error.field === field).messages.join('\n');
    expect(messages('subject')).toMatch(/at most 300 characters/);
    expect(messages('html')).toMatch(/triple-stash/);
    expect(messages('html')).toMatch(/"constructor" cannot be used/);
    expect(messages('text')).toMatch(/unknown helper "lookup"/);
    expect(messages('text')).toMatch(/unknown field "vacancy.titel"/);

    const unguarded = expectProblem(await save('feedback_followup', 'sv', { subject: 'Hej', html: '<p>{{promise}}</p>', text: 'Hej' }), 400, ['html']);
    expect(unguarded.errors[0].messages[0]).toMatch(/without optional fields: "promise" not defined/);
    expectProblem(await save('feedback_followup', 'sv', { subject: 'Hej', html: '{{> unsubscribe}}', text: 'Hej' }), 400, ['html']);
    expectProblem(await save('feedback_followup', 'sv', { subject: 'Hej', html: '<p>x</p>' }), 400, ['text']);
    expectProblem(await save('feedback_followup', 'sv', { subject: 'Hej', html: '<p>x</p>', text: 'x', extra: 1 }), 400, ['extra']);

    const current = await sut.http().get('/api/v1/templates/feedback_followup?locale=en').set(sut.admin).expect(200);
    expect(current.body.overridden).toBe(false);
  });

  it('refuses templates nested deeper than 20 levels, naming the part, and saves and renders one at the limit', async () => {
    const nested = (depth: number, field: string) => `{{#if ${field}}}`.repeat(depth) + 'Deep {{candidate.firstName}}' + '{{/if}}'.repeat(depth);
    const tooDeep = expectProblem(await save('application_received', 'en', { subject: 'S', html: nested(3000, 'a'), text: nested(21, 'candidate.firstName') }), 400, ['html', 'text']);
    expect(tooDeep.code).toBe('TemplateInvalid');
    expect(tooDeep.errors).toEqual([
      { field: 'html', messages: [expect.stringMatching(/^line 1: blocks and sub-expressions nest more than 20 levels deep/)] },
      { field: 'text', messages: [expect.stringMatching(/^line 1: blocks and sub-expressions nest more than 20 levels deep/)] },
    ]);
    expect((await sut.http().get('/api/v1/templates/application_received?locale=en').set(sut.admin).expect(200)).body.overridden).toBe(false);

    const atLimit = { subject: 'S {{candidate.firstName}}', html: `<p>${nested(20, 'candidate.firstName')}</p>`, text: nested(20, 'candidate.firstName') };
    await save('application_received', 'en', atLimit).expect(200);
    const { body } = await preview('application_received', { locale: 'en' }).expect(200);
    expect(body.subject).toBe('S Alva');
    expect(body.html).toContain('<p>Deep Alva</p>');
    expect(body.text).toMatch(/^Deep Alva/);
    await sut.http().delete('/api/v1/templates/application_received/en').set(sut.admin).expect(204);
  });

  it('lets viewers read and preview but only recruiters change templates', async () => {
    const viewer = await sut.keyFor('viewer');
    await sut.http().get('/api/v1/templates').set(viewer).expect(200);
    await sut.http().get('/api/v1/templates/match_digest').set(viewer).expect(200);
    await sut.http().post('/api/v1/templates/match_digest/preview').set(viewer).send({}).expect(200);
    expectProblem(await sut.http().put('/api/v1/templates/nurture_checkin/en').set(viewer).send(nurtureOverride), 403);
    expectProblem(await sut.http().delete('/api/v1/templates/nurture_checkin/en').set(viewer), 403);
    expectProblem(await sut.http().get('/api/v1/templates'), 401);

    const recruiter = await sut.keyFor('recruiter');
    await sut.http().put('/api/v1/templates/nurture_checkin/en').set(recruiter).send(nurtureOverride).expect(200);
    await sut.http().delete('/api/v1/templates/nurture_checkin/en').set(recruiter).expect(204);
  });

  it('records an email its template cannot render for one person as failed, and lets the request that sent it succeed', async () => {
    // Saved after a trial render with a short sample name; a 200-character name of ampersands (each one
    // "&amp;" in HTML) takes the body past the 512 KB cap.
    const source = (await sut.http().get('/api/v1/templates/application_received?locale=en').set(sut.admin).expect(200)).body;
    await save('application_received', 'en', { subject: source.subject, text: source.text, html: `{{#with candidate}}${'{{fullName}}'.repeat(4000)}{{/with}}` }).expect(200);
    try {
      const vacancy = (await sut.http().post('/api/v1/vacancies').set(sut.admin).send({
        title: 'Render test', hiringManager: { name: 'Hanna Berg', email: 'hanna@acme.test' }, recruiter: { name: 'Rita Recruiter', email: 'rita@acme.test' },
        status: 'open', expectedDecisionDate: '2026-04-15',
      }).expect(201)).body.id;
      const person = async (fullName: string, email: string) =>
        (await sut.http().post('/api/v1/candidates').set(sut.admin).send({ fullName, email, locale: 'en' }).expect(201)).body.id;
      const longName = await person('&'.repeat(200), 'amp@example.com');
      const shortName = await person('Ada', 'ada@example.com');
      for (const candidateId of [longName, shortName]) {
        await sut.http().post('/api/v1/candidacies').set(sut.admin).send({ candidateId, vacancyId: vacancy }).expect(201);
      }
      const mail = async (candidateId: string) => (await sut.http().get(`/api/v1/emails?candidateId=${candidateId}`).set(sut.admin).expect(200)).body.items;
      expect(await mail(longName)).toEqual([expect.objectContaining({
        templateKey: 'application_received', status: 'failed',
        lastError: 'The template could not be rendered for this recipient: html: the html body renders to more than 512 KB',
      })]);
      expect(await mail(shortName)).toEqual([expect.objectContaining({ templateKey: 'application_received', status: 'held' })]);

      // Feedback by email is that email: one that cannot be rendered reaches nobody, so it is refused and not recorded.
      const feedback = (await sut.http().get('/api/v1/templates/screening_feedback?locale=en').set(sut.admin).expect(200)).body;
      await save('screening_feedback', 'en', { subject: feedback.subject, text: feedback.text, html: `{{#with candidate}}${'{{fullName}}'.repeat(4000)}{{/with}}` }).expect(200);
      const [candidacy] = (await sut.http().get(`/api/v1/candidates/${longName}/candidacies`).set(sut.admin).expect(200)).body.items;
      await sut.http().post(`/api/v1/candidacies/${candidacy.id}/decision`).set(sut.admin).send({ outcome: 'rejected' }).expect(200);
      const refused = expectProblem(await sut.http().post(`/api/v1/candidacies/${candidacy.id}/feedback`).set(sut.admin)
        .send({ channel: 'email', givenBy: 'Rita Recruiter', summary: 'Thank you for applying.' }), 400);
      expect(refused.code).toBe('TemplateInvalid');
      expect((await sut.http().get(`/api/v1/candidacies/${candidacy.id}`).set(sut.admin).expect(200)).body).toMatchObject({ feedback: [], feedbackDue: { closedAt: null } });
    } finally {
      await sut.http().delete('/api/v1/templates/application_received/en').set(sut.admin).expect(204);
      await sut.http().delete('/api/v1/templates/screening_feedback/en').set(sut.admin);
    }
  });

  it('answers 404 for an unknown template and 400 for an unsupported locale', async () => {
    const problem = expectProblem(await sut.http().get('/api/v1/templates/welcome').set(sut.admin), 404);
    expect(problem.code).toBe('TemplateNotFound');
    expectProblem(await save('welcome', 'en', nurtureOverride), 404);
    expectProblem(await sut.http().delete('/api/v1/templates/welcome/en').set(sut.admin), 404);
    expectProblem(await preview('welcome'), 404);
    expectProblem(await save('nurture_checkin', 'de', nurtureOverride), 400, ['locale']);
    expectProblem(await sut.http().get('/api/v1/templates/nurture_checkin?locale=de').set(sut.admin), 400, ['locale']);
  });
});
