import { SkillKeyStats } from './skill-key-stats';
import { hasKey, levelKey } from './skill-keys';
import { binomial, thresholdOf, TierModel } from './tier-model';

/** A table of a million candidates where the given keys have the given frequencies (others never seen). */
function stats(frequencies: [number, number][], candidates = 1_000_000): SkillKeyStats {
  return { candidates, frequency: new Map(frequencies), rareBelow: 0, filterSelectivity: new Map() };
}

describe('tier model', () => {
  it('derives the lowest level a tier implies for each skill', () => {
    expect(thresholdOf([{ matched: 1, levelSum: 3 }])).toBe(3);
    expect(thresholdOf([{ matched: 2, levelSum: 8 }])).toBe(3);
    expect(thresholdOf([{ matched: 3, levelSum: 4 }])).toBe(0);
    expect(thresholdOf([{ matched: 2, levelSum: 10 }, { matched: 2, levelSum: 7 }])).toBe(2);
  });

  it('lists tiers best first, from the cursor on, down to the least matched skills the query accepts', () => {
    const model = new TierModel([1, 2], stats([]));
    const any = model.tiers(1);
    expect(any).toHaveLength(11 + 6);
    expect(any[0]).toEqual({ matched: 2, levelSum: 10 });
    expect(any[10]).toEqual({ matched: 2, levelSum: 0 });
    expect(any[11]).toEqual({ matched: 1, levelSum: 5 });
    expect(any.at(-1)).toEqual({ matched: 1, levelSum: 0 });
    expect(model.tiers(2)).toHaveLength(11);
    expect(model.tiers(1, { matched: 2, levelSum: 3 })[0]).toEqual({ matched: 2, levelSum: 3 });
    expect(model.tiers(1, { matched: 1, levelSum: 0 })).toEqual([{ matched: 1, levelSum: 0 }]);
  });

  it('estimates tier shares from the element frequencies, assuming skills independent', () => {
    const model = new TierModel([1, 2], stats([
      [hasKey(1), 0.5], [levelKey(1, 3), 0.5],
      [hasKey(2), 0.2], [levelKey(2, 4), 0.2],
    ]));
    expect(model.share({ matched: 2, levelSum: 7 })).toBeCloseTo(0.1);
    expect(model.share({ matched: 1, levelSum: 3 })).toBeCloseTo(0.4);
    expect(model.share({ matched: 1, levelSum: 4 })).toBeCloseTo(0.1);
    expect(model.share({ matched: 0, levelSum: 0 })).toBeCloseTo(0.4);
    const total = [0, 1, 2].flatMap((m) => model.tiers(m).filter((tier) => tier.matched === m)).reduce((sum, tier) => sum + model.share(tier), 0);
    expect(total).toBeCloseTo(1);
  });

  it('fetches everything in one statement while there are no statistics', () => {
    const model = new TierModel([1], stats([]));
    const tiers = model.tiers(1);
    expect(model.nextStep(tiers, 2, 21, 1, true)).toEqual({ end: tiers.length, walk: false, threshold: 0 });
    expect(new TierModel([1], stats([[hasKey(1), 0.5]], 0)).nextStep(tiers, 0, 21, 1, true).walk).toBe(false);
  });

  it('fetches a run of empty or sparse tiers through the index, then walks a dense tier by recency', () => {
    const model = new TierModel([1], stats([[hasKey(1), 0.6], [levelKey(1, 3), 0.6]]));
    const tiers = model.tiers(1);
    // Levels 5 and 4 are (estimated) empty: a fetch finds that at once; level 3 holds 60%: walking finds a page fast.
    expect(model.nextStep(tiers, 0, 21, 1, true)).toEqual({ end: 2, walk: false, threshold: 4 });
    expect(model.nextStep(tiers, 2, 21, 1, true)).toEqual({ end: 3, walk: true, threshold: 0 });
  });

  it('walks a 1% tier without filters, but fetches it when the filters leave few of its members', () => {
    const model = new TierModel([1], stats([[hasKey(1), 0.01], [levelKey(1, 3), 0.01]]));
    const tiers = model.tiers(1);
    expect(model.nextStep(tiers, 2, 21, 1, true).walk).toBe(true);
    expect(model.nextStep(tiers, 2, 21, 0.001, false).walk).toBe(false);
  });

  it('counts subsets', () => {
    expect(binomial(5, 2)).toBe(10);
    expect(binomial(4, 4)).toBe(1);
    expect(binomial(6, 0)).toBe(1);
  });
});
