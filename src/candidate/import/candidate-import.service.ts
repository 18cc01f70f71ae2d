import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { CandidateSkillWriter, skillKeysOf } from '../candidate-skill-writer';
import { normaliseTags } from '../candidate.service';
import { CreateCandidateDto } from '../dto/candidate.dto';
import { ImportRow } from './import-row';
import { holdSkillNamesForWriting } from '../../skill/skill.service';
import { givenFields } from '../../privacy/audit/audit-actions';
import { AuditLog } from '../../privacy/audit/audit-log.service';
import { transactionRetryingConflicts } from '../../database/conflict-retry';
import { SuppressionService } from '../../email/suppression.service';
import { ImportResult, ImportTally, WriteOutcome } from './import-tally';
import { IMPORT_UPSERT } from './import-upsert.sql';

export const IMPORT_BATCH_SIZE = 1000;
const YIELD_EVERY_ROWS = 500;

/** One candidate of a batch: rows with the same email (any case) merged in file order, later given fields winning. */
interface BatchEntry {
  rows: number[];
  candidate: CreateCandidateDto;
  /** The rows as given, for when the database refuses the merged candidate: then each is tried on its own, in order. */
  parts: ValidRow[];
}

type ValidRow = Extract<ImportRow, { candidate: CreateCandidateDto }>;

/** Each entry's key on the suppression list (SuppressionService.hashOf). */
type SuppressionKeys = Map<BatchEntry, string>;

/** Streams validated rows into the pool in set-based batches, upserting by email. */
@Injectable()
export class CandidateImportService {
  private readonly logger = new Logger(CandidateImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly skillWriter: CandidateSkillWriter,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly suppression: SuppressionService,
  ) {}

  async import(rows: AsyncIterable<ImportRow>): Promise<ImportResult> {
    const tally = new ImportTally();
    const writes = new BatchWrites();
    let batch: ValidRow[] = [];
    let read = 0;
    try {
      for await (const row of rows) {
        // Rows that never reach the database (invalid, empty) come from buffered input without a pause:
        // let other requests in now and then, or a file of them holds the whole instance.
        if (++read % YIELD_EVERY_ROWS === 0) await yieldToEventLoop();
        if ('problems' in row) {
          tally.fail(row.problems);
          continue;
        }
        batch.push(row);
        if (batch.length < IMPORT_BATCH_SIZE) continue;
        await writes.start(mergeByEmail(batch), (entries) => this.writeBatch(entries, tally));
        batch = [];
      }
    } catch (error) {
      // The upload broke off (or could not be read further): every row that arrived whole is still
      // saved, as the error says, before the error is answered. The first error is the one reported.
      try {
        await writes.start(mergeByEmail(batch), (entries) => this.writeBatch(entries, tally));
        await writes.finish();
      } catch {
        // Already failing: the write error would only hide why.
      }
      // An answer the client can still read (a 413 for a decompression bomb, say) says what was imported.
      if (error instanceof DomainError) throw new DomainError(error.code, error.detail, { ...error.extra, imported: tally.result() });
      throw error;
    }
    await writes.start(mergeByEmail(batch), (entries) => this.writeBatch(entries, tally));
    await writes.finish();
    this.logger.log({ created: tally.created, updated: tally.updated, unchanged: tally.unchanged, failed: tally.failed }, 'Candidate import finished');
    return tally.result();
  }

  private async writeBatch(entries: Map<string, BatchEntry>, tally: ImportTally): Promise<void> {
    if (entries.size === 0) return;
    const list = [...entries.values()];
    try {
      const outcomes = await transactionRetryingConflicts(this.dataSource, (manager) => this.upsert(manager, list));
      list.forEach((entry, i) => tally.written(entry.rows, outcomes[i]));
    } catch (error) {
      if (!isDataError(error)) throw error;
      // Validation passed but the database refused something: find the rows to blame, save the rest.
      for (const entry of list) await this.writeOne(entry, tally);
    }
  }

  private async writeOne(entry: BatchEntry, tally: ImportTally): Promise<void> {
    try {
      const [outcome] = await transactionRetryingConflicts(this.dataSource, (manager) => this.upsert(manager, [entry]));
      tally.written(entry.rows, outcome);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (entry.parts.length > 1) {
        // Rows merged by email: blame only the row that brought the refused value; the others still apply.
        for (const part of entry.parts) await this.writeOne({ rows: [part.row], candidate: part.candidate, parts: [part] }, tally);
        return;
      }
      const code = sqlState(error);
      this.logger.warn({ rows: entry.rows, sqlState: code }, 'Import row refused by the database');
      const message = `could not be saved (${(error as Error).message})`;
      for (const row of entry.rows) tally.fail([{ row, field: 'row', message }]);
    }
  }

