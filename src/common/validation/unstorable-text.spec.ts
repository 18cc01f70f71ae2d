import { MAX_NESTING, unstorableTextErrors } from './unstorable-text';

describe('unstorableTextErrors', () => {
  it('names fields with a NUL character or an unpaired surrogate, anywhere in the input', () => {
    expect(unstorableTextErrors({
      fullName: 'A\u0000B', headline: 'Sur \ud800 rogate', city: 'Göteborg 😀',
      skills: [{ name: 'ok' }, { name: 'tail \udc00' }], tags: ['\ud83d'],
    })).toEqual([
      { field: 'fullName', messages: ['fullName must not contain the NUL character (U+0000)'] },
      { field: 'headline', messages: ['headline must not contain an unpaired surrogate (invalid Unicode)'] },
      { field: 'skills.1.name', messages: ['skills.1.name must not contain an unpaired surrogate (invalid Unicode)'] },
      { field: 'tags.0', messages: ['tags.0 must not contain an unpaired surrogate (invalid Unicode)'] },
    ]);
    expect(unstorableTextErrors('x\u0000', 'q')).toEqual([{ field: 'q', messages: ['q must not contain the NUL character (U+0000)'] }]);
    expect(unstorableTextErrors({ name: 'Åsa 😀', levels: [1, null, true] })).toEqual([]);
  });

  it('refuses nesting deeper than any input of the API, without overflowing the stack however deep it goes', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [error, ...rest] = unstorableTextErrors({ tags: deep });
    expect(rest).toEqual([]);
    expect(error.field).toBe(`tags${'.0'.repeat(MAX_NESTING - 1)}`);
    expect(error.messages).toEqual([`${error.field} is nested more than ${MAX_NESTING} levels deep`]);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_NESTING - 1; i++) fine = [fine];
    expect(unstorableTextErrors({ tags: fine })).toEqual([]);
  });
});
