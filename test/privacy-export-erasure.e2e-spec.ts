import { DataSource } from 'typeorm';
import { CampaignRunner } from '../src/campaign/campaign-runner.service';
import { DeliveryService } from '../src/email/delivery/delivery.service';
import { OutboxService } from '../src/email/outbox.service';
import { SuppressionService } from '../src/email/suppression.service';
import { CandidateEraser } from '../src/privacy/erasure/candidate-eraser';
import { PrivacyJobService } from '../src/privacy/lifecycle/privacy-job.service';
import { EXPORT_SECTIONS } from '../src/privacy/export/export-sections';
import { FeedbackDigestService } from '../src/relationship/feedback-digest.service';
import { TimelineService } from '../src/timeline/timeline.service';
import { interleave } from './support/interleave';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };
const recruiter = { name: 'Rita Recruiter', email: 'rita@acme.test' };
/** What identifies the person; none of it may survive erasure anywhere in the database. */
const PERSON = {
  fullName: 'Zorvald Quimby-Öhrn',
  email: 'zorvald.quimby@example.org',
  phone: '+46 70 555 01 23',
  city: 'Kvikkjokk',
  headline: 'Streaming platform wrangler',
};
const NEEDLES = [PERSON.fullName, 'Zorvald', 'Quimby', PERSON.email, PERSON.phone, PERSON.city, PERSON.headline];

/**
 * Every table that holds candidate data, from the schema itself: the
 * tables with a foreign key to candidate, and to those, transitively.
 * Written independently of the export's own derivation on purpose.
 */
const CANDIDATE_DATA_TABLES = `
  WITH RECURSIVE fk AS (
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
    FROM pg_constraint c WHERE c.contype = 'f'
  ), data(tbl) AS (
    SELECT 'candidate'::text UNION SELECT fk.child FROM fk JOIN data ON fk.parent = data.tbl
  )
  SELECT tbl FROM data WHERE tbl <> 'candidate' ORDER BY tbl`;

