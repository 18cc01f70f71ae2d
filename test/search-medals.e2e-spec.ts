import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { SearchCandidatesQuery } from '../src/candidate/dto/search-candidates.query';
import { rankCandidates } from '../src/candidate/search/candidate-ranking';
import { searchFilters } from '../src/candidate/search/search-filters';
import { SkillKeyStats } from '../src/candidate/search/skill-key-stats';
import { AppConfig } from '../src/config/app-config';
import { hasKey, levelKey, MAX_LEVEL } from '../src/candidate/search/skill-keys';
import { addCandidate } from './support/pool';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

interface Hit {
  id: string;
  matchedSkills: string[];
  medals: { vacancyId: string; vacancyTitle: string; medal: string; rank: number; awardedAt: string; gapSkills: string[] }[];
}

const manager = { name: 'Hanna Manager', email: 'hanna.manager@acme.test' };

describe('Search by medals and finalists', () => {
  let sut: TestApp;
  let vacancyId: string;
  const people: Record<'hire' | 'silver' | 'bronze' | 'unranked' | 'screened' | 'outsider', string> = {
    hire: '', silver: '', bronze: '', unranked: '', screened: '', outsider: '',
  };
  const api = () => sut.http();
  const search = async (query: string): Promise<Hit[]> =>
    (await api().get(`/api/v1/candidates?${query}`).set(sut.admin).expect(200)).body.items;
  const ids = (hits: Hit[]) => hits.map((hit) => hit.id);
  /** Every page of a search with one hit per page, following the cursors. */
  async function allPages(query: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: Hit[]; nextCursor: string | null } } = await api()
        .get(`/api/v1/candidates?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`).set(sut.admin).expect(200);
      seen.push(...ids(response.body.items));
      cursor = response.body.nextCursor;
    } while (cursor);
    return seen;
  }

  beforeAll(async () => {
    sut = await startTestApp();
    vacancyId = (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Platform Engineer', hiringManager: manager, status: 'open', expectedDecisionDate: '2026-04-15',
      criteria: { skills: [{ name: 'kafka', weight: 5, required: true }, { name: 'go' }] },
    }).expect(201)).body.id;
    const candidacy = async (stage: string, skills: { name: string; level: number }[]) => {
      const candidate = await addCandidate(sut, { skills });
      const id = (await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: candidate.id, vacancyId }).expect(201)).body.id as string;
      if (stage !== 'applied') await api().post(`/api/v1/candidacies/${id}/stage`).set(sut.admin).send({ stage }).expect(200);
      return { id, candidateId: candidate.id };
    };
    const decide = (id: string, body: Record<string, unknown>) =>
      api().post(`/api/v1/candidacies/${id}/decision`).set(sut.admin).send(body).expect(200);

    const hire = await candidacy('offer', [{ name: 'kafka', level: 5 }]);
    const silver = await candidacy('final', [{ name: 'kafka', level: 3 }, { name: 'go', level: 2 }]);
    const bronze = await candidacy('final', [{ name: 'go', level: 4 }]);
    const unranked = await candidacy('final', [{ name: 'kafka', level: 1 }]);
    const screened = await candidacy('screening', [{ name: 'kafka', level: 5 }]);
    await decide(silver.id, { outcome: 'rejected', finalistRank: 2, reasons: [{ criterion: 'kafka', note: 'more Kafka in production' }] });
    await decide(bronze.id, { outcome: 'rejected', finalistRank: 3, reasons: [{ criterion: 'go' }] });
    await decide(unranked.id, { outcome: 'rejected' });
    await api().post(`/api/v1/vacancies/${vacancyId}/close`).set(sut.admin).send({ outcome: 'filled', hiredCandidacyId: hire.id }).expect(200);
    Object.assign(people, {
      hire: hire.candidateId, silver: silver.candidateId, bronze: bronze.candidateId, unranked: unranked.candidateId,
      screened: screened.candidateId, outsider: (await addCandidate(sut, { skills: [{ name: 'kafka', level: 4 }] })).id,
    });
  });
  afterAll(() => sut.close());

  it('finds silver medalists only (a bronze or a hire is not one), and everyone else with silverMedalist=false', async () => {
    expect(ids(await search('silverMedalist=true'))).toEqual([people.silver]);
    const others = ids(await search('silverMedalist=false&limit=100'));
    expect(others.sort()).toEqual([people.hire, people.bronze, people.unranked, people.screened, people.outsider].sort());
  });

  it('finds every finalist of a vacancy: the hire, the medalists and the unranked, not those who left earlier', async () => {
    const finalists = [people.hire, people.silver, people.bronze, people.unranked];
    expect(ids(await search(`finalistOf=${vacancyId}&limit=100`)).sort()).toEqual([...finalists].sort());
    const paged = await allPages(`finalistOf=${vacancyId}`);
    expect(paged).toEqual(ids(await search(`finalistOf=${vacancyId}&limit=100`)));
    expect(await search('finalistOf=00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('combines the medal filters with skills, ranking and paging as usual', async () => {
    const ranked = [people.hire, people.silver, people.unranked];
    expect(ids(await search(`finalistOf=${vacancyId}&skills=kafka`))).toEqual(ranked);
    expect(await allPages(`finalistOf=${vacancyId}&skills=kafka`)).toEqual(ranked);
    expect(ids(await search('silverMedalist=true&skills=go,kafka&match=all'))).toEqual([people.silver]);
    expect(ids(await search(`silverMedalist=false&finalistOf=${vacancyId}&skills=go`))).toEqual([people.bronze]);
  });

  it('applies the medal filters on the recency walk too, cursor included', async () => {
    // Statistics that make every tier look dense, so the ranking walks by recency instead of fetching.
    const dataSource = sut.app.get(DataSource);
    const [{ id: kafka }] = await dataSource.query(`SELECT id FROM skill WHERE name = 'kafka'`);
    const frequency = new Map<number, number>([[hasKey(kafka), 0.9]]);
    for (let level = 0; level <= MAX_LEVEL; level++) frequency.set(levelKey(kafka, level), 0.15);
    const query = plainToInstance(SearchCandidatesQuery, { finalistOf: vacancyId, skills: ['kafka'] });
    const filters = searchFilters(query, sut.clock.now(), sut.app.get(AppConfig).DEFAULT_TIME_ZONE);
    // ... and filters that look unselective (the planner would say a handful of a million).
    const stats: SkillKeyStats = { candidates: 1_000_000, frequency, rareBelow: 0, filterSelectivity: new Map([[filters.signature, 1]]) };
    const connection = dataSource.createQueryRunner();
    const statements: string[] = [];
    try {
      const rank = (after?: { matched: number; levelSum: number; updated: string; id: string }) =>
        rankCandidates((sql, params) => (statements.push(sql), connection.query(sql, params)), stats, {
          skillIds: [kafka], matchAll: false, need: 10, filters, after,
        });
      const rows = await rank();
      expect(rows.map((row) => row.id)).toEqual([people.hire, people.silver, people.unranked]);
      expect((await rank(rows[0])).map((row) => row.id)).toEqual([people.silver, people.unranked]);
      // The walk spells the skill test as intarray's functions; a fetch would use the operators.
      expect(statements.some((sql) => sql.includes('_int_overlap(c.skill_keys'))).toBe(true);
    } finally {
      await connection.release();
    }
  });

  it('shows a candidate\'s medals with their gap skills, on the candidate and in search hits', async () => {
    const silver = (await api().get(`/api/v1/candidates/${people.silver}`).set(sut.admin).expect(200)).body;
    expect(silver.medals).toEqual([
      { vacancyId, vacancyTitle: 'Platform Engineer', medal: 'silver', rank: 2, awardedAt: expect.any(String), gapSkills: ['kafka'] },
    ]);
    expect(Date.parse(silver.medals[0].awardedAt)).toBe(sut.clock.now().getTime());
    const bronze = (await api().get(`/api/v1/candidates/${people.bronze}`).set(sut.admin).expect(200)).body;
    expect(bronze.medals).toEqual([expect.objectContaining({ medal: 'bronze', rank: 3, gapSkills: ['go'] })]);
    expect((await api().get(`/api/v1/candidates/${people.hire}`).set(sut.admin).expect(200)).body.medals).toEqual([]);
    const hits = await search(`finalistOf=${vacancyId}&limit=100`);
    expect(hits.find((hit) => hit.id === people.silver)!.medals).toEqual(silver.medals);
    expect(hits.find((hit) => hit.id === people.unranked)!.medals).toEqual([]);
  });

  it('refuses bad filter values, naming the field', async () => {
    expectProblem(await api().get('/api/v1/candidates?silverMedalist=maybe').set(sut.admin), 400, ['silverMedalist']);
    expectProblem(await api().get('/api/v1/candidates?finalistOf=42').set(sut.admin), 400, ['finalistOf']);
  });
});
