import { Injectable } from '@nestjs/common';
import { canonicalEmail } from '../common/validation/transforms';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Signer } from '../common/secrets/signer';
import { LookupCache } from '../database/lookup-cache';
import { TableChanges } from '../database/table-changes';

export type SuppressionReason = 'unsubscribed' | 'hard_bounce' | 'complaint' | 'erased';

/** An address as the list compares it, and as `reasons` keys its answer: however it is spelt. */
export const addressKey = (address: string) => canonicalEmail(address).toLowerCase();

/** The first contact whose address is not among `blocked` (keyed by addressKey, as `reasons` answers). */
export function firstUnblocked<T extends { email: string }>(contacts: readonly T[], blocked: ReadonlyMap<string, unknown>): T | undefined {
  return contacts.find((contact) => !blocked.has(addressKey(contact.email)));
}

/**
 * Addresses we must not mail, stored as keyed hashes so the list never
 * holds a readable email (it outlives erasure of the person).
 */
@Injectable()
export class SuppressionService {
  /** Lower-cased address -> its reason, or null when it is not suppressed; for the match lists only. */
  private readonly known: LookupCache<string, SuppressionReason | null>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signer: Signer,
    private readonly tableChanges: TableChanges,
  ) {
    this.known = tableChanges.cache(['suppression'], 100_000);
  }

  hashOf(address: string): string {
    return this.signer.keyedHash('suppression', addressKey(address));
  }

  async suppress(address: string, reason: SuppressionReason, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.suppressMany([address], reason, manager);
  }

  /** suppress() for many addresses in one statement (an erasure batch: each person's address and former ones). */
  async suppressMany(addresses: string[], reason: SuppressionReason, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (addresses.length === 0) return;
    // A stronger reason replaces "unsubscribed"; nothing downgrades a bounce or an erasure.
    await manager.query(
      `INSERT INTO suppression (address_hash, reason) SELECT DISTINCT unnest($1::text[]), $2
       ON CONFLICT (address_hash) DO UPDATE SET reason = EXCLUDED.reason
       WHERE suppression.reason = 'unsubscribed' AND EXCLUDED.reason <> 'unsubscribed'`,
      [addresses.map((address) => this.hashOf(address)), reason],
    );
    // This instance's lists drop the address now; the others when the notification arrives (after the commit).
    this.tableChanges.committedHere('suppression');
  }

  async lift(address: string, reason: SuppressionReason, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM suppression WHERE address_hash = $1 AND reason = $2`, [this.hashOf(address), reason]);
    this.tableChanges.committedHere('suppression');
  }

  /**
   * reasons(), from memory where it can, for lists a recruiter reads (a match page checks a hundred
   * people): any change to the list empties every instance's cache (TableChanges). Sending, queuing and
   * refusing an invitation ask the database (reasons()).
   */
  async reasonsForDisplay(addresses: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, SuppressionReason>> {
    const keys = [...new Set(addresses.map(addressKey))];
    // Not suppressed is kept too (as null): it is what almost every lookup finds.
    const known = await this.known.getMany(keys, async (missing) => {
      const read = await this.reasons(missing, manager);
      return new Map(missing.map((key) => [key, read.get(key) ?? null]));
    });
    return new Map([...known].filter((entry): entry is [string, SuppressionReason] => entry[1] !== null));
  }

  /** The suppression reason of each listed address (lower-cased keys); unlisted addresses are absent. */
  async reasons(addresses: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, SuppressionReason>> {
    if (addresses.length === 0) return new Map();
    const hashes = new Map(addresses.map((address) => [this.hashOf(address), addressKey(address)]));
    const byHash = await this.reasonsByHash([...hashes.keys()], manager);
    return new Map([...byHash].map(([hash, reason]) => [hashes.get(hash)!, reason]));
  }

  /** reasons() for keys already worked out (hashOf): a caller that asks twice in one transaction hashes once. */
  async reasonsByHash(hashes: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, SuppressionReason>> {
    if (hashes.length === 0) return new Map();
    const rows: { address_hash: string; reason: SuppressionReason }[] = await manager.query(
      `SELECT address_hash, reason FROM suppression WHERE address_hash = ANY($1::text[])`,
      [hashes],
    );
    return new Map(rows.map((row) => [row.address_hash, row.reason]));
  }

  /**
   * Where a staff email goes: the first contact whose address is not suppressed (a recruiter's
   * address bounced, say: the hiring manager gets it rather than nobody); the first if none is.
   */
  async firstReachable<T extends { email: string }>(contacts: T[], manager: EntityManager = this.dataSource.manager): Promise<T | undefined> {
    const blocked = await this.reasons(contacts.map((contact) => contact.email), manager);
    return firstUnblocked(contacts, blocked) ?? contacts[0];
  }
}
