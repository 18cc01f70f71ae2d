import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { SkillService } from '../skill/skill.service';
import { CandidateSearchService } from './candidate-search.service';
import { CandidateViews } from './candidate.view';
import { SearchCandidatesQuery } from './dto/search-candidates.query';

describe('CandidateSearchService admission (SEARCH_CONCURRENCY)', () => {
  it('runs at most SEARCH_CONCURRENCY searches at once and lets the rest in first come, first served', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const started: string[] = [];
    // The first step of every search; asking for a skill nobody has ends the search right after it.
    const skills = {
      resolve: async (names: string[]) => {
        started.push(names[0]);
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return { names, ids: new Map<string, number>() };
      },
    } as unknown as SkillService;
    const config = Object.assign(new AppConfig(), { SEARCH_CONCURRENCY: 2 });
    const service = new CandidateSearchService({} as DataSource, skills, {} as CandidateViews, new Clock(), config);

    const asked = ['a', 'b', 'c', 'd', 'e', 'f'];
    const pages = await Promise.all(asked.map((skill) => service.search(Object.assign(new SearchCandidatesQuery(), { skills: [skill] }))));

    expect(pages).toEqual(asked.map(() => ({ items: [], nextCursor: null })));
    expect(mostAtOnce).toBe(2);
    expect(started).toEqual(asked);
  });
});
