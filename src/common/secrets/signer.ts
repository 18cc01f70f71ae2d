import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { UUID_PATTERN } from '../pagination/page';

/**
 * What a link does; a token signed for one purpose opens no other page. `consent` is how both consent
 * links were signed before they got purposes of their own; it is only verified, never signed any more
 * (LEGACY_CONSENT_PURPOSE), so links already in people's inboxes keep working until they expire.
 */
export type LinkPurpose = 'unsubscribe' | 'profile' | 'consent_request' | 'consent_renewal' | 'consent';
export const LEGACY_CONSENT_PURPOSE = 'consent' satisfies LinkPurpose;

export interface LinkClaims {
  purpose: LinkPurpose;
  candidateId: string;
  /** Seconds since the epoch; absent for links that never expire (unsubscribe). */
  expiresAt?: number;
}

/**
 * Keyed hashing and signed tokens. The key is APP_SECRET, or a random one
 * stored in the database on first start so every instance shares it.
 */
@Injectable()
export class Signer implements OnModuleInit {
  private secret: Buffer;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.APP_SECRET) {
      this.secret = Buffer.from(this.config.APP_SECRET);
      return;
    }
    await this.dataSource.query(
      `INSERT INTO app_secret (secret) VALUES ($1) ON CONFLICT (id) DO NOTHING`,
      [randomBytes(32).toString('base64url')],
    );
    const [row] = await this.dataSource.query(`SELECT secret FROM app_secret`);
    this.secret = Buffer.from(row.secret);
  }

  /** A hex HMAC of the value for one purpose; equal inputs give equal hashes, nothing can be read back. */
  keyedHash(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\0${value}`).digest('hex');
  }

  /** An opaque, tamper-proof token for a candidate link; it holds no name or email. */
  sign(claims: LinkClaims): string {
    const payload = Buffer.from(
      JSON.stringify([claims.purpose, claims.candidateId, claims.expiresAt ?? 0]),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims if the token is genuine, for this purpose and not expired; otherwise null. */
  verify(token: string, purpose: LinkPurpose, now: Date): LinkClaims | null {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined || token.length > 300) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const [tokenPurpose, candidateId, expiresAt] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      // Checked like any id from outside: a token signed with a leaked or test secret must not reach SQL as a non-UUID.
      if (tokenPurpose !== purpose || typeof candidateId !== 'string' || !UUID_PATTERN.test(candidateId)) return null;
      if (expiresAt && expiresAt * 1000 <= now.getTime()) return null;
      return { purpose, candidateId, expiresAt: expiresAt || undefined };
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`link\0${payload}`).digest('base64url').slice(0, 32);
  }
}
