import { createHmac } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails, phones and tags got one canonical form (compatibility forms folded,
 * invisible characters dropped, spaces collapsed) when they are written. Rows
 * written before keep the old forms: an address stored with a zero-width space
 * would no longer match the same address typed again (a second person), nor its
 * own suppression entry, which is keyed by the old form (an opted-out person
 * mailed again). This brings stored emails and tags to the canonical form and
 * copies each suppression entry to the canonical address's key. UK, which is
 * no ISO country code, becomes GB.
 *
 * The forms are spelled out here, not imported: a migration must do what it
 * did the day it was written.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
const canonicalEmail = (email: string) => email.normalize('NFKC').replace(FORMAT_CHARACTERS, '').trim();
const canonicalTag = (tag: string) => tag.normalize('NFKC').replace(FORMAT_CHARACTERS, '').replace(/\s+/g, ' ').trim().toLowerCase();
/** How SuppressionService keyed an address before and after the canonical form. */
const keyBefore = (email: string) => email.trim().toLowerCase();
const keyAfter = (email: string) => canonicalEmail(email).toLowerCase();

export class CanonicalEmailsAndTags1764464600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE candidate SET country = 'GB' WHERE country = 'UK'`);
    // NFKC can make a character the database's encoding cannot hold (µ becomes Greek mu, not in LATIN1);
    // the app writes canonical forms from now on either way.
    const [{ encoding }]: { encoding: string }[] = await queryRunner.query(`SELECT current_setting('server_encoding') AS encoding`);
    if (encoding !== 'UTF8') return;
    // Anything the canonical forms change is outside printable ASCII, or a run of spaces in a tag.
    const emails: { id: string; email: string }[] = await queryRunner.query(`SELECT id, email FROM candidate WHERE email ~ '[^\\x21-\\x7e]'`);
    const secret = emails.length > 0 ? await this.suppressionSecret(queryRunner, emails) : undefined;
    for (const { id, email } of emails) {
      const canonical = canonicalEmail(email);
      if (canonical === email || canonical === '') continue;
      if (secret) {
        const hash = (key: string) => createHmac('sha256', secret).update(`suppression\0${key}`).digest('hex');
        await queryRunner.query(
          `INSERT INTO suppression (address_hash, reason, created_at)
           SELECT $2, reason, created_at FROM suppression WHERE address_hash = $1 ON CONFLICT (address_hash) DO NOTHING`,
          [hash(keyBefore(email)), hash(keyAfter(email))],
        );
      }
      // Left as it was when someone else holds the canonical address: merging two people is a person's decision.
      await queryRunner.query(
        `UPDATE candidate SET email = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM candidate WHERE lower(email) = lower($2) AND id <> $1)`,
        [id, canonical],
      );
    }
    const tagged: { id: string; tags: string[] }[] = await queryRunner.query(
      `SELECT id, tags FROM candidate WHERE array_to_string(tags, '|') ~ '[^\\x20-\\x7e]|\\s\\s'`,
    );
    for (const { id, tags } of tagged) {
      const canonical = [...new Set(tags.map(canonicalTag).filter(Boolean))];
      if (canonical.join('|') !== tags.join('|')) await queryRunner.query(`UPDATE candidate SET tags = $2 WHERE id = $1`, [id, canonical]);
    }
  }

  async down(): Promise<void> {
    // The old forms are not kept; the canonical ones are valid for the code before this migration too.
  }

  /**
   * The secret SuppressionService keys addresses with: APP_SECRET, else the one the app stored. Checked
   * against the data where it can be: someone among these who unsubscribed has an entry under the old
   * key. A wrong secret (the migration run from a shell without the app's APP_SECRET) would copy nothing
   * and leave opted-out people mailable, so it stops instead.
   */
  private async suppressionSecret(queryRunner: QueryRunner, people: { id: string; email: string }[]): Promise<Buffer | undefined> {
    const [row]: { secret: string }[] = await queryRunner.query(`SELECT secret FROM app_secret`);
    const secret = process.env.APP_SECRET ? Buffer.from(process.env.APP_SECRET) : row ? Buffer.from(row.secret) : undefined;
    const unsubscribed: { email: string }[] = await queryRunner.query(
      `SELECT email FROM candidate WHERE id = ANY($1::uuid[]) AND unsubscribed_at IS NOT NULL LIMIT 20`, [people.map((person) => person.id)],
    );
    if (unsubscribed.length === 0) return secret;
    const hashes = secret
      ? unsubscribed.map(({ email }) => createHmac('sha256', secret).update(`suppression\0${keyBefore(email)}`).digest('hex'))
      : [];
    const [{ found }]: { found: number }[] = await queryRunner.query(
      `SELECT count(*)::int AS found FROM suppression WHERE address_hash = ANY($1::text[])`, [hashes],
    );
    if (found === 0) {
      throw new Error('CanonicalEmailsAndTags: the suppression list is keyed with another secret than this run has; run migrations with the app\'s APP_SECRET set');
    }
    return secret;
  }
}
