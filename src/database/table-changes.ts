import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { LookupCache } from './lookup-cache';

/** The channel the triggers of migration LookupCacheNotifications notify on; the payload is the table's name. */
export const TABLE_CHANGED_CHANNEL = 'silverpool_table_changed';

const RECONNECT_MS = 1_000;
/** How often the listener proves it still hears, and how long its own ping may take to come back. */
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_DEADLINE_MS = 5_000;
const PING = 'ping:';

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
 * A connection can also go deaf without closing (a firewall dropping it, a
 * pooler in transaction mode that cannot carry LISTEN): every 10 s the
 * instance notifies itself through the pool, and a ping not heard within
 * 5 s counts as a lost connection. Behind such a pooler the caches are so
 * never used; set LOOKUP_CACHE_SECONDS=0 there.
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
  private heartbeat?: NodeJS.Timeout;
  private unheardPing?: { payload: string; deadline?: NodeJS.Timeout };
  private outage = false;

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
    if (this.ttlMs <= 0) return;
    await this.listen();
    this.heartbeat = setInterval(() => void this.ping(), HEARTBEAT_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    clearTimeout(this.unheardPing?.deadline);
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  /** Never rejects: a failure is a lost connection, tried again in a second. */
  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    const client = new Client({ connectionString: url, application_name: 'silverpool-table-changes', keepAlive: true });
    this.client = client;
    client.on('notification', (message) => this.heard(message.payload));
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
    if (this.outage) this.logger.log('Change listener back; lookups are cached again');
    this.outage = false;
  }

  /** Notifies itself through another connection; not hearing it back in time means the listener is deaf. */
  private async ping(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening || this.unheardPing) return;
    const payload = `${PING}${randomUUID()}`;
    const ping: { payload: string; deadline?: NodeJS.Timeout } = { payload };
    this.unheardPing = ping;
    try {
      await this.dataSource.query(`SELECT pg_notify($1, $2)`, [TABLE_CHANGED_CHANNEL, payload]);
    } catch {
      // A failed send proves nothing about the listener: the next ping tries again.
      if (this.unheardPing === ping) this.unheardPing = undefined;
      return;
    }
    // Timed from the commit, not from the request: waiting for a pooled connection under load is not deafness.
    if (this.unheardPing !== ping) return;
    ping.deadline = setTimeout(() => {
      if (this.unheardPing !== ping) return;
      this.unheardPing = undefined;
      this.lost(client, new Error(`no notification heard within ${HEARTBEAT_DEADLINE_MS} ms`));
    }, HEARTBEAT_DEADLINE_MS);
  }

  private heard(payload: string | undefined): void {
    if (payload?.startsWith(PING)) {
      if (payload === this.unheardPing?.payload) {
        clearTimeout(this.unheardPing.deadline);
        this.unheardPing = undefined;
      }
      return;
    }
    this.changed(payload);
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
    clearTimeout(this.unheardPing?.deadline);
    this.unheardPing = undefined;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    if (!this.outage) {
      this.logger.warn(`Change listener lost (${error?.message ?? 'connection ended'}); lookups go to the database until it is back`);
    }
    this.outage = true;
    this.retry = setTimeout(() => void this.listen(), RECONNECT_MS);
  }

  private clearAll(): void {
    for (const { cache } of this.caches) cache.clear();
  }
}
