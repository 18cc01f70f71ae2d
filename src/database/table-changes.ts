import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { LookupCache } from './lookup-cache';

/** The channel the triggers of migration LookupCacheNotifications notify on; the payload is the table's name. */
export const TABLE_CHANGED_CHANNEL = 'silverpool_table_changed';

const RECONNECT_MS = 1_000;

/**
 * Keeps this instance's lookup caches true across instances. One
 * connection per instance LISTENs for the triggers that fire on every
 * change to a cached table (whoever makes it: another instance, a
 * migration, psql), and a change empties the caches of that table.
 * Notifications arrive after the change commits, typically within a
 * millisecond or two; a request on another instance in that window can
 * still see the old row, as one that began just before the commit would.
 *
 * While that connection is down, changes could be missed: the caches are
 * emptied and not used until it is back (every read goes to the database).
 * A pooler in transaction mode cannot carry LISTEN; there, set
 * LOOKUP_CACHE_SECONDS=0.
 */
@Injectable()
export class TableChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TableChanges.name);
  private readonly caches: { tables: string[]; cache: LookupCache<unknown, unknown> }[] = [];
  private readonly ttlMs: number;
  private client?: Client;
  private listening = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.ttlMs = config.LOOKUP_CACHE_SECONDS * 1000;
  }

  /** A cache of rows from `tables`, emptied on any change to them. */
  cache<K, V>(tables: string[], maxEntries: number): LookupCache<K, V> {
    const cache = new LookupCache<K, V>(this.ttlMs, maxEntries, () => this.listening);
    this.caches.push({ tables, cache: cache as LookupCache<unknown, unknown> });
    return cache;
  }

  get live(): boolean {
    return this.listening;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.ttlMs > 0) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    const client = new Client({ connectionString: url, application_name: 'silverpool-table-changes' });
    this.client = client;
    client.on('notification', (message) => this.changed(message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${TABLE_CHANGED_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client || this.stopped) return;
    // Whatever changed while nobody listened is unknown: start empty.
    this.clearAll();
    this.listening = true;
  }

  /**
   * This instance just committed a change to `table`: its own caches drop it now, so its next request
   * reads the change; the notification to the others is on its way.
   */
  committedHere(table: string): void {
    this.changed(table);
  }

  private changed(table: string | undefined): void {
    for (const { tables, cache } of this.caches) if (!table || tables.includes(table)) cache.clear();
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.clearAll();
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`Change listener lost (${error?.message ?? 'connection ended'}); lookups go to the database until it is back`);
    this.retry = setTimeout(() => void this.listen(), RECONNECT_MS);
  }

  private clearAll(): void {
    for (const { cache } of this.caches) cache.clear();
  }
}
