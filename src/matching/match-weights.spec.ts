import { loadConfig } from '../config/app-config';
import { DEFAULT_WEIGHTS, parseWeights, SIGNALS } from './match-weights';

describe(parseWeights.name, () => {
  it('keeps the defaults, which add up to 100, when nothing is configured', () => {
    expect(parseWeights('')).toEqual(DEFAULT_WEIGHTS);
    expect(SIGNALS.reduce((sum, signal) => sum + DEFAULT_WEIGHTS[signal], 0)).toBe(100);
  });

  it('overrides only the signals named', () => {
    expect(parseWeights(' gapClosure = 25, location=0,skills=37.5 ')).toEqual({
      ...DEFAULT_WEIGHTS, gapClosure: 25, location: 0, skills: 37.5,
    });
  });

  it('refuses unknown signals and out-of-range points, at start-up, naming the variable', () => {
    expect(() => parseWeights('charisma=10')).toThrow(/MATCH_WEIGHTS/);
    expect(() => loadConfig({ MATCH_WEIGHTS: 'charisma=10' })).toThrow(/MATCH_WEIGHTS="charisma=10"/);
    expect(() => loadConfig({ MATCH_WEIGHTS: 'skills=101' })).toThrow(/MATCH_WEIGHTS/);
    expect(loadConfig({ MATCH_WEIGHTS: 'promise=12' }).MATCH_WEIGHTS).toBe('promise=12');
  });
});
