import type { AddressObject } from 'mailparser';
import { DataSource } from 'typeorm';
import { EmailAboutVacancy1764464800000 } from '../migrations/1764464800000-EmailAboutVacancy';
import { CampaignRunner } from '../src/campaign/campaign-runner.service';
import { DeliveryService } from '../src/email/delivery/delivery.service';
import { SuppressionService } from '../src/email/suppression.service';
import { addCandidate } from './support/pool';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { ACME_MAIL_ENV } from './support/mail-env';

const DAY = 86_400_000;
const SHARED_MAILBOX = [{ name: 'Acme Recruiting', address: 'recruiting@acme.test' }];
const ENV = ACME_MAIL_ENV;

interface Contact {
  name: string;
  email: string;
}

/** The Reply-To as the candidate's mail client reads it: who "Reply" writes to. */
function replyTo(mail: ReceivedMail): { name: string; address?: string }[] | undefined {
  const header = mail.headers.get('reply-to') as AddressObject | undefined;
  return header?.value.map(({ name, address }) => ({ name, address }));
}

/**
 * Emails to a candidate about a vacancy (the confirmation of an application,
 * feedback, an invitation to a new role) are answered to the people who run
 * that vacancy's process; nurture mail to the shared mailbox (MAIL_REPLY_TO).
 */
let people = 0;
/** Staff addresses of their own per test, so one test's bounce is not another's. */
const staff = (role: string, name: string): Contact => ({ name, email: `${role}.${++people}@acme.test` });
const mailbox = (contact: Contact) => [{ name: contact.name, address: contact.email }];

/** What recruiters do through the API, and what the candidate's mailbox gets. */
function recruitingFlows(sut: () => TestApp, sink: SmtpSink) {
  const api = () => sut().http();
  const admin = () => sut().admin;
  const deliver = () => sut().app.get(DeliveryService).deliverDue();

  async function openVacancy(team: { recruiter?: Contact | null; hiringManager: Contact }, skills: object[] = []): Promise<string> {
    return (await api().post('/api/v1/vacancies').set(admin()).send({
      title: 'Platform Engineer', status: 'open', expectedDecisionDate: '2026-04-15', criteria: { skills }, ...team,
    }).expect(201)).body.id;
  }

  /** A new applicant, rejected after the phone screen: their confirmation is queued, and email feedback is owed. */
  async function rejectedApplicant(vacancyId: string) {
    const candidate = await addCandidate(sut(), { locale: 'en' });
    const candidacy = (await api().post('/api/v1/candidacies').set(admin()).send({ candidateId: candidate.id, vacancyId }).expect(201)).body.id;
    await api().post(`/api/v1/candidacies/${candidacy}/stage`).set(admin()).send({ stage: 'screening' }).expect(200);
    await api().post(`/api/v1/candidacies/${candidacy}/decision`).set(admin()).send({ outcome: 'rejected' }).expect(200);
    return { candidate, candidacy: candidacy as string };
  }

  /** Feedback by email; the id of the email it queued. */
  async function emailFeedback(candidacyId: string): Promise<string> {
    return (await api().post(`/api/v1/candidacies/${candidacyId}/feedback`).set(admin()).send({
      channel: 'email', givenBy: 'Rita', summary: 'We are looking for more hands-on Kafka in production.',
    }).expect(201)).body.emailId;
  }

  /** Sends what is due, and the message the SMTP server received for one outbox row. */
  async function delivered(emailId: string): Promise<ReceivedMail> {
    await deliver();
    const { messageId, status } = (await api().get(`/api/v1/emails/${emailId}`).set(admin()).expect(200)).body;
    expect(status).toBe('sent');
    return sink.received.find((mail) => mail.messageId === messageId)!;
  }

  /** A pool member with this skill, invited to the vacancy from its matches; the id of the invitation email. */
  async function invitedFromMatching(vacancyId: string, skill: string): Promise<string> {
    const candidate = await addCandidate(sut(), { locale: 'en', skills: [{ name: skill, level: 4 }] }, { consent: true });
    await api().post(`/api/v1/vacancies/${vacancyId}/matches/run`).set(admin()).expect(200);
    const matches = (await api().get(`/api/v1/matches?vacancyId=${vacancyId}`).set(admin()).expect(200)).body.items;
    const match = matches.find((item: { candidate: { id: string } }) => item.candidate.id === candidate.id);
    return (await api().post(`/api/v1/matches/${match.id}/invite`).set(admin()).send({}).expect(200)).body.invitationEmailId;
  }

  return { openVacancy, rejectedApplicant, emailFeedback, delivered, invitedFromMatching, deliver };
}

