import { firstNameOf } from './first-name';

describe(firstNameOf.name, () => {
  it.each([
    ['Anna Berg', 'Anna'],
    ['  Anna  Berg ', 'Anna'],
    ['\u200b Anna Berg', 'Anna'],
    ['\u3164\u00a0Åsa Lind', 'Åsa'],
    ['Madonna', 'Madonna'],
    ['李 小龍', '李'],
  ])('greets %p as %p', (fullName, expected) => {
    expect(firstNameOf(fullName)).toBe(expected);
  });
});
