/** The search benchmark's fixed mix of queries, shared by the benchmark and its bare server. */
import { benchSkillName } from './seed';

export interface MixQuery {
  name: string;
  kind: string;
  params: Record<string, string>;
  /** Ask for page 2: the cursor is taken from page 1 before timing. */
  secondPage?: boolean;
}

const rare = (rank: number) => benchSkillName(rank);

/** The fixed mix. Popularity: javascript ~37% of candidates, typescript ~24%, kafka ~1.6%, rank 3000 ~0.02%. */
export const MIX: MixQuery[] = [
  { name: 'typescript', kind: 'common', params: { skills: 'typescript' } },
  { name: 'javascript +consent +SE', kind: 'common', params: { skills: 'javascript', consent: 'valid', country: 'SE' } },
  { name: 'kafka', kind: 'mid', params: { skills: 'kafka' } },
  { name: `rare (rank 3000)`, kind: 'rare', params: { skills: rare(3000) } },
  { name: 'typescript,postgresql,kafka any', kind: 'mixed', params: { skills: 'typescript,postgresql,kafka', match: 'any' } },
  { name: 'typescript,postgresql,kafka all', kind: 'mixed', params: { skills: 'typescript,postgresql,kafka', match: 'all' } },
  { name: 'javascript,typescript all', kind: 'common', params: { skills: 'javascript,typescript', match: 'all' } },
  { name: '5 most common any', kind: 'common', params: { skills: 'javascript,typescript,python,node.js,react', match: 'any' } },
  {
    name: 'python,k8s,terraform all +consent', kind: 'mixed',
    params: { skills: 'python,kubernetes,terraform', match: 'all', consent: 'valid' },
  },
  { name: 'react + 2 rare any', kind: 'mixed', params: { skills: ['react', rare(1500), rare(4000)].join(','), match: 'any' } },
  { name: 'postgresql + rank 600 all', kind: 'mixed', params: { skills: ['postgresql', rare(600)].join(','), match: 'all' } },
  { name: '4 rare any', kind: 'rare', params: { skills: [2500, 3500, 4500, 4900].map(rare).join(','), match: 'any' } },
  {
    name: 'go,k8s,aws,terraform any +tag', kind: 'mixed',
    params: { skills: 'go,k8s,aws,terraform', match: 'any', tags: 'remote-ok' },
  },
  { name: 'c#,.net all +city', kind: 'mixed', params: { skills: 'c#,.net', match: 'all', city: 'stockholm' } },
  { name: '5 mixed all', kind: 'mixed', params: { skills: 'graphql,react,typescript,node.js,mongodb', match: 'all' } },
  { name: 'machine learning,python any +q', kind: 'mixed', params: { skills: 'ml,python', match: 'any', q: 'senior' } },
  { name: 'typescript page 2', kind: 'common', params: { skills: 'typescript' }, secondPage: true },
];
