import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { CandidateSkillWriter, skillKeysOf } from '../candidate-skill-writer';
import { normaliseTags } from '../candidate.service';
import { CreateCandidateDto } from '../dto/candidate.dto';
import { ImportRow, RowProblem } from './import-row';
import { holdSkillNamesForWriting } from '../../skill/skill.service';
import { givenFields } from '../../privacy/audit/audit-actions';
import { AuditLog } from '../../privacy/audit/audit-log.service';
import { transactionRetryingConflicts } from '../../database/conflict-retry';

export const IMPORT_BATCH_SIZE = 1000;
export const MAX_REPORTED_ERRORS = 1000;

export interface ImportResult {
  created: number;
  updated: number;
  failed: number;
  /** The problems of the first rows, MAX_REPORTED_ERRORS at most, in file order; `failed` counts every failed row. */
  errors: RowProblem[];
  errorsTruncated: boolean;
}

/** One candidate of a batch: rows with the same email (any case) merged in file order, later given fields winning. */
interface BatchEntry {
  rows: number[];
  candidate: CreateCandidateDto;
  /** The rows as given, for when the database refuses the merged candidate: then each is tried on its own, in order. */
  parts: ValidRow[];
}

type ValidRow = Extract<ImportRow, { candidate: CreateCandidateDto }>;

/**
 * Fields left out keep what is stored: the nullable ones by coalescing with
 * EXCLUDED. Tags, time zone and locale are NOT NULL, which PostgreSQL checks
 * before it looks for a conflict, so the insert carries defaults for them and
 * EXCLUDED cannot tell "not given" from a default; $5 says which of them each
 * row gave ({ "<email as given>": ["tags", ...] }). One statement per batch,
 * so an updated candidate gets one new row version, not two.
 */
