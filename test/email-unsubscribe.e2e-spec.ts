import { OutboxService } from '../src/email/outbox.service';
import { DeliveryService } from '../src/email/delivery/delivery.service';
import { UnsubscribeService } from '../src/email/unsubscribe/unsubscribe.service';
import { addCandidate } from './support/pool';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

describe('One-click unsubscribe', () => {
  const sink = new SmtpSink();
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({
      SMTP_URL: await sink.start(),
      SEND_WINDOW: 'always',
      PUBLIC_BASE_URL: 'https://talent.acme.test',
    });
  });
  afterAll(async () => {
    await sut.close();
    await sink.stop();
  });

  const sendNurture = async (candidateId: string, key = `n-${Math.random()}`) => {
    const [queued] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: key, data: {} },
    ]);
    await sut.app.get(DeliveryService).deliverDue();
    return queued;
  };
  const candidateStatus = async (id: string) =>
    (await sut.http().get(`/api/v1/candidates/${id}`).set(sut.admin).expect(200)).body.status;

  it('puts RFC 8058 headers and a visible link in nurture mail, and one POST unsubscribes', async () => {
    const candidate = await addCandidate(sut, { fullName: 'Una Subscriber' }, { consent: true });
    await sendNurture(candidate.id);
    const [mail] = sink.to(candidate.email);
    const header = String(mail.header('list-unsubscribe'));
    const match = /^<https:\/\/talent\.acme\.test\/u\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)>$/.exec(header);
    expect(match).not.toBeNull();
    const token = match![1];
    expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.html).toContain(`https://talent.acme.test/u/${token}`);
    expect(mail.text).toContain(`https://talent.acme.test/u/${token}`);
    expect(token).not.toContain(candidate.email);
    expect(Buffer.from(token.split('.')[0], 'base64url').toString()).not.toMatch(/Una|@/);

    // The outbox shows the links' tokens to admin keys only (a token acts as the candidate), and audits the read.
    const [stored] = (await sut.http().get(`/api/v1/emails?limit=100`).set(sut.admin).expect(200)).body.items
      .filter((email: { candidateId: string }) => email.candidateId === candidate.id);
    const asAdmin = (await sut.http().get(`/api/v1/emails/${stored.id}`).set(sut.admin).expect(200)).body;
    expect(asAdmin.textBody).toContain(`/u/${token}`);
    for (const role of ['viewer', 'recruiter'] as const) {
      const shown = (await sut.http().get(`/api/v1/emails/${stored.id}`).set(await sut.keyFor(role)).expect(200)).body;
      expect(JSON.stringify(shown)).not.toContain(token);
      expect(shown.textBody).toContain('https://talent.acme.test/u/[token]');
      expect(shown.headers['List-Unsubscribe']).toBe('<https://talent.acme.test/u/[token]>');
      expect(shown.htmlBody).not.toMatch(/\/(p|u|c|consent)\/[\w-]+\.[\w-]+/);
    }
    const reads = (await sut.http().get(`/api/v1/audit?candidateId=${candidate.id}&action=candidate_read`).set(sut.admin).expect(200)).body.items;
    expect(reads.filter((entry: { details: { emailId?: string } }) => entry.details.emailId === stored.id)).toHaveLength(3);

    const page = await sut.http().get(`/u/${token}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<form method="post"');
    expect(await candidateStatus(candidate.id)).toBe('active');

    const first = await sut.http().post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(first.headers.location).toBeUndefined();
    expect(first.headers['set-cookie']).toBeUndefined();
    await sut.http().post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await candidateStatus(candidate.id)).toBe('opted_out');

    const after = await sendNurture(candidate.id);
    expect(after.status).toBe('suppressed');
    expect(sink.to(candidate.email)).toHaveLength(1);
  });

  it('cancels nurture queued before the unsubscribe, so nothing is sent', async () => {
    const candidate = await addCandidate(sut, {}, { consent: true });
    const [queued] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: candidate.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: 'between:1', data: {} },
    ]);
    const token = /\/u\/([^>]+)>/.exec((await sut.http().get(`/api/v1/emails/${queued.id}`).set(sut.admin)).body.headers['List-Unsubscribe'])![1];
    await sut.http().post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await sut.app.get(DeliveryService).deliverDue();
    const shown = await sut.http().get(`/api/v1/emails/${queued.id}`).set(sut.admin).expect(200);
    expect(shown.body.status).toBe('cancelled');
    expect(sink.to(candidate.email)).toHaveLength(0);
  });

  it('lets only the candidate undo it, through their link', async () => {
    const candidate = await addCandidate(sut, {}, { consent: true });
    const [queued] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: candidate.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: 'undo:1', data: {} },
    ]);
    const token = /\/u\/([^>]+)>/.exec((await sut.http().get(`/api/v1/emails/${queued.id}`).set(sut.admin)).body.headers['List-Unsubscribe'])![1];
    await sut.http().post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    // The link opened again says they are unsubscribed and offers the way back, rather than asking again.
    const reopened = await sut.http().get(`/u/${token}`).expect(200);
    expect(reopened.text).toContain('You are unsubscribed');
    expect(reopened.text).toContain(`/u/${token}/resubscribe`);
    const patch = await sut.http().patch(`/api/v1/candidates/${candidate.id}`).set(sut.admin).send({ status: 'active' });
    expect(patch.status).toBe(200);
    // A recruiter re-activating the profile does not re-subscribe the person.
    const blocked = await sendNurture(candidate.id);
    expect(blocked.status).toBe('suppressed');

    await sut.http().post(`/u/${token}/resubscribe`).type('form').send('').expect(200);
    expect(await candidateStatus(candidate.id)).toBe('active');
    const sent = await sendNurture(candidate.id);
    expect(sent.status).toBe('queued');
    expect(sink.to(candidate.email)).toHaveLength(1);
  });

  it('does nothing (and does not fail) for a person erased between opening the page and clicking', async () => {
    const unsubscribe = sut.app.get(UnsubscribeService);
    await expect(unsubscribe.unsubscribe('00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
    await expect(unsubscribe.resubscribe('00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
  });

  it('answers a tampered or foreign token with a 400 page, never a 500', async () => {
    const candidate = await addCandidate(sut, {}, { consent: true });
    const [queued] = await sut.app.get(OutboxService).enqueueForCandidates([
      { candidateId: candidate.id, templateKey: 'nurture_checkin', category: 'nurture', idempotencyKey: 'tamper:1', data: {} },
    ]);
    const token = /\/u\/([^>]+)>/.exec((await sut.http().get(`/api/v1/emails/${queued.id}`).set(sut.admin)).body.headers['List-Unsubscribe'])![1];
    const [payload, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify(['unsubscribe', '00000000-0000-4000-8000-000000000000', 0])).toString('base64url');
    // The last character replaced by a different one (a fixed "x" left the token intact when it already ended in x).
    const tamperedMac = `${mac.slice(0, -1)}${mac.endsWith('x') ? 'y' : 'x'}`;
    for (const bad of [`${payload}.${tamperedMac}`, `${other}.${mac}`, 'garbage', `${payload}`, 'a.b.c']) {
      const response = await sut.http().post(`/u/${bad}`).type('form').send('List-Unsubscribe=One-Click');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      await sut.http().get(`/u/${bad}`).expect(400);
    }
    expect(await candidateStatus(candidate.id)).toBe('active');
  });
});
