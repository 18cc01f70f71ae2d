import { explainMatch, invitationReason } from './match-explanation';
import { RankedRow } from './match-ranking';
import { hasKey, levelKey, matchSpec } from './match-spec';
import { DEFAULT_WEIGHTS } from './match-weights';

const now = new Date('2026-03-02T09:00:00Z');
const spec = matchSpec({ id: 'v1', title: 'Platform Engineer', team: 'Platform', location: 'Stockholm (hybrid)' }, [
  { skillId: 1, name: 'kubernetes', weight: 5, required: true },
  { skillId: 2, name: 'go', weight: 4, required: true },
  { skillId: 3, name: 'kafka', weight: 3, required: false },
], DEFAULT_WEIGHTS, now, 'Europe/Stockholm');

function row(overrides: Partial<RankedRow> = {}): RankedRow {
  return {
    id: 'c1', full_name: 'Alva Lindqvist', email: 'alva@example.com', city: 'Stockholm', country: 'SE',
    updated_at: new Date('2026-02-20T09:00:00Z'), held: [hasKey(1), levelKey(1, 4), hasKey(3), levelKey(3, 3)], history_level: 5,
    closed_keys: [24], promise_candidacy_id: 'cy1', contact_at: new Date('2026-01-01T09:00:00Z'), contact_type: 'feedback_given',
    skills_pts: 160, history_pts: 150, gap_pts: 120, promise_pts: 100, profile_pts: 48, location_pts: 50,
    contact_pts: 42, score: 670,
    medals: [{ medal: 'silver', rank: 2, vacancyId: 'v0', vacancyTitle: 'Platform 2025', awardedAt: '2025-06-10T10:00:00+00:00' }],
    best_stage: { stage: 'final', vacancyId: 'v0', vacancyTitle: 'Platform 2025', at: '2025-06-10T10:00:00+00:00' },
    closed_gaps: [
      { skillId: 3, vacancyId: 'v0', vacancyTitle: 'Platform 2025', namedAt: '2025-06-09T10:00:00+00:00' },
      { skillId: 3, vacancyId: 'v9', vacancyTitle: 'Older role', namedAt: '2024-01-01T10:00:00+00:00' },
    ],
    promise: { candidacyId: 'cy1', text: 'We will call you first.', vacancyId: 'v0', vacancyTitle: 'Platform 2025', madeAt: '2025-06-10T10:00:00+00:00' },
    match: null,
    ...overrides,
  };
}

describe(explainMatch.name, () => {
  it('says what matched, what is missing, and why each signal scored, in plain words', () => {
    const explanation = explainMatch(spec, row());
    expect(explanation.meetsRequired).toBe(false);
    expect(explanation.matchedSkills).toEqual([
      { name: 'kubernetes', level: 4, weight: 5, required: true },
      { name: 'kafka', level: 3, weight: 3, required: false },
    ]);
    expect(explanation.missingSkills).toEqual([{ name: 'go', weight: 4, required: true }]);
    expect(explanation.closedGaps).toEqual([{ skill: 'kafka', level: 3, vacancy: { id: 'v0', title: 'Platform 2025' }, namedAt: '2025-06-09T10:00:00.000Z' }]);
    expect(Object.fromEntries(explanation.signals.map((signal) => [signal.signal, signal.explanation]))).toEqual({
      skills: 'Has 2 of 3 skills: kubernetes (level 4) and kafka (level 3). Missing required: go.',
      history: 'Silver medalist for Platform 2025 (June 2025).',
      gapClosure: 'Not chosen for Platform 2025 for lack of kafka; now has kafka (level 3).',
      promise: 'We promised when they were not chosen for Platform 2025: "We will call you first."',
      recentContact: 'Last contact 60 days ago (feedback given).',
      profileUpdate: 'Profile updated 10 days ago.',
      location: 'Lives in Stockholm, where the role is (Stockholm (hybrid)).',
    });
    expect(explanation.signals.map((signal) => signal.points)).toEqual([16, 15, 12, 10, 4.2, 4.8, 5]);
    expect(explanation.score).toBe(67);
    expect(explanation.summary).toBe(
      'Promise to keep: "We will call you first."; closed the kafka gap; silver medalist (Platform 2025); 2 of 3 skills, missing required go; in Stockholm.',
    );
  });

  it('counts days and names months on the organisation\'s calendar, not in 24-hour blocks or UTC', () => {
    // 23:30 last night in Stockholm, 10:00 now: yesterday, though under 24 hours ago; a medal at 00:30 on 1 July is July's.
    const explanation = explainMatch(spec, row({
      contact_at: new Date('2026-03-01T22:30:00Z'), updated_at: new Date('2026-03-02T06:00:00Z'),
      medals: [{ medal: 'silver', rank: 2, vacancyId: 'v0', vacancyTitle: 'Platform 2025', awardedAt: '2025-06-30T22:30:00Z' }],
    }));
    const said = Object.fromEntries(explanation.signals.map((signal) => [signal.signal, signal.explanation]));
    expect(said).toMatchObject({
      recentContact: 'Last contact 1 day ago (feedback given).',
      profileUpdate: 'Profile updated today.',
      history: 'Silver medalist for Platform 2025 (July 2025).',
    });
  });

  it('writes the digest line in Swedish for a Swedish organisation', () => {
    expect(explainMatch(spec, row({ promise: null, promise_candidacy_id: null }), 'sv').summary).toBe(
      'Har stängt gapet i kafka; silvermedaljör (Platform 2025); 2 av 3 kompetenser, saknar kravet go; i Stockholm.',
    );
  });
});

describe(invitationReason.name, () => {
  it('tells the candidate what changed first, then the promise, then their skills; never scores', () => {
    const full = explainMatch(spec, row());
    expect(invitationReason(full, 'en')).toBe('You have since added kafka, which was exactly what we missed last time.');
    const noGap = explainMatch(spec, row({ closed_gaps: [] }));
    expect(invitationReason(noGap, 'sv')).toBe('När vi hördes senast lovade vi att höra av oss om en roll som den här, och nu är den här.');
    const skillsOnly = explainMatch(spec, row({ closed_gaps: [], promise: null }));
    expect(invitationReason(skillsOnly, 'en')).toBe('Your experience with kubernetes and kafka is what the team needs.');
    expect(invitationReason(skillsOnly, 'en')).not.toMatch(/\d/);
  });
});
