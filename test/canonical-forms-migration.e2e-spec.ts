import { DataSource } from 'typeorm';
import { CanonicalEmailsAndTags1764464600000 } from '../migrations/1764464600000-CanonicalEmailsAndTags';
import { Signer } from '../src/common/secrets/signer';
import { SuppressionService } from '../src/email/suppression.service';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

/** Rows written before emails and tags had one canonical form, as the code of the time stored them. */
describe(CanonicalEmailsAndTags1764464600000.name, () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('brings stored emails and tags to the canonical form and keeps an opted-out address suppressed', async () => {
    const db = sut.app.get(DataSource);
    const insert = async (email: string, tags: string[], country: string | null = null, unsubscribed = false) =>
      (await db.query(
        `INSERT INTO candidate (full_name, email, tags, country, time_zone, locale, status, created_at, updated_at, unsubscribed_at)
         VALUES ('Legacy Person', $1, $2, $3, 'Europe/Stockholm', 'en', 'active', now(), now(), CASE WHEN $4 THEN now() END) RETURNING id`,
        [email, tags, country, unsubscribed],
      ))[0].id as string;
    const legacy = await insert('Legacy\u200b@Example.com', ['senior  dev', 'cafe\u0301', 'café', 'remote'], 'UK', true);
    // Unsubscribed back then: the entry is keyed by the address as it was stored, trimmed and lower-cased.
    await db.query(`INSERT INTO suppression (address_hash, reason) VALUES ($1, 'unsubscribed')`,
      [sut.app.get(Signer).keyedHash('suppression', 'legacy\u200b@example.com')]);
    const twin = await insert('twin@example.com', []);
    const twinPasted = await insert('twin\u200b@example.com', []);

    const migrate = async () => {
      const runner = db.createQueryRunner();
      try {
        await new CanonicalEmailsAndTags1764464600000().up(runner);
      } finally {
        await runner.release();
      }
    };
    // Run with another secret than the list was keyed with (a shell without the app's APP_SECRET): it stops.
    const configured = process.env.APP_SECRET;
    process.env.APP_SECRET = 'x'.repeat(40);
    await expect(migrate()).rejects.toThrow(/keyed with another secret/);
    if (configured === undefined) delete process.env.APP_SECRET;
    else process.env.APP_SECRET = configured;
    expect((await db.query(`SELECT email FROM candidate WHERE id = $1`, [legacy]))[0].email).toBe('Legacy\u200b@Example.com');
    await migrate();

    const view = async (id: string) => (await sut.http().get(`/api/v1/candidates/${id}`).set(sut.admin).expect(200)).body;
    expect(await view(legacy)).toMatchObject({ email: 'Legacy@Example.com', tags: ['senior dev', 'café', 'remote'], country: 'GB' });
    expect(await sut.app.get(SuppressionService).reasons(['legacy@example.com'])).toEqual(new Map([['legacy@example.com', 'unsubscribed']]));
    const again = await sut.http().post('/api/v1/candidates').set(sut.admin).send({ fullName: 'Legacy Again', email: 'legacy@example.com' });
    expect(expectProblem(again, 409).existingId).toBe(legacy);
    // Two people whose addresses become one: both stay as they were, for a person to merge.
    expect((await view(twin)).email).toBe('twin@example.com');
    expect((await view(twinPasted)).email).toBe('twin\u200b@example.com');
  });
});