  /** Writes the entries; returns, per entry, what came of it. */
  private async upsert(manager: EntityManager, entries: BatchEntry[]): Promise<WriteOutcome[]> {
    await holdSkillNamesForWriting(manager);
    // Each address's suppression key, worked out once for both looks at the list (before and after the upsert).
    const keys: SuppressionKeys = new Map(entries.map((entry) => [entry, this.suppression.hashOf(entry.candidate.email)]));
    const erased = await this.erasedAndGone(manager, entries, keys);
    const kept = entries.filter((entry) => !erased.has(entry));
    const written = await this.upsertKept(manager, kept, keys);
    return entries.map((entry) => (erased.has(entry) ? 'erased' : written.get(entry)!));
  }

  /**
   * Entries for an address whose person was erased (at their request, or when their consent or the
   * retention period ended), and that nobody holds now. An old spreadsheet imported again must not
   * bring them back; someone who returns of their own accord is added one at a time (and stays off
   * the mailing list: the suppression outlives them).
   */
  private async erasedAndGone(manager: EntityManager, entries: BatchEntry[], keys: SuppressionKeys): Promise<Set<BatchEntry>> {
    const reasons = await this.suppression.reasonsByHash([...keys.values()], manager);
    const erased = entries.filter((entry) => reasons.get(keys.get(entry)!) === 'erased');
    if (erased.length === 0) return new Set();
    const held: { key: string }[] = await manager.query(
      `SELECT lower(email) AS key FROM candidate WHERE lower(email) = ANY($1::text[])`,
      [erased.map((entry) => entry.candidate.email.toLowerCase())],
    );
    const heldKeys = new Set(held.map((row) => row.key));
    return new Set(erased.filter((entry) => !heldKeys.has(entry.candidate.email.toLowerCase())));
  }

  /**
   * People this batch has just created whose address was erased meanwhile: an erasure that committed
   * while the upsert waited for the person's row (it deletes the row, so the insert then found no
   * conflict) would otherwise have them back. This statement sees that commit; they are taken out again.
   */
  private async erasedMeanwhile(
    manager: EntityManager, created: { id: string; entry: BatchEntry }[], keys: SuppressionKeys,
  ): Promise<Set<BatchEntry>> {
    if (created.length === 0) return new Set();
    const reasons = await this.suppression.reasonsByHash(created.map(({ entry }) => keys.get(entry)!), manager);
    const back = created.filter(({ entry }) => reasons.get(keys.get(entry)!) === 'erased');
    if (back.length > 0) await manager.query(`DELETE FROM candidate WHERE id = ANY($1::uuid[])`, [back.map(({ id }) => id)]);
    return new Set(back.map(({ entry }) => entry));
  }

