import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Signer } from '../common/secrets/signer';

export type SuppressionReason = 'unsubscribed' | 'hard_bounce' | 'complaint' | 'erased';

/**
 * Addresses we must not mail, stored as keyed hashes so the list never
 * holds a readable email (it outlives erasure of the person).
 */
@Injectable()
export class SuppressionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signer: Signer,
  ) {}

  hashOf(address: string): string {
    return this.signer.keyedHash('suppression', address.trim().toLowerCase());
  }

  async suppress(address: string, reason: SuppressionReason, manager: EntityManager = this.dataSource.manager): Promise<void> {
    // A stronger reason replaces "unsubscribed"; nothing downgrades a bounce or an erasure.
    await manager.query(
      `INSERT INTO suppression (address_hash, reason) VALUES ($1, $2)
       ON CONFLICT (address_hash) DO UPDATE SET reason = EXCLUDED.reason
       WHERE suppression.reason = 'unsubscribed' AND EXCLUDED.reason <> 'unsubscribed'`,
      [this.hashOf(address), reason],
    );
  }

  async lift(address: string, reason: SuppressionReason, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM suppression WHERE address_hash = $1 AND reason = $2`, [this.hashOf(address), reason]);
  }

  /** The suppression reason of each listed address (lower-cased keys); unlisted addresses are absent. */
  async reasons(addresses: string[]): Promise<Map<string, SuppressionReason>> {
    if (addresses.length === 0) return new Map();
    const hashes = new Map(addresses.map((address) => [this.hashOf(address), address.trim().toLowerCase()]));
    const rows: { address_hash: string; reason: SuppressionReason }[] = await this.dataSource.query(
      `SELECT address_hash, reason FROM suppression WHERE address_hash = ANY($1::text[])`,
      [[...hashes.keys()]],
    );
    return new Map(rows.map((row) => [hashes.get(row.address_hash)!, row.reason]));
  }
}
