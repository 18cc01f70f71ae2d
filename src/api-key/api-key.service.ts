import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { Principal, Role } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { cursorFormat, decodeCursor, Page, toPage } from '../common/pagination/page';
import { STARTUP_LOCK_KEY } from '../database/migrate';
import { LookupCache } from '../database/lookup-cache';
import { PreparedStatement, runPrepared } from '../database/prepared-statement';
import { TableChanges } from '../database/table-changes';
import { ApiKey } from './api-key.entity';

const API_KEY_CURSOR = cursorFormat('api-keys', 'timestamp', 'uuid');

export const hashKey = (secret: string) => createHash('sha256').update(secret).digest('hex');
const prefixOf = (secret: string) => secret.slice(0, 10);

/** The key check every request makes (by the SHA-256 of the secret). */
export const AUTHENTICATE: PreparedStatement = {
  name: 'api_key_authenticate',
  text: `SELECT id, role FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL LIMIT 1`,
};

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  /** SHA-256 of a secret -> the key it opens. */
  private readonly verified: LookupCache<string, Principal>;

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly tableChanges: TableChanges,
  ) {
    this.verified = tableChanges.cache(['api_key'], 10_000);
  }

  /** Returns the new key with its secret; the secret is shown this once only. */
  async create(name: string, role: Role): Promise<ApiKey & { key: string }> {
    const secret = `sp_${randomBytes(30).toString('base64url')}`;
    const saved = await this.keys.save(
      this.keys.create({ name, role, keyHash: hashKey(secret), keyPrefix: prefixOf(secret), revokedAt: null }),
    );
    const { keyHash: _omitted, ...visible } = saved;
    return { ...visible, key: secret } as ApiKey & { key: string };
  }

  async list(limit: number, cursor?: string): Promise<Page<ApiKey>> {
    // The cursor holds a JavaScript date (milliseconds); keys created by the database's default carry
    // microseconds, so the order and the comparison both use the millisecond, or a page could skip a key.
    const createdMs = `date_trunc('milliseconds', k.created_at)`;
    const query = this.keys.createQueryBuilder('k').orderBy(createdMs, 'DESC').addOrderBy('k.id', 'DESC').take(limit + 1);
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, API_KEY_CURSOR);
      query.where(`(${createdMs}, k.id) < (:createdAt, :id)`, { createdAt, id });
    }
    return toPage(await query.getMany(), limit, API_KEY_CURSOR, (k) => [k.createdAt.toISOString(), k.id]);
  }

  /**
   * Revokes a key, unless it is the last active admin key: without one nobody can manage keys, settings or
   * privacy requests again, and ADMIN_API_KEY does not bring a revoked key back. The active admin keys are
   * locked first (in one order), so two admins revoking each other at once cannot both succeed.
   */
  async revoke(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // NO KEY UPDATE: revocations exclude each other, but writes that name a key (audit, notes) go on meanwhile.
      const admins: { id: string }[] = await manager.query(
        `SELECT id FROM api_key WHERE role = 'admin' AND revoked_at IS NULL
           AND EXISTS (SELECT 1 FROM api_key target WHERE target.id = $1 AND target.role = 'admin')
         ORDER BY id FOR NO KEY UPDATE`,
        [id],
      );
      if (admins.length === 1 && admins[0].id === id) {
        throw new DomainError(
          'LastAdminKey',
          'This is the only active admin key; create another admin key first (and if it is ADMIN_API_KEY, set that to the new one).',
        );
      }
      const [, affected] = await manager.query(
        `UPDATE api_key SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
        [id, this.clock.now()],
      );
      if (!affected) throw new DomainError('ApiKeyNotFound', `No active API key with id ${id}.`);
    });
    this.tableChanges.committedHere('api_key');
  }

  /**
   * Every request asks this: from memory for a key this instance has seen (revocation empties every
   * instance's cache, TableChanges), else one indexed lookup, prepared. Unknown keys are not kept.
   */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashKey(secret);
    const cached = this.verified.get(hash);
    if (cached) return cached;
    const version = this.verified.version();
    const [key] = await runPrepared<{ id: string; role: Role }>(this.dataSource.manager, AUTHENTICATE, [hash]);
    if (!key) return null;
    const principal: Principal = Object.freeze({ keyId: key.id, role: key.role });
    this.verified.set(hash, principal, version);
    return principal;
  }

  /**
   * ADMIN_API_KEY seeds an admin key; with none configured and no admin key
   * stored, the first start creates one and prints it once. The advisory
   * lock keeps two instances starting together from both creating one.
   */
  async ensureAdminKey(configuredSecret: string | undefined): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [STARTUP_LOCK_KEY]);
      if (configuredSecret) {
        const hash = hashKey(configuredSecret);
        await manager.query(
          `INSERT INTO api_key (name, role, key_hash, key_prefix) VALUES ('ADMIN_API_KEY', 'admin', $1, $2)
           ON CONFLICT (key_hash) DO NOTHING`,
          [hash, prefixOf(configuredSecret)],
        );
        const [stored]: { revoked: boolean }[] = await manager.query(
          `SELECT revoked_at IS NOT NULL AS revoked FROM api_key WHERE key_hash = $1`,
          [hash],
        );
        // Revoked through the API (it may have leaked): it stays revoked, but whoever starts the service is told.
        if (stored.revoked) this.logger.warn('ADMIN_API_KEY is a revoked key and opens nothing; set a new one');
        return;
      }
      const [{ count }] = await manager.query(
        `SELECT count(*)::int AS count FROM api_key WHERE role = 'admin' AND revoked_at IS NULL`,
      );
      if (count > 0) return;
      const secret = `sp_${randomBytes(30).toString('base64url')}`;
      await manager.query(
        `INSERT INTO api_key (name, role, key_hash, key_prefix) VALUES ('first admin', 'admin', $1, $2)`,
        [hashKey(secret), prefixOf(secret)],
      );
      // Printed outside the JSON log on purpose: it is a secret, shown once, for the person starting the service.
      process.stdout.write(`\nCreated the first admin API key (shown only now, keep it safe):\n\n  ${secret}\n\n`);
      this.logger.log('Created the first admin API key');
    });
  }
}
