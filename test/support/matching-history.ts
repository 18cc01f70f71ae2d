import { TestApp } from './test-app';

/** A year before the FakeClock's default "now": history set up at T0 earns no recency points now. */
export const T0 = '2025-03-02T09:00:00.000Z';
export const NOW = '2026-03-02T09:00:00.000Z';

export type SkillSpec = [name: string, level: number | null];

export interface PersonFields {
  skills?: SkillSpec[];
  city?: string;
  country?: string;
  locale?: 'sv' | 'en';
}

export interface CriterionSpec {
  name: string;
  weight?: number;
  required?: boolean;
}

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };
let sequence = 0;

/**
 * Builds pool people and their history through the API, as recruiters
 * would: candidates with consent, vacancies, earlier processes that ended
 * in a rejection with a gap, a promise, or a medal.
 */
export class PoolBuilder {
  constructor(private readonly sut: TestApp) {}

  private api() {
    return this.sut.http();
  }

  /** A candidate with talent-pool consent valid until `consentUntil` (well past NOW by default). */
  async person(fullName: string, fields: PersonFields = {}, consentUntil: string | null = '2027-12-31T00:00:00.000Z'): Promise<string> {
    sequence += 1;
    const created = await this.api().post('/api/v1/candidates').set(this.sut.admin).send({
      fullName,
      email: `${fullName.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}-${sequence}-${Date.now()}@pool.test`,
      ...(fields.city ? { city: fields.city } : {}),
      ...(fields.country ? { country: fields.country } : {}),
      ...(fields.locale ? { locale: fields.locale } : {}),
      skills: (fields.skills ?? []).map(([name, level]) => (level === null ? { name } : { name, level })),
    });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
    if (consentUntil) {
      const granted = this.sut.clock.now();
      const consent = await this.api().post(`/api/v1/candidates/${created.body.id}/consents`).set(this.sut.admin).send({
        scope: 'talent_pool', textVersion: 'v1', source: 'application_form',
        grantedAt: new Date(Math.min(granted.getTime(), new Date(consentUntil).getTime() - 86_400_000)).toISOString(),
        expiresAt: consentUntil,
      });
      if (consent.status !== 201) throw new Error(`consent failed: ${consent.status} ${JSON.stringify(consent.body)}`);
    }
    return created.body.id;
  }

  async vacancy(
    title: string,
    options: { team?: string; location?: string; skills: CriterionSpec[]; status?: 'open' | 'draft'; recruiter?: { name: string; email: string } },
  ): Promise<string> {
    const created = await this.api().post('/api/v1/vacancies').set(this.sut.admin).send({
      title,
      hiringManager: manager,
      ...(options.recruiter ? { recruiter: options.recruiter } : {}),
      ...(options.team ? { team: options.team } : {}),
      ...(options.location ? { location: options.location } : {}),
      status: options.status ?? 'open',
      expectedDecisionDate: '2027-06-30',
      criteria: { skills: options.skills },
    });
    if (created.status !== 201) throw new Error(`vacancy failed: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  async candidacy(candidateId: string, vacancyId: string, stage = 'applied'): Promise<string> {
    const created = await this.api().post('/api/v1/candidacies').set(this.sut.admin).send({ candidateId, vacancyId });
    if (created.status !== 201) throw new Error(`candidacy failed: ${created.status} ${JSON.stringify(created.body)}`);
    if (stage !== 'applied') {
      await this.api().post(`/api/v1/candidacies/${created.body.id}/stage`).set(this.sut.admin).send({ stage }).expect(200);
    }
    return created.body.id;
  }

  /**
   * An earlier process of this person, decided and closed: rejected at
   * `stage` with the gap as skills, optionally a promise; a medal means
   * they were a ranked finalist of a filled vacancy.
   */
  async pastProcess(
    candidateId: string,
    process: {
      title: string;
      team?: string;
      stage: 'screening' | 'interview' | 'final';
      medal?: 'silver' | 'bronze';
      gaps?: string[];
      promise?: { text: string; team?: string; skills?: string[] };
    },
  ): Promise<{ vacancyId: string; candidacyId: string }> {
    const gaps = process.gaps ?? [];
    const vacancyId = await this.vacancy(process.title, {
      team: process.team,
      skills: (gaps.length ? gaps : ['communication']).map((name) => ({ name, weight: 3 })),
    });
    const candidacyId = await this.candidacy(candidateId, vacancyId, process.medal ? 'final' : process.stage);
    const hire = process.medal ? await this.candidacy(await this.person(`Hired Person ${sequence}`, {}, null), vacancyId, 'final') : null;
    await this.api().post(`/api/v1/candidacies/${candidacyId}/decision`).set(this.sut.admin).send({
      outcome: 'rejected',
      ...(process.medal ? { finalistRank: process.medal === 'silver' ? 2 : 3 } : {}),
      reasons: gaps.map((criterion) => ({ criterion })),
      ...(process.promise ? { promise: process.promise } : {}),
    }).expect(200);
    await this.api().post(`/api/v1/vacancies/${vacancyId}/close`).set(this.sut.admin)
      .send(hire ? { outcome: 'filled', hiredCandidacyId: hire } : { outcome: 'cancelled' })
      .expect(200);
    return { vacancyId, candidacyId };
  }
}

export interface RankedItem {
  candidate: { id: string; fullName: string };
  score: number;
  meetsRequired: boolean;
  summary: string;
  signals: { signal: string; points: number; max: number; explanation: string }[];
  matchedSkills: { name: string; level: number | null; weight: number; required: boolean }[];
  missingSkills: { name: string; weight: number; required: boolean }[];
  closedGaps: { skill: string; level: number | null; vacancy: { id: string; title: string } }[];
  promise: { text: string; vacancy: { id: string; title: string } } | null;
  medals: { medal: string; rank: number; vacancy: { id: string; title: string } }[];
  match: { id: string; status: string } | null;
}

export async function ranking(sut: TestApp, vacancyId: string, query = 'limit=100'): Promise<RankedItem[]> {
  const response = await sut.http().get(`/api/v1/vacancies/${vacancyId}/matches?${query}`).set(sut.admin);
  if (response.status !== 200) throw new Error(`ranking failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.items;
}

export const namesOf = (items: RankedItem[]) => items.map((item) => item.candidate.fullName);