describe('Reply-To of candidate emails', () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  const api = () => sut.http();
  const { openVacancy, rejectedApplicant, emailFeedback, delivered, invitedFromMatching, deliver } = recruitingFlows(() => sut, sink);

  beforeAll(async () => {
    sut = await startTestApp({ SMTP_URL: await sink.start(), ...ENV });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  it("answers feedback, and the application's confirmation, to the vacancy's recruiter", async () => {
    const recruiter = staff('recruiter', 'Rita Lund');
    const vacancy = await openVacancy({ recruiter, hiringManager: staff('manager', 'Hanna Berg') });
    const { candidate, candidacy } = await rejectedApplicant(vacancy);
    const emailId = await emailFeedback(candidacy);
    expect((await api().get(`/api/v1/emails/${emailId}`).set(sut.admin).expect(200)).body.vacancyId).toBe(vacancy);
    const feedback = await delivered(emailId);
    expect(feedback.to).toBe(candidate.email.toLowerCase());
    expect(replyTo(feedback)).toEqual(mailbox(recruiter));
    // "Just reply to this email and Rita Lund will get back to you."
    const confirmation = sink.to(candidate.email).find((mail) => mail.text.includes('Just reply to this email'))!;
    expect(replyTo(confirmation)).toEqual(mailbox(recruiter));
  });

  it('answers it to the hiring manager when the vacancy has no recruiter', async () => {
    const manager = staff('manager', 'Hanna Berg');
    const { candidacy } = await rejectedApplicant(await openVacancy({ hiringManager: manager }));
    expect(replyTo(await delivered(await emailFeedback(candidacy)))).toEqual(mailbox(manager));
  });

  it('passes over a recruiter whose address bounced for the hiring manager, and both for the shared mailbox', async () => {
    const recruiter = staff('recruiter', 'Rita Lund');
    const manager = staff('manager', 'Hanna Berg');
    const { candidacy } = await rejectedApplicant(await openVacancy({ recruiter, hiringManager: manager }));
    // The list is keyed by the canonical form: the bounce is found however the address was spelt.
    await sut.app.get(SuppressionService).suppress(recruiter.email.toUpperCase(), 'hard_bounce');
    expect(replyTo(await delivered(await emailFeedback(candidacy)))).toEqual(mailbox(manager));

    const other = await rejectedApplicant(await openVacancy({ recruiter, hiringManager: manager }));
    await sut.app.get(SuppressionService).suppress(manager.email, 'complaint');
    expect(replyTo(await delivered(await emailFeedback(other.candidacy)))).toEqual(SHARED_MAILBOX);
  });

  it('answers to the recruiter the vacancy has when the email is sent, not when it was queued', async () => {
    const vacancy = await openVacancy({ recruiter: staff('recruiter', 'Rita Lund'), hiringManager: staff('manager', 'Hanna Berg') });
    const { candidacy } = await rejectedApplicant(vacancy);
    const emailId = await emailFeedback(candidacy);
    const takesOver = staff('recruiter', 'Sam Nyberg');
    await api().patch(`/api/v1/vacancies/${vacancy}`).set(sut.admin).send({ recruiter: takesOver }).expect(200);
    expect(replyTo(await delivered(emailId))).toEqual(mailbox(takesOver));
  });

  it('puts any display name in the header as one name of one address', async () => {
    const recruiter = staff('recruiter', 'Åström, Rita "RL" <rita.private@elsewhere.test>');
    const { candidacy } = await rejectedApplicant(await openVacancy({ recruiter, hiringManager: staff('manager', 'Hanna Berg') }));
    const mail = await delivered(await emailFeedback(candidacy));
    expect(replyTo(mail)).toEqual(mailbox(recruiter));
    expect(mail.raw).not.toContain('rita.private@elsewhere.test');
  });

  it("answers an invitation to a new role from matching to that role's recruiter", async () => {
    const recruiter = staff('recruiter', 'Rita Lund');
    const vacancy = await openVacancy({ recruiter, hiringManager: staff('manager', 'Hanna Berg') }, [{ name: 'erlang', required: true }]);
    expect(replyTo(await delivered(await invitedFromMatching(vacancy, 'erlang')))).toEqual(mailbox(recruiter));
  });

  it("keeps the shared mailbox for nurture mail, also to someone who got a recruiter's feedback", async () => {
    const tag = `reply-to-${Date.now()}`;
    const vacancy = await openVacancy({ recruiter: staff('recruiter', 'Rita Lund'), hiringManager: staff('manager', 'Hanna Berg') });
    const { candidate, candidacy } = await rejectedApplicant(vacancy);
    await api().patch(`/api/v1/candidates/${candidate.id}`).set(sut.admin).send({ tags: [tag] }).expect(200);
    await api().post(`/api/v1/candidates/${candidate.id}/consents`).set(sut.admin)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
    await delivered(await emailFeedback(candidacy));
    const campaign = (await api().post('/api/v1/campaigns').set(sut.admin).send({
      name: 'Check-in', audience: { tags: [tag] }, steps: [{ templateKey: 'nurture_checkin', delay: 'P1D' }],
    }).expect(201)).body.id;
    await api().post(`/api/v1/campaigns/${campaign}/resume`).set(sut.admin).expect(200);
    await sut.app.get(CampaignRunner).runDue();
    sut.clock.advance(DAY);
    await sut.app.get(CampaignRunner).runDue();
    await deliver();
    const checkin = sink.to(candidate.email).find((mail) => mail.header('list-unsubscribe'))!;
    expect(replyTo(checkin)).toEqual(SHARED_MAILBOX);
  });
});

/** Mail queued before the migration, sent after it: answered to the recruiter too. */
describe(EmailAboutVacancy1764464800000.name, () => {
  const sink = new SmtpSink();
  let sut: TestApp;
  const { openVacancy, rejectedApplicant, emailFeedback, delivered, invitedFromMatching } = recruitingFlows(() => sut, sink);
  const migration = new EmailAboutVacancy1764464800000();
  async function migrate(step: 'up' | 'down'): Promise<void> {
    const runner = sut.app.get(DataSource).createQueryRunner();
    try {
      await migration[step](runner);
    } finally {
      await runner.release();
    }
  }
  const hasColumn = async () => (await sut.app.get(DataSource).query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'email' AND column_name = 'vacancy_id'`,
  )).length > 0;

  beforeAll(async () => {
    sut = await startTestApp({ SMTP_URL: await sink.start(), ...ENV });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  it('reverts cleanly, and gives the confirmation, feedback and invitation still queued their vacancy', async () => {
    const recruiter = staff('recruiter', 'Rita Lund');
    const vacancy = await openVacancy({ recruiter, hiringManager: staff('manager', 'Hanna Berg') }, [{ name: 'elixir', required: true }]);
    const { candidate, candidacy } = await rejectedApplicant(vacancy);
    const feedback = await emailFeedback(candidacy);
    const invitation = await invitedFromMatching(vacancy, 'elixir');

    await migrate('down');
    expect(await hasColumn()).toBe(false);
    await migrate('up');
    expect(await hasColumn()).toBe(true);

    expect(replyTo(await delivered(feedback))).toEqual(mailbox(recruiter));
    expect(replyTo(await delivered(invitation))).toEqual(mailbox(recruiter));
    const confirmation = sink.to(candidate.email).find((mail) => mail.text.includes('Just reply to this email'))!;
    expect(replyTo(confirmation)).toEqual(mailbox(recruiter));
  });
});