  private async upsertKept(manager: EntityManager, entries: BatchEntry[], keys: SuppressionKeys): Promise<Map<BatchEntry, WriteOutcome>> {
    if (entries.length === 0) return new Map();
    const withSkills = entries.filter(({ candidate }) => candidate.skills);
    const resolved = await this.skillWriter.resolve(manager, withSkills.map(({ candidate }) => candidate.skills!));
    // Levels left out keep the stored ones now, so the skill keys compared below are what will be stored.
    const keyOf = (entry: BatchEntry) => entry.candidate.email.toLowerCase();
    const levelled = await this.skillWriter.withStoredLevels(manager, new Map(withSkills.map((entry, i) => [keyOf(entry), resolved[i]])), 'email');
    const skillsOf = new Map(withSkills.map((entry) => [entry, levelled.get(keyOf(entry))!]));
    const input = entries.map((entry, ord) => {
      const c = entry.candidate;
      const skills = skillsOf.get(entry);
      return {
        ord, full_name: c.fullName, email: c.email, phone: c.phone, city: c.city, country: c.country,
        time_zone: c.timeZone, locale: c.locale, headline: c.headline, profile_url: c.profileUrl,
        tags: c.tags && normaliseTags(c.tags), source: c.source, skill_keys: skills && skillKeysOf(skills),
      };
    });
    const given: Record<string, string[]> = {};
    for (const row of input) {
      // null (JSON lines) means "not given", as an empty CSV cell does.
      const fields = (['tags', 'time_zone', 'locale'] as const).filter((field) => row[field] != null);
      if (row.skill_keys) fields.push('skills' as never);
      if (fields.length > 0) given[row.email] = fields;
    }
    const returned: { id: string; inserted: boolean; ord: number }[] = await manager.query(IMPORT_UPSERT, [
      JSON.stringify(input), this.config.DEFAULT_TIME_ZONE, this.config.DEFAULT_LOCALE, this.clock.now(), JSON.stringify(given),
    ]);
    const created = returned.filter((row) => row.inserted).map((row) => ({ id: row.id, entry: entries[row.ord] }));
    const erasedMeanwhile = await this.erasedMeanwhile(manager, created, keys);
    // Rows not returned changed nothing: no skills to write, nothing to audit.
    const changed = returned
      .filter((row) => !erasedMeanwhile.has(entries[row.ord]))
      .map(({ id, inserted, ord }) => ({ id, inserted, entry: entries[ord] }));
    await this.skillWriter.write(manager, new Map(changed.flatMap(({ id, entry }) => {
      const skills = skillsOf.get(entry);
      return skills ? [[id, skills] as const] : [];
    })));
    // Personal data changed in bulk is audited like one candidate at a time, in the same transaction.
    await this.audit.recordMany(changed.map(({ id, inserted, entry }) => ({
      action: inserted ? 'candidate_created' : 'candidate_updated',
      candidateId: id,
      // null in a JSON line means "not given", as an empty CSV cell does.
      details: { fields: givenFields(entry.candidate).filter((field) => entry.candidate[field as keyof typeof entry.candidate] !== null), via: 'import' },
    })), manager);
    const outcomes = new Map<BatchEntry, WriteOutcome>(entries.map((entry) => [entry, 'unchanged']));
    for (const { inserted, entry } of changed) outcomes.set(entry, inserted ? 'created' : 'updated');
    for (const entry of erasedMeanwhile) outcomes.set(entry, 'erased');
    return outcomes;
  }
}

/** Duplicate emails in one statement would hit the same row twice, which PostgreSQL refuses. Keyed by lower-case email. */
function mergeByEmail(batch: ValidRow[]): Map<string, BatchEntry> {
  const byEmail = new Map<string, BatchEntry>();
  for (const part of batch) {
    const { row, candidate } = part;
    const key = candidate.email.toLowerCase();
    const earlier = byEmail.get(key);
    if (!earlier) {
      // A copy: merging must not change the row as given.
      byEmail.set(key, { rows: [row], candidate: { ...candidate }, parts: [part] });
      continue;
    }
    earlier.rows.push(row);
    earlier.parts.push(part);
    for (const [field, value] of Object.entries(candidate)) {
      // The first spelling of the email stays, as the upsert keeps a stored candidate's.
      if (field !== 'email' && value !== undefined && value !== null) Object.assign(earlier.candidate, { [field]: value });
    }
  }
  return byEmail;
}

/**
 * Batches are written while later ones are parsed and validated, two at a
 * time on their own connections (the database work dominates). A batch waits
 * for any earlier one that shares an email, so the later row still wins; the
 * cap keeps memory flat.
 */
class BatchWrites {
  private static readonly MAX_IN_FLIGHT = 2;
  private readonly inFlight: { byEmail: Map<string, BatchEntry>; done: Promise<void> }[] = [];

  async start(byEmail: Map<string, BatchEntry>, write: (byEmail: Map<string, BatchEntry>) => Promise<void>): Promise<void> {
    const sharesEmail = (earlier: Map<string, BatchEntry>) => [...byEmail.keys()].some((email) => earlier.has(email));
    while (this.inFlight.length >= BatchWrites.MAX_IN_FLIGHT || this.inFlight.some((batch) => sharesEmail(batch.byEmail))) {
      await this.inFlight.shift()!.done;
    }
    const done = write(byEmail);
    done.catch(() => undefined); // awaited later; this only stops an "unhandled rejection" report meanwhile
    this.inFlight.push({ byEmail, done });
  }

  async finish(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift()!.done;
  }
}

function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
}

/** Errors caused by the data (SQLSTATE 21 cardinality, 22 data exception, 23 integrity), not by the database being unwell. */
function isDataError(error: unknown): boolean {
  return /^2[123]/.test(sqlState(error) ?? '');
}
