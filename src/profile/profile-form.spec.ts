import { readProfileForm } from './profile-form';

const current = { skills: [{ name: 'kafka', level: 3 }, { name: 'go', level: null }], city: 'Göteborg', country: 'SE' };

describe(readProfileForm.name, () => {
  it('sends on only what changed, trimmed and typed as the API expects', async () => {
    const form = await readProfileForm({ skill: ['Kafka', ' go ', 'Rust', ''], level: ['3', '', '2', ''], city: ' Malmö ', country: 'se' }, current);
    expect(form.errors).toEqual([]);
    expect(form.changedFields).toEqual(['skills', 'city']);
    expect(form.changes).toEqual({ skills: [{ name: 'Kafka', level: 3 }, { name: 'go' }, { name: 'Rust', level: 2 }], city: 'Malmö' });
  });

  it('leaves alone what the form did not send, and treats an unchanged form as no change', async () => {
    expect((await readProfileForm({ interest: 'not_now' }, current)).changedFields).toEqual([]);
    const same = await readProfileForm({ skill: ['go', 'kafka'], level: ['', '3'], city: 'Göteborg', country: 'SE' }, current);
    expect(same.changedFields).toEqual([]);
    expect(same.interest).toBeNull();
  });

  it('refuses what the API refuses, field by field, and unknown fields', async () => {
    const form = await readProfileForm({ skill: 'kafka', level: '7', country: 'Sweden', email: 'x@y.z', interest: 'maybe' }, current);
    expect(form.errors.map((error) => error.field).sort()).toEqual(['country', 'email', 'interest', 'skills.0.level']);
    expect(form.typed.skills).toEqual([{ name: 'kafka', level: 7 }]);
  });

  it('refuses anything but text (a JSON body is not the form)', async () => {
    const form = await readProfileForm({ skill: [{ name: 'kafka' }], city: 42 }, current);
    expect(form.errors.map((error) => error.field).sort()).toEqual(['city', 'skill']);
  });

  it('clears the city when emptied, and reads an invitation id only if it is one', async () => {
    const form = await readProfileForm({ city: '', match: 'not-an-id' }, current);
    expect(form.changes).toEqual({ city: null });
    expect(form.matchId).toBeNull();
    expect((await readProfileForm({ match: '5f0c7c1e-8f7e-4a55-9a0e-2b1a3c4d5e6f' }, current)).matchId).toBe('5f0c7c1e-8f7e-4a55-9a0e-2b1a3c4d5e6f');
  });
});
