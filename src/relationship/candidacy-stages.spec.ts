import { checkDecision, medalFor, stageChangeConflict } from './candidacy-stages';

describe(stageChangeConflict.name, () => {
  it('allows moving forward, also past a stage', () => {
    expect(stageChangeConflict({ stage: 'applied', outcome: 'pending' }, 'screening')).toBeNull();
    expect(stageChangeConflict({ stage: 'screening', outcome: 'pending' }, 'final')).toBeNull();
  });

  it('refuses going back and changing after a decision; the same stage again is no conflict (a second click)', () => {
    expect(stageChangeConflict({ stage: 'interview', outcome: 'pending' }, 'screening')).toMatch(/only move forward.*interview.*screening/);
    expect(stageChangeConflict({ stage: 'interview', outcome: 'pending' }, 'interview')).toBeNull();
    expect(stageChangeConflict({ stage: 'interview', outcome: 'rejected' }, 'final')).toMatch(/already decided \(rejected\)/);
  });
});

describe(checkDecision.name, () => {
  it('ranks the hire 1 and requires a finalist stage to hire', () => {
    expect(checkDecision({ stage: 'offer', outcome: 'pending' }, { outcome: 'hired' })).toEqual({ ok: true, finalistRank: 1 });
    expect(checkDecision({ stage: 'interview', outcome: 'pending' }, { outcome: 'hired' })).toMatchObject({ ok: false, kind: 'conflict' });
    expect(checkDecision({ stage: 'final', outcome: 'pending' }, { outcome: 'hired', finalistRank: 2 })).toMatchObject({ ok: false, field: 'finalistRank' });
  });

  it('ranks rejected finalists 2 or lower, and nobody else', () => {
    expect(checkDecision({ stage: 'final', outcome: 'pending' }, { outcome: 'rejected', finalistRank: 3 })).toEqual({ ok: true, finalistRank: 3 });
    expect(checkDecision({ stage: 'final', outcome: 'pending' }, { outcome: 'rejected' })).toEqual({ ok: true, finalistRank: null });
    expect(checkDecision({ stage: 'final', outcome: 'pending' }, { outcome: 'rejected', finalistRank: 1 })).toMatchObject({ ok: false, field: 'finalistRank' });
    expect(checkDecision({ stage: 'screening', outcome: 'pending' }, { outcome: 'rejected', finalistRank: 2 })).toMatchObject({ ok: false, field: 'finalistRank' });
    expect(checkDecision({ stage: 'final', outcome: 'pending' }, { outcome: 'withdrew', finalistRank: 2 })).toMatchObject({ ok: false, field: 'finalistRank' });
  });

  it('decides once', () => {
    expect(checkDecision({ stage: 'final', outcome: 'rejected' }, { outcome: 'rejected' })).toMatchObject({ ok: false, kind: 'conflict' });
  });

  it('gives silver to rank 2 and bronze below', () => {
    expect([2, 3, 4].map(medalFor)).toEqual(['silver', 'bronze', 'bronze']);
  });
});