describe('Privacy: export and erasure of everything held about a person', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  const api = () => sut.http();
  const sql = <T = Record<string, unknown>>(statement: string, params: unknown[] = []): Promise<T[]> =>
    sut.app.get(DataSource).query(statement, params);
  const deliver = () => sut.app.get(DeliveryService).deliverDue();
  const post = (path: string, body: Record<string, unknown>) => api().post(path).set(sut.admin).send(body);
  let person: { id: string };
  let bystander: { id: string; email: string };
  let campaignId: string;
  let queuedEmailIds: string[];

  async function openVacancy(title: string): Promise<string> {
    return (await post('/api/v1/vacancies', {
      title, hiringManager: manager, recruiter, status: 'open', expectedDecisionDate: '2026-04-15',
      criteria: { skills: [{ name: 'kafka', weight: 5 }, { name: 'go', weight: 3 }] },
    }).expect(201)).body.id;
  }
  async function candidacy(candidateId: string, vacancyId: string, stage?: string): Promise<string> {
    const id = (await post('/api/v1/candidacies', { candidateId, vacancyId }).expect(201)).body.id;
    if (stage) await post(`/api/v1/candidacies/${id}/stage`, { stage }).expect(200);
    return id;
  }
  /** Every text, json and array column of every table in the schema that contains anything identifying the person. */
  async function columnsMentioningThePerson(): Promise<string[]> {
    const columns = await sql<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
       ORDER BY c.table_name, c.ordinal_position`,
    );
    expect(columns.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE ANY ($1::text[])`,
        [NEEDLES.map((needle) => `%${needle}%`)],
      );
      if (n > 0) found.push(`${table}.${column}`);
    }
    return found;
  }
  const campaignStats = async () => (await api().get(`/api/v1/campaigns/${campaignId}/stats`).set(sut.admin).expect(200)).body;
  const feedbackStats = async () =>
    (await api().get('/api/v1/feedback/stats?from=2026-01-01&to=2026-06-30').set(sut.admin).expect(200)).body;

  beforeAll(async () => {
    sut = await startTestApp({
      SMTP_URL: await sink.start(), SEND_WINDOW: 'always', EMAIL_RATE_PER_SECOND: '1000', COMPANY_NAME: 'Acme',
      PUBLIC_BASE_URL: 'https://talent.acme.test', FEEDBACK_DIGEST_HOUR: '8',
    });
    sut.clock.set('2026-03-02T09:00:00Z'); // Monday, 10:00 in Stockholm
    bystander = await addCandidate(sut, { fullName: 'Bystander Person', tags: ['erasure-cohort'] }, { consent: true });
    person = await addCandidate(sut, {
      ...PERSON, skills: [{ name: 'kafka', level: 4 }, { name: 'golang' }], tags: ['erasure-cohort'], source: 'referral',
    });
    const hired = await addCandidate(sut, { fullName: 'Hired Person' });

    // Consent about to expire, so the daily job asks for renewal.
    await post(`/api/v1/candidates/${person.id}/consents`, {
      scope: 'talent_pool', textVersion: 'v1', source: 'application_form', expiresAt: new Date(Date.parse('2026-03-02T09:00:00Z') + 25 * DAY).toISOString(),
    }).expect(201);
    expect(await sut.app.get(PrivacyJobService).runDaily()).toMatchObject({ renewalRequests: 1 });
    await post(`/api/v1/candidates/${person.id}/notes`, { text: `Spoke with ${PERSON.fullName} on ${PERSON.phone}` }).expect(201);
    await post(`/api/v1/candidates/${person.id}/replies`, { channel: 'email', summary: `Zorvald wrote from ${PERSON.email}` }).expect(201);
    await api().get(`/api/v1/candidates/${person.id}`).set(sut.admin).expect(200);

    // A nurture campaign they and the bystander are in, with its first step sent.
    sut.clock.advance(60_000);
    campaignId = (await post('/api/v1/campaigns', {
      name: 'Keep in touch', audience: { tags: ['erasure-cohort'] }, steps: [{ templateKey: 'nurture_checkin', delay: 'P1D' }],
    }).expect(201)).body.id;
    await api().post(`/api/v1/campaigns/${campaignId}/resume`).set(sut.admin).expect(200);
    await sut.app.get(CampaignRunner).runDue();
    sut.clock.advance(DAY);
    await sut.app.get(CampaignRunner).runDue();

    // A final they lost (rank 2, reasons, a promise, feedback by phone), and the vacancy filled: a silver medal.
    const platform = await openVacancy('Platform Engineer');
    const theirs = await candidacy(person.id, platform, 'final');
    const hire = await candidacy(hired.id, platform, 'final');
    await post(`/api/v1/candidacies/${theirs}/decision`, {
      outcome: 'rejected', finalistRank: 2,
      reasons: [{ criterion: 'kafka', note: `Zorvald has not run Kafka in production` }],
      promise: { text: `We call ${PERSON.fullName} first for the next platform role`, skills: ['kafka'] },
    }).expect(200);
    await post(`/api/v1/candidacies/${theirs}/feedback`, {
      channel: 'phone', summary: `Told Zorvald about the Kafka gap; reach him on ${PERSON.phone}`, givenBy: 'Hanna Manager',
    }).set('Idempotency-Key', 'call-with-Zorvald-1').expect(201); // a client may build its key from anything
    await post(`/api/v1/vacancies/${platform}/close`, { outcome: 'filled', hiredCandidacyId: hire }).expect(200);

    // An interview they lost whose feedback is late: the hiring manager's digest names them.
    const data = await openVacancy('Data Engineer');
    const late = await candidacy(person.id, data, 'interview');
    await post(`/api/v1/candidacies/${late}/decision`, { outcome: 'rejected' }).expect(200);
    await deliver();
    sut.clock.set('2026-03-09T08:00:00Z');
    expect(await sut.app.get(FeedbackDigestService).runDaily()).toMatchObject({ ran: true, digests: 1 });
    await deliver();
    expect(sink.to(manager.email).map((mail) => mail.text).join()).toContain(PERSON.fullName);

    // Still in process for a third role: its confirmation email, and a feedback email, wait in the outbox.
    await candidacy(person.id, await openVacancy('Site Reliability Engineer'));
    const [extra] = await sut.app.get(OutboxService).enqueueForCandidates([{
      candidateId: person.id, templateKey: 'application_received', category: 'transactional', idempotencyKey: 'waiting-1',
      data: { vacancy: { title: 'Data Engineer' }, decisionDate: '2026-04-15', recruiter: { name: 'Rita Recruiter' } },
    }]);
    queuedEmailIds = (await sql<{ id: string }>(`SELECT id FROM email WHERE candidate_id = $1 AND status = 'queued'`, [person.id])).map((row) => row.id);
    expect(queuedEmailIds).toContain(extra.id);
    expect(queuedEmailIds.length).toBeGreaterThanOrEqual(2);

    await post('/api/v1/privacy-requests', { kind: 'erasure', candidateId: person.id, notes: `${PERSON.fullName} asked by phone ${PERSON.phone}` })
      .expect(201);
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  it('exports every table the schema ties to the person, as one streamed JSON document', async () => {
    const response = await api().get(`/api/v1/candidates/${person.id}/export`).set(sut.admin).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    }).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="candidate-${person.id}.json"`);
    const document = JSON.parse(response.body as unknown as string);
    expect(document).toMatchObject({ format: 'silverpool-candidate-export/1', candidateId: person.id, exportedAt: sut.clock.now().toISOString() });

    const tables = (await sql<{ tbl: string }>(CANDIDATE_DATA_TABLES)).map((row) => row.tbl);
    expect(tables.length).toBeGreaterThanOrEqual(14);
    const exported = new Set(Object.values(document.sources));
    const unexported = tables.filter((table) => !exported.has(table));
    expect(unexported).toEqual([]);
    // A new table must be named in EXPORT_SECTIONS (and checked against erasure) before this passes.
    const unreviewed = tables.filter((table) => !(table in EXPORT_SECTIONS));
    expect(unreviewed).toEqual([]);
    for (const [section, table] of Object.entries(document.sources)) {
      expect(document.sections).toHaveProperty([section]);
      if (table !== 'candidate' && table !== 'suppression') expect(Array.isArray(document.sections[section])).toBe(true);
    }

    const { sections } = document;
    expect(sections.profile).toMatchObject({ id: person.id, full_name: PERSON.fullName, email: PERSON.email, phone: PERSON.phone });
    // The search keys are the skills section again, encoded for an index.
    expect(Object.keys(sections.profile)).not.toEqual(expect.arrayContaining(['skill_keys']));
    expect(Object.keys(sections.profile)).not.toEqual(expect.arrayContaining(['skill_pairs']));
    for (const populated of [
      'skills', 'consents', 'consentRenewalRequests', 'candidacies', 'candidacyStages', 'decisionGaps', 'feedbackGiven',
      'feedbackDeadlines', 'medals', 'emails', 'replies', 'campaignEnrollments', 'timeline', 'privacyRequests',
      'staffEmailMentions', 'accessLog',
    ]) {
      expect([populated, sections[populated].length > 0]).toEqual([populated, true]);
    }
    expect(sections.candidacies).toHaveLength(3);
    expect(sections.candidacies.find((row: { finalist_rank: number }) => row.finalist_rank === 2)).toMatchObject({
      outcome: 'rejected', reasons: [expect.objectContaining({ criterion: 'kafka', note: 'Zorvald has not run Kafka in production' })],
    });
    expect(sections.feedbackGiven[0].summary).toContain('Kafka gap');
    expect(sections.timeline.map((row: { type: string }) => row.type)).toEqual(expect.arrayContaining(['note_added', 'consent_granted', 'medal_awarded']));
    const renewal = sections.emails.find((row: { template_key: string }) => row.template_key === 'consent_renewal');
    expect(renewal.html_body).toContain('Zorvald');
    expect(sections.emails.map((row: { template_key: string }) => row.template_key)).toEqual(
      expect.arrayContaining(['consent_renewal', 'nurture_checkin', 'feedback_followup', 'application_received']),
    );
    expect(sections.staffEmailMentions).toEqual([expect.objectContaining({ template_key: 'feedback_digest', status: 'sent' })]);
    expect(sections.staffEmailMentions[0]).not.toHaveProperty('html_body');
    expect(sections.accessLog.map((row: { action: string }) => row.action)).toEqual(expect.arrayContaining(['candidate_read', 'consent_granted']));
    expect(sections.emailSuppression).toBeNull();
    expect(document.references.skill).toEqual(expect.objectContaining({ [String(sections.skills[0].skill_id)]: expect.any(String) }));
    expect(Object.values(document.references.vacancy).sort()).toEqual(['Data Engineer', 'Platform Engineer', 'Site Reliability Engineer']);
    expect(Object.values(document.references.campaign)).toEqual(['Keep in touch']);
    // Nothing about anyone else.
    expect(response.body).not.toContain('Hired Person');
    expect(response.body).not.toContain('Bystander Person');
  });

  it('exports only for admins, and 404s an unknown person', async () => {
    expectProblem(await api().get(`/api/v1/candidates/${person.id}/export`).set(await sut.keyFor('recruiter')), 403);
    expectProblem(await api().get('/api/v1/candidates/00000000-0000-4000-8000-000000000000/export').set(sut.admin), 404);
    expectProblem(await api().get('/api/v1/candidates/nope/export').set(sut.admin), 400, ['id']);
  });

  it('erases the person from every table, keeping only a keyed-hash suppression, an audit entry and anonymous counts', async () => {
    const statsBefore = { campaign: await campaignStats(), feedback: await feedbackStats() };
    expect(statsBefore.campaign).toMatchObject({ enrolled: 2, sent: 2 });
    expect(statsBefore.feedback.total).toMatchObject({ owing: 2, given: 1 });
    const sentBefore = sink.to(PERSON.email).length;
    // The scan below finds them wherever they are; before erasure, that is in every module's tables.
    expect(await columnsMentioningThePerson()).toEqual(expect.arrayContaining([
      'candidate.full_name', 'candidate.email', 'candidate.phone', 'candidate.city', 'candidate.headline', 'email.html_body', 'email.text_body',
      'email.to_address', 'touchpoint.payload', 'candidate_reply.summary', 'feedback.summary', 'feedback.idempotency_key',
      'candidacy.reasons', 'candidacy.promise', 'privacy_request.notes',
    ]));
    const bystanderEmails = await sql(`SELECT id FROM email WHERE candidate_id = $1`, [bystander.id]);

    sut.clock.advance(60_000);
    await api().delete(`/api/v1/candidates/${person.id}`).set(sut.admin).set('x-request-id', 'dsr-42').expect(204);

    expectProblem(await api().get(`/api/v1/candidates/${person.id}`).set(sut.admin), 404);
    expectProblem(await api().delete(`/api/v1/candidates/${person.id}`).set(sut.admin), 404);

    expect(await columnsMentioningThePerson()).toEqual([]);
    const [{ n: mentions }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE candidate_id = $1`, [person.id]);
    expect(mentions).toBeGreaterThan(0);

    // Queued emails were cancelled or removed, never sent.
    expect(await sql(`SELECT id FROM email WHERE id = ANY($1::uuid[]) AND status <> 'cancelled'`, [queuedEmailIds])).toEqual([]);
    await deliver();
    expect(sink.to(PERSON.email)).toHaveLength(sentBefore);

    // The address stays blocked, as a hash nobody can read back.
    const hash = sut.app.get(SuppressionService).hashOf(PERSON.email);
    expect(await sql(`SELECT reason FROM suppression WHERE address_hash = $1`, [hash])).toEqual([{ reason: 'erased' }]);
    const [{ id: auditId, ...erased }] = (await api().get(`/api/v1/audit?candidateId=${person.id}&action=candidate_erased`).set(sut.admin)
      .expect(200)).body.items;
    expect(auditId).toEqual(expect.any(String));
    expect(erased).toMatchObject({ requestId: 'dsr-42', actor: { role: 'admin' }, details: { reason: 'request', privacyRequestsClosed: [expect.any(String)] } });

    // Aggregates stay as they were; other people's data is untouched.
    expect(await campaignStats()).toEqual(statsBefore.campaign);
    expect(await feedbackStats()).toEqual(statsBefore.feedback);
    expect(await sql(`SELECT id FROM email WHERE candidate_id = $1`, [bystander.id])).toEqual(bystanderEmails);
    await api().get(`/api/v1/candidates/${bystander.id}`).set(sut.admin).expect(200);
  });

  it('replaces their name in staff emails as a whole word, leaving other people\'s names whole', async () => {
    const al = await addCandidate(sut, { fullName: 'Al' });
    const [digest] = [await sut.app.get(OutboxService).enqueueForStaff({
      toAddress: 'rita.recruiter@acme.test', locale: 'en', timeZone: 'Europe/Stockholm', templateKey: 'match_digest',
      idempotencyKey: 'erasure-short-name-digest',
      data: {
        recipient: { name: 'Rita' }, vacancy: { title: 'Mobile Lead' },
        matches: [
          { candidateName: 'Al', score: 40, explanation: 'Reached the final (Mobile 2025).', promise: false },
          { candidateName: 'Alice Pian', score: 30, explanation: 'Reached the final (Mobile 2025).', promise: false },
        ],
      },
    })];
    await api().delete(`/api/v1/candidates/${al.id}`).set(sut.admin).expect(204);
    const [{ text_body: text }] = await sql<{ text_body: string }>(`SELECT text_body FROM email WHERE id = $1`, [digest!.id]);
    expect(text).toContain('- [erased] – match score 40');
    expect(text).toContain('- Alice Pian – match score 30');
  });

  it('takes their details out of a privacy request logged without a candidate, and leaves other requests alone', async () => {
    const notey = await addCandidate(sut, { fullName: 'Notey Person', email: 'notey@example.org' });
    const unlinked = (await post('/api/v1/privacy-requests', {
      kind: 'erasure', notes: 'Notey Person (notey@example.org) asked by phone to be erased',
    }).expect(201)).body;
    const other = (await post('/api/v1/privacy-requests', { kind: 'access', notes: 'Someone Else asked for a copy' }).expect(201)).body;
    // Other people's addresses that contain theirs: a longer domain, a longer local part.
    const lookalikes = 'Lookalikes asked too: notey@example.org.uk, a.notey@example.org';
    const third = (await post('/api/v1/privacy-requests', { kind: 'access', notes: `${lookalikes}; confirmed to notey@example.org.` }).expect(201)).body;
    await api().delete(`/api/v1/candidates/${notey.id}`).set(sut.admin).expect(204);
    const notes = async (id: string) => (await sql<{ notes: string }>(`SELECT notes FROM privacy_request WHERE id = $1`, [id]))[0].notes;
    expect(await notes(unlinked.id)).toBe('[erased] ([erased]) asked by phone to be erased');
    expect(await notes(other.id)).toBe('Someone Else asked for a copy');
    expect(await notes(third.id)).toBe(`${lookalikes}; confirmed to [erased].`);
  });

  /** A staff digest naming people, as the match digest lists them. */
  const staffDigest = (key: string, names: string[]) => sut.app.get(OutboxService).enqueueForStaff({
    toAddress: 'rita.recruiter@acme.test', locale: 'en', timeZone: 'Europe/Stockholm', templateKey: 'match_digest', idempotencyKey: key,
    data: {
      recipient: { name: 'Rita' }, vacancy: { title: 'Mobile Lead' },
      matches: names.map((candidateName) => ({ candidateName, score: 40, explanation: 'Reached the final.', promise: false })),
    },
  });
  const exportOf = async (id: string) => JSON.parse((await api().get(`/api/v1/candidates/${id}/export`).set(sut.admin).buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    }).expect(200)).body as unknown as string);

  it('erases a batch of many people at once, whose names and addresses take several patterns, longest first', async () => {
    const people = [];
    for (let i = 0; i < 60; i++) {
      people.push(await addCandidate(sut, { fullName: `Batch Person ${i}`, email: `batch.person.${i}@example.org`, phone: `+46 70 555 ${String(1000 + i)}` }));
    }
    const anna = await addCandidate(sut, { fullName: 'Batchanna', email: 'batchanna@example.org' });
    const annaBerg = await addCandidate(sut, { fullName: 'Batchanna Bergström-Lindqvist', email: 'batchanna.berg@example.org' });
    const bystander = 'Batch Person 600 (batch.person.6@example.org.uk)';
    const digest = await staffDigest('erasure-batch-digest', [
      `${people[0].fullName} (${people[0].email})`, `${people[59].fullName} (+46 70 555 1059)`, annaBerg.fullName, anna.fullName, bystander,
    ]);
    await sut.app.get(CandidateEraser).erase([...people, anna, annaBerg].map((person) => person.id), 'request');
    const [{ text_body: text }] = await sql<{ text_body: string }>(`SELECT text_body FROM email WHERE id = $1`, [digest!.id]);
    expect(text).toContain('- [erased] ([erased]) – match score 40');
    expect(text).not.toMatch(/Batch Person (0|59)\b|Batchanna|\b1059\b|Bergström|Lindqvist/);
    expect(text).toContain(`- ${bystander} – match score 40`);
  });

  it('finds and erases the name, email and phone they had before a correction', async () => {
    const before = { fullName: 'Quenby Oldfield', email: 'quenby.old@example.org', phone: '+46 70 999 88 77' };
    const corrected = await addCandidate(sut, before);
    const digest = await staffDigest('erasure-former-name-digest', [`${before.fullName} (${before.email}, ${before.phone})`]);
    await api().patch(`/api/v1/candidates/${corrected.id}`).set(sut.admin)
      .send({ fullName: 'Quenby Newfield', email: 'quenby.new@example.org', phone: '+46 70 111 22 33' }).expect(200);
    // An unrelated edit records nothing; a name corrected by an import row is recorded as by the API.
    await api().patch(`/api/v1/candidates/${corrected.id}`).set(sut.admin).send({ headline: 'Mobile engineer' }).expect(200);
    await api().post('/api/v1/candidates/import').set(sut.admin).set('Content-Type', 'text/csv')
      .send('fullName,email\nQuenby Lastfield,quenby.new@example.org\n').expect(200);

    const exported = await exportOf(corrected.id);
    expect(exported.sections.formerIdentities).toHaveLength(2);
    expect(exported.sections.formerIdentities).toEqual(expect.arrayContaining([
      expect.objectContaining({ full_name: before.fullName, email: before.email, phone: before.phone }),
      expect.objectContaining({ full_name: 'Quenby Newfield', email: 'quenby.new@example.org', phone: '+46 70 111 22 33' }),
    ]));
    // The export lists the staff email that named them by their old name, as erasure finds it.
    expect(exported.sections.staffEmailMentions).toEqual([expect.objectContaining({ id: digest!.id })]);

    await api().delete(`/api/v1/candidates/${corrected.id}`).set(sut.admin).expect(204);
    const [{ text_body: text }] = await sql<{ text_body: string }>(`SELECT text_body FROM email WHERE id = $1`, [digest!.id]);
    expect(text).toContain('- [erased] ([erased], [erased]) – match score 40');
    expect(await sql(`SELECT id FROM candidate_former_identity WHERE candidate_id = $1`, [corrected.id])).toEqual([]);
    // Their address now and the one before are blocked: an old spreadsheet with either does not bring them back.
    const hashOf = (address: string) => sut.app.get(SuppressionService).hashOf(address);
    expect(await sql(`SELECT reason FROM suppression WHERE address_hash = $1`, [hashOf('quenby.new@example.org')])).toEqual([{ reason: 'erased' }]);
    expect(await sql(`SELECT reason FROM suppression WHERE address_hash = $1`, [hashOf(before.email)])).toEqual([{ reason: 'erased' }]);
    const reimport = await api().post('/api/v1/candidates/import').set(sut.admin).set('Content-Type', 'text/csv')
      .send(`fullName,email\n${before.fullName},${before.email}\n`).expect(200);
    expect(reimport.body).toMatchObject({ created: 0, failed: 1, errors: [{ row: 1, field: 'email' }] });
  });

  it('leaves alone a former address that someone else holds now', async () => {
    const first = await addCandidate(sut, { fullName: 'Wren Typo', email: 'wren.shared@example.org' });
    await api().patch(`/api/v1/candidates/${first.id}`).set(sut.admin).send({ email: 'wren.right@example.org' }).expect(200);
    const other = await addCandidate(sut, { fullName: 'Bee Bystander', email: 'wren.shared@example.org' });
    const digest = await staffDigest('erasure-shared-address-digest', ['Bee Bystander (wren.shared@example.org)', 'Wren Typo (wren.right@example.org)']);
    expect((await exportOf(first.id)).sections.staffEmailMentions).toEqual([expect.objectContaining({ id: digest!.id })]);

    await api().delete(`/api/v1/candidates/${first.id}`).set(sut.admin).expect(204);
    const [{ text_body: text }] = await sql<{ text_body: string }>(`SELECT text_body FROM email WHERE id = $1`, [digest!.id]);
    expect(text).toContain('- Bee Bystander (wren.shared@example.org) – match score 40');
    expect(text).toContain('- [erased] ([erased]) – match score 40');
    await api().get(`/api/v1/candidates/${other.id}`).set(sut.admin).expect(200);
    // The address is Bee's now: it stays mailable, also when the former one was stored with an invisible character
    // (written before addresses had one canonical form).
    expect(await sql(`SELECT reason FROM suppression WHERE address_hash = $1`, [sut.app.get(SuppressionService).hashOf('wren.shared@example.org')]))
      .toEqual([]);
    const pasted = await addCandidate(sut, { fullName: 'Pia Pasted', email: 'pia.right@example.org' });
    await sql(`INSERT INTO candidate_former_identity (candidate_id, full_name, email) VALUES ($1, 'Pia Pasted', $2)`, [pasted.id, 'pia.shared\u200b@example.org']);
    const pia = await addCandidate(sut, { fullName: 'Pia Bystander', email: 'pia.shared@example.org' });
    await api().delete(`/api/v1/candidates/${pasted.id}`).set(sut.admin).expect(204);
    expect(await sut.app.get(SuppressionService).reasons(['pia.shared@example.org'])).toEqual(new Map());
    await api().get(`/api/v1/candidates/${pia.id}`).set(sut.admin).expect(200);
  });

  it('knows a former address as someone else\'s also when theirs is stored in an older spelling of it', async () => {
    const typo = await addCandidate(sut, { fullName: 'Tilde Typo', email: 'otto.shared@example.org' });
    // The same address pasted with a zero-width space, as stored before addresses had one canonical form;
    // CanonicalEmailsAndTags left it so because Tilde held the canonical spelling (two records, for a person to merge).
    const [otto] = await sql<{ id: string }>(
      `INSERT INTO candidate (full_name, email, time_zone, locale, status, created_at, updated_at)
       VALUES ('Otto Bystander', $1, 'Europe/Stockholm', 'en', 'active', now(), now()) RETURNING id`, ['otto.shared@example.org\u200b'],
    );
    // The recruiter finds Tilde's address was a typo and corrects it: the address is Otto's alone now.
    await api().patch(`/api/v1/candidates/${typo.id}`).set(sut.admin).send({ email: 'tilde.right@example.org' }).expect(200);
    const digest = await staffDigest('erasure-older-spelling-digest', ['Otto Bystander (otto.shared@example.org\u200b)', 'Tilde Typo (tilde.right@example.org)']);

    await api().delete(`/api/v1/candidates/${typo.id}`).set(sut.admin).expect(204);
    const [{ text_body: text }] = await sql<{ text_body: string }>(`SELECT text_body FROM email WHERE id = $1`, [digest!.id]);
    expect(text).toContain('- Otto Bystander (otto.shared@example.org\u200b) – match score 40');
    expect(text).toContain('- [erased] ([erased]) – match score 40');
    // Otto stays mailable (the suppression list keys an address in its canonical form: his and Tilde's former one are one key).
    expect((await exportOf(otto.id)).sections.emailSuppression).toBeNull();
  });

  it('lets a decision being recorded finish before erasing the person, instead of aborting one of them', async () => {
    const role = await openVacancy('Contended role');
    const contended = await addCandidate(sut, { fullName: 'Cody Contended' });
    const candidacyId = await candidacy(contended.id, role, 'interview');
    // The decision has updated the candidacy and is about to write the person's timeline when the erasure arrives.
    const [decided, erased] = await interleave({
      target: sut.app.get(TimelineService), method: 'record', stopsAt: (args) => args[2] === 'decision_recorded',
      first: async () => (await post(`/api/v1/candidacies/${candidacyId}/decision`, { outcome: 'rejected' })).status,
      rival: async () => (await api().delete(`/api/v1/candidates/${contended.id}`).set(sut.admin)).status,
      db: sut.app.get(DataSource),
    });
    expect(decided).toBe(200);
    expect(erased).toBe(204);
    expectProblem(await api().get(`/api/v1/candidates/${contended.id}`).set(sut.admin), 404);
  });

  describe('with an erasure under way', () => {
    /** Holds the erasure of `personId` once it has taken the person, runs `rival` meanwhile, then lets it finish. */
    const whileErasing = <T>(personId: string, rival: () => Promise<T>) => interleave({
      target: sut.app.get(CandidateEraser) as unknown as { closeErasureRequests: () => Promise<unknown> },
      method: 'closeErasureRequests',
      first: async () => (await api().delete(`/api/v1/candidates/${personId}`).set(sut.admin)).status,
      rival,
      db: sut.app.get(DataSource),
    });

    it('answers an enrolment of that person with a 404, not a 500 from the enrollment\'s foreign key', async () => {
      const leaving = await addCandidate(sut, { fullName: 'Enrolling Erin' });
      await post(`/api/v1/candidates/${leaving.id}/consents`, { scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
      const campaign = (await post('/api/v1/campaigns', {
        name: 'Raced enrolment', steps: [{ templateKey: 'nurture_checkin', delay: 'P1D' }],
      }).expect(201)).body.id;
      const [erased, enrolled] = await whileErasing(leaving.id, () => post(`/api/v1/campaigns/${campaign}/enrollments`, { candidateId: leaving.id }));
      expect(erased).toBe(204);
      expectProblem(enrolled, 404);
    });

    it('leaves that person out of a campaign round enrolling its audience, and enrols the others', async () => {
      const [leaving, staying] = await Promise.all(['Audience Alma', 'Audience Anders'].map((fullName) =>
        addCandidate(sut, { fullName, tags: ['raced-audience'] }, { consent: true })));
      const campaign = (await post('/api/v1/campaigns', {
        name: 'Raced audience', audience: { tags: ['raced-audience'] }, steps: [{ templateKey: 'nurture_checkin', delay: 'P1D' }],
      }).expect(201)).body.id;
      await api().post(`/api/v1/campaigns/${campaign}/resume`).set(sut.admin).expect(200);
      const [erased] = await whileErasing(leaving.id, () => sut.app.get(CampaignRunner).runDue());
      expect(erased).toBe(204);
      const enrolled = (await api().get(`/api/v1/campaigns/${campaign}/enrollments`).set(sut.admin).expect(200)).body.items;
      expect(enrolled.map((item: { candidateId: string }) => item.candidateId)).toEqual([staying.id]);
    });

    it('shows their own profile page, sent meanwhile, a page to read rather than the API\'s problem+json', async () => {
      const leaving = await addCandidate(sut, { fullName: 'Paging Petra' }, { consent: true });
      const page = new URL(sut.app.get(OutboxService).candidateLinks(leaving.id).profile).pathname;
      const [erased, saved] = await whileErasing(leaving.id, async () => api().post(page).type('form').send('city=Lund'));
      expect(erased).toBe(204);
      expect(saved.status).toBe(404);
      expect(saved.headers['content-type']).toMatch(/^text\/html/);
      expect(saved.text).toContain('This link no longer works');
      expect(saved.text).not.toContain(page.split('/')[2]);
    });

    it('closes a vacancy as filled with that person a runner-up: the hire is saved, and they get no medal', async () => {
      const role = await openVacancy('Raced close');
      const leaving = await addCandidate(sut, { fullName: 'Runner-up Rut' });
      const winner = await addCandidate(sut, { fullName: 'Winner Wilma' });
      const theirs = await candidacy(leaving.id, role, 'final');
      const hire = await candidacy(winner.id, role, 'final');
      await post(`/api/v1/candidacies/${theirs}/decision`, { outcome: 'rejected', finalistRank: 2 }).expect(200);
      const [erased, closed] = await whileErasing(leaving.id, () => post(`/api/v1/vacancies/${role}/close`, { outcome: 'filled', hiredCandidacyId: hire }));
      expect(erased).toBe(204);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ hiredCandidacyId: hire, medals: [] });
      expect((await api().get(`/api/v1/vacancies/${role}/medals`).set(sut.admin).expect(200)).body.items).toEqual([]);
    });
  });

  it('waives feedback not yet due when the person is erased: neither owed nor ghosted afterwards', async () => {
    const role = await openVacancy('Waived role');
    const stats = async () => (await api().get(`/api/v1/feedback/stats?vacancyId=${role}&from=2026-01-01&to=2026-12-31`)
      .set(sut.admin).expect(200)).body.total;
    const early = await addCandidate(sut, { fullName: 'Early Erased' });
    const late = await addCandidate(sut, { fullName: 'Late Erased' });
    for (const who of [early, late]) {
      const applied = await candidacy(who.id, role, 'screening');
      await post(`/api/v1/candidacies/${applied}/decision`, { outcome: 'rejected' }).expect(200);
    }
    expect(await stats()).toMatchObject({ owing: 2, ghosted: 0 });
    // One is erased while their feedback is not yet due; the other only after it was already late.
    await api().delete(`/api/v1/candidates/${early.id}`).set(sut.admin).expect(204);
    sut.clock.advance(30 * DAY);
    await api().delete(`/api/v1/candidates/${late.id}`).set(sut.admin).expect(204);
    expect(await stats()).toMatchObject({ owing: 1, given: 0, ghosted: 1 });
  });

  it('refuses a bare DELETE that would leave an email to the person behind without its candidate', async () => {
    await expect(sql(`DELETE FROM candidate WHERE id = $1`, [bystander.id])).rejects.toThrow(/email_candidate_or_erased/);
    await api().get(`/api/v1/candidates/${bystander.id}`).set(sut.admin).expect(200);
  });
});
