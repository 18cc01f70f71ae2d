import { checkTransition, isEditable } from './campaign-status';

describe(checkTransition.name, () => {
  it.each([
    ['draft', 'active'],
    ['active', 'paused'],
    ['paused', 'active'],
    ['draft', 'archived'],
    ['active', 'archived'],
    ['paused', 'archived'],
  ] as const)('allows %s -> %s', (from, to) => {
    expect(checkTransition(from, to)).toEqual({ ok: true, changes: true });
  });

  it('treats asking for the current status as a no-op', () => {
    expect(checkTransition('paused', 'paused')).toEqual({ ok: true, changes: false });
  });

  it.each([
    ['draft', 'paused'],
    ['active', 'draft'],
    ['paused', 'draft'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(checkTransition(from, to).ok).toBe(false);
  });

  it('says why in words that read right', () => {
    expect(checkTransition('active', 'draft')).toEqual({ ok: false, reason: 'An active campaign cannot become draft.' });
    expect(checkTransition('paused', 'draft')).toEqual({ ok: false, reason: 'A paused campaign cannot become draft.' });
  });

  it('refuses every change to an archived campaign, even to archived', () => {
    for (const to of ['draft', 'active', 'paused', 'archived'] as const) {
      expect(checkTransition('archived', to).ok).toBe(false);
    }
  });
});

describe(isEditable.name, () => {
  it('allows editing steps and audience only while draft or paused', () => {
    expect(['draft', 'active', 'paused', 'archived'].filter((status) => isEditable(status as never))).toEqual(['draft', 'paused']);
  });
});