const UPSERT = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
      ord int, full_name text, email text, phone text, city text, country text, time_zone text,
      locale text, headline text, profile_url text, tags text[], source text, skill_keys int[])
  ), upserted AS (
    -- A new candidate gets its skill keys now, so the skill-keys trigger has nothing to rewrite; a stored
    -- one keeps its keys here and the trigger updates them if its skills change.
    INSERT INTO candidate (full_name, email, phone, city, country, time_zone, locale, headline,
                           profile_url, tags, source, status, created_at, updated_at, skill_keys)
    SELECT full_name, email, phone, city, country, coalesce(time_zone, $2), coalesce(locale, $3), headline,
           profile_url, coalesce(tags, '{}'), source, 'active', $4, $4, coalesce(skill_keys, '{}')
    FROM input ORDER BY lower(email)
    ON CONFLICT (lower(email)) DO UPDATE SET -- the stored email keeps its spelling: it is what matched
      full_name = EXCLUDED.full_name,
      phone = coalesce(EXCLUDED.phone, candidate.phone),
      city = coalesce(EXCLUDED.city, candidate.city),
      country = coalesce(EXCLUDED.country, candidate.country),
      headline = coalesce(EXCLUDED.headline, candidate.headline),
      profile_url = coalesce(EXCLUDED.profile_url, candidate.profile_url),
      source = coalesce(EXCLUDED.source, candidate.source),
      tags = CASE WHEN ($5::jsonb -> EXCLUDED.email) ? 'tags' THEN EXCLUDED.tags ELSE candidate.tags END,
      time_zone = CASE WHEN ($5::jsonb -> EXCLUDED.email) ? 'time_zone' THEN EXCLUDED.time_zone ELSE candidate.time_zone END,
      locale = CASE WHEN ($5::jsonb -> EXCLUDED.email) ? 'locale' THEN EXCLUDED.locale ELSE candidate.locale END,
      updated_at = EXCLUDED.updated_at
    RETURNING id, lower(email) AS key, (xmax = 0) AS inserted
  )
  SELECT u.id, u.inserted, i.ord FROM upserted u JOIN input i ON lower(i.email) = u.key`;

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
  ) {}

  async import(rows: AsyncIterable<ImportRow>): Promise<ImportResult> {
    const tally = new ImportTally();
    const writes = new BatchWrites();
    let batch: ValidRow[] = [];
    try {
      for await (const row of rows) {
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
      throw error;
    }
    await writes.start(mergeByEmail(batch), (entries) => this.writeBatch(entries, tally));
    await writes.finish();
    this.logger.log({ created: tally.created, updated: tally.updated, failed: tally.failed }, 'Candidate import finished');
    return tally.result();
  }

  private async writeBatch(entries: Map<string, BatchEntry>, tally: ImportTally): Promise<void> {
    if (entries.size === 0) return;
    const list = [...entries.values()];
    try {
      const inserted = await transactionRetryingConflicts(this.dataSource, (manager) => this.upsert(manager, list));
      list.forEach((entry, i) => tally.saved(entry, inserted[i]));
    } catch (error) {
      if (!isDataError(error)) throw error;
      // Validation passed but the database refused something: find the rows to blame, save the rest.
      for (const entry of list) await this.writeOne(entry, tally);
    }
  }

  private async writeOne(entry: BatchEntry, tally: ImportTally): Promise<void> {
    try {
      const [inserted] = await transactionRetryingConflicts(this.dataSource, (manager) => this.upsert(manager, [entry]));
      tally.saved(entry, inserted);
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

  /** Returns, per entry, whether the candidate was new. */
  private async upsert(manager: EntityManager, entries: BatchEntry[]): Promise<boolean[]> {
    await holdSkillNamesForWriting(manager);
    const withSkills = entries.filter(({ candidate }) => candidate.skills);
    const resolved = await this.skillWriter.resolve(manager, withSkills.map(({ candidate }) => candidate.skills!));
    const skillsOf = new Map(withSkills.map((entry, i) => [entry, resolved[i]]));
    const input = entries.map((entry, ord) => {
      const c = entry.candidate;
      const skills = skillsOf.get(entry);
      return {
        ord, full_name: c.fullName, email: c.email, phone: c.phone, city: c.city, country: c.country,
        time_zone: c.timeZone, locale: c.locale, headline: c.headline, profile_url: c.profileUrl,
        tags: c.tags && normaliseTags(c.tags), source: c.source, skill_keys: skills && skillKeysOf(skills),
      };
    });
    const givenNotNull: Record<string, string[]> = {};
    for (const row of input) {
      // null (JSON lines) means "not given", as an empty CSV cell does.
      const given = (['tags', 'time_zone', 'locale'] as const).filter((field) => row[field] != null);
      if (given.length > 0) givenNotNull[row.email] = given;
    }
    const returned: { id: string; inserted: boolean; ord: number }[] = await manager.query(UPSERT, [
      JSON.stringify(input), this.config.DEFAULT_TIME_ZONE, this.config.DEFAULT_LOCALE, this.clock.now(),
      JSON.stringify(givenNotNull),
    ]);
    const ids: string[] = [];
    const inserted: boolean[] = [];
    for (const { id, inserted: isNew, ord } of returned) {
      ids[ord] = id;
      inserted[ord] = isNew;
    }
    await this.skillWriter.write(manager, new Map(entries.flatMap((entry, ord) => {
      const skills = skillsOf.get(entry);
      return skills ? [[ids[ord], skills] as const] : [];
    })));
    // Personal data changed in bulk is audited like one candidate at a time, in the same transaction.
    await this.audit.recordMany(entries.map((entry, ord) => ({
      action: inserted[ord] ? 'candidate_created' : 'candidate_updated',
      candidateId: ids[ord],
      // null in a JSON line means "not given", as an empty CSV cell does.
      details: { fields: givenFields(entry.candidate).filter((field) => entry.candidate[field as keyof typeof entry.candidate] !== null), via: 'import' },
    })), manager);
    return inserted;
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

class ImportTally {
  created = 0;
  updated = 0;
  failed = 0;
  private readonly errors: RowProblem[] = [];
  private truncated = false;

  saved(entry: BatchEntry, inserted: boolean): void {
    // Merged duplicates count as if applied one after another: the first may create, the rest update.
    this.created += inserted ? 1 : 0;
    this.updated += entry.rows.length - (inserted ? 1 : 0);
  }

  /** One failed row, with every problem found in it. */
  fail(problems: RowProblem[]): void {
    this.failed += 1;
    this.errors.push(...problems);
    if (this.errors.length >= 2 * MAX_REPORTED_ERRORS) this.keepFirstRows();
  }

  result(): ImportResult {
    this.keepFirstRows();
    return { created: this.created, updated: this.updated, failed: this.failed, errors: this.errors, errorsTruncated: this.truncated };
  }

  /**
   * The list holds the problems of the first rows of the file, not the first found: a batch's database
   * failures are found after later rows were validated. Stable, so a row's problems keep their order.
   */
  private keepFirstRows(): void {
    this.errors.sort((a, b) => a.row - b.row);
    if (this.errors.length > MAX_REPORTED_ERRORS) {
      this.errors.length = MAX_REPORTED_ERRORS;
      this.truncated = true;
    }
  }
}

function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
}

/** Errors caused by the data (SQLSTATE 21 cardinality, 22 data exception, 23 integrity), not by the database being unwell. */
function isDataError(error: unknown): boolean {
  return /^2[123]/.test(sqlState(error) ?? '');
}
