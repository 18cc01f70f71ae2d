import { PrivacyJobService } from '../src/privacy/lifecycle/privacy-job.service';
import { addCandidate } from './support/pool';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;
/** 10:00 in Stockholm. */
const T0 = '2026-03-02T09:00:00Z';

describe('Privacy: retention of applicants who never joined the pool', () => {
  let sut: TestApp;
  const api = () => sut.http();
  const runJob = () => sut.app.get(PrivacyJobService).runDaily();
  const exists = async (id: string) => (await api().get(`/api/v1/candidates/${id}`).set(sut.admin)).status === 200;
  let vacancyId: string;
  const apply = async (candidateId: string) =>
    (await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId, vacancyId }).expect(201)).body.id as string;
  const reject = (candidacyId: string) =>
    api().post(`/api/v1/candidacies/${candidacyId}/decision`).set(sut.admin).send({ outcome: 'rejected' }).expect(200);

  beforeAll(async () => {
    sut = await startTestApp({ RETENTION_MONTHS: '24' });
    sut.clock.set(T0);
    vacancyId = (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Data Engineer', hiringManager: { name: 'Hanna Manager', email: 'hanna@acme.test' },
      status: 'open', expectedDecisionDate: '2026-04-15',
    }).expect(201)).body.id;
  });
  afterAll(() => sut.close());

  it('erases RETENTION_MONTHS after the last process ended, never while one is active, and never pool members', async () => {
    const rejected = await addCandidate(sut, { fullName: 'Rejected Applicant' });
    const pending = await addCandidate(sut, { fullName: 'Pending Applicant' });
    const neverApplied = await addCandidate(sut, { fullName: 'Imported Contact' });
    const laterProcess = await addCandidate(sut, { fullName: 'Returning Applicant' });
    const member = await addCandidate(sut, { fullName: 'Pool Member' });
    await api().post(`/api/v1/candidates/${member.id}/consents`).set(sut.admin).send({
      scope: 'talent_pool', textVersion: 'v1', source: 'application_form', expiresAt: '2029-03-02T09:00:00Z',
    }).expect(201);
    const rejectedCandidacy = await apply(rejected.id);
    const pendingCandidacy = await apply(pending.id);
    const firstProcess = await apply(laterProcess.id);
    sut.clock.set(new Date(Date.parse(T0) + DAY));
    await reject(rejectedCandidacy);
    await reject(firstProcess);

    // A year later the returning applicant applies again and is turned down: retention counts from then.
    sut.clock.set('2027-03-02T09:00:00Z');
    const secondVacancy = (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Data Engineer II', hiringManager: { name: 'Hanna Manager', email: 'hanna@acme.test' },
      status: 'open', expectedDecisionDate: '2027-04-15',
    }).expect(201)).body.id;
    const secondProcess = (await api().post('/api/v1/candidacies').set(sut.admin)
      .send({ candidateId: laterProcess.id, vacancyId: secondVacancy }).expect(201)).body.id;
    await reject(secondProcess);

    sut.clock.set('2028-03-02T09:00:00Z'); // 24 months after the first decision, not yet after the day it was made
    expect(await runJob()).toMatchObject({ ran: true, erasedAfterRetention: 1 });
    expect(await exists(neverApplied.id)).toBe(false);
    expect(await exists(rejected.id)).toBe(true);

    sut.clock.set('2028-03-03T09:00:00Z');
    expect(await runJob()).toMatchObject({ ran: true, erasedAfterRetention: 1 });
    expect(await exists(rejected.id)).toBe(false);
    expect(await exists(pending.id)).toBe(true);
    expect(await exists(laterProcess.id)).toBe(true);
    expect(await exists(member.id)).toBe(true);

    // The pending applicant's process ends now; they are kept for another RETENTION_MONTHS.
    await reject(pendingCandidacy);
    sut.clock.set('2029-03-03T09:00:00Z');
    expect(await runJob()).toMatchObject({ ran: true, erasedAfterRetention: 1 });
    expect(await exists(laterProcess.id)).toBe(false);
    expect(await exists(pending.id)).toBe(true);

    sut.clock.set('2030-03-04T09:00:00Z');
    expect(await runJob()).toMatchObject({ ran: true, erasedAfterRetention: 1 });
    expect(await exists(pending.id)).toBe(false);

    const erasures = (await api().get('/api/v1/audit?action=candidate_erased').set(sut.admin).expect(200)).body.items;
    expect(erasures.map((entry: { candidateId: string; details: { reason: string } }) => [entry.candidateId, entry.details.reason])).toEqual([
      [pending.id, 'retention'],
      // The pool member's consent ended in March 2029: erased after the grace period, not by retention.
      [member.id, 'consent_ended'],
      [laterProcess.id, 'retention'],
      [rejected.id, 'retention'],
      [neverApplied.id, 'retention'],
    ]);
  });
});
