import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource, QueryRunner } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { addressKey, SuppressionService } from '../../email/suppression.service';
import { AuditLog } from '../audit/audit-log.service';
import { identifyingValuesOf, mentionPatterns } from '../erasure/staff-mentions';
import { CandidateDataTable, candidateDataTables, ForeignKey, loadForeignKeys, quoteIdent, rowsOfCandidateSql } from './candidate-data-tables';
import { EXPORT_SECTIONS, EXTRA_SECTIONS, NOT_REFERENCED, PROFILE_SECTION } from './export-sections';
import { JsonStream } from './json-stream';
import { safeErrorLog } from '../../common/errors/safe-error-log';

const FETCH_SIZE = 200;
export const EXPORT_FORMAT = 'silverpool-candidate-export/1';

interface Section extends CandidateDataTable {
  name: string;
}

/** Single-column keys from exported rows to a lookup table with a readable label. */
interface Reference {
  table: string;
  column: string;
  refTable: string;
  refColumn: string;
  label: string;
}

/**
 * Access and portability (GDPR art. 15 and 20): everything held about one
 * person as one JSON document, streamed section by section from one
 * consistent snapshot. The sections are every table the schema ties to the
 * candidate, so a new table is exported the day it is created; lookup
 * tables the rows point to (skills, vacancies, campaigns) are resolved to
 * their names under `references`.
 */
@Injectable()
export class CandidateExportService {
  private readonly logger = new Logger(CandidateExportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async stream(candidateId: string, res: Response): Promise<void> {
    const [exists] = await this.dataSource.query(`SELECT 1 FROM candidate WHERE id = $1`, [candidateId]);
    if (!exists) throw notFound(candidateId);
    await this.audit.record({ action: 'candidate_exported', candidateId });
    const runner = this.dataSource.createQueryRunner('master');
    await runner.connect();
    try {
      await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
      const [row] = await runner.query(`SELECT * FROM candidate WHERE id = $1`, [candidateId]);
      if (!row) throw notFound(candidateId);
      // The search keys are the skills section again, encoded for an index (up to 4,950 numbers a person).
      const { skill_keys: _keys, skill_pairs: _pairs, ...profile } = row;
      const { sections, references } = await this.plan(runner);
      res.status(200).type('application/json');
      res.setHeader('Content-Disposition', `attachment; filename="candidate-${candidateId}.json"`);
      res.setHeader('Cache-Control', 'no-store');
      const out = new JsonStream(res);
      await out.write(`{"format":${JSON.stringify(EXPORT_FORMAT)},"candidateId":${JSON.stringify(candidateId)},` +
        `"exportedAt":${JSON.stringify(this.clock.now().toISOString())},"sections":{` +
        `${JSON.stringify(PROFILE_SECTION)}:${JSON.stringify(profile)}`);
      const referenced = new Map<Reference, Set<string>>(references.map((reference) => [reference, new Set()]));
      for (const section of sections) {
        const mine = references.filter((reference) => reference.table === section.table);
        await out.write(',');
        await out.array(section.name, this.rows(runner, rowsOfCandidateSql(section), [candidateId]), (row) => {
          for (const reference of mine) {
            const value = (row as Record<string, unknown>)[reference.column];
            if (value !== null && value !== undefined) referenced.get(reference)!.add(String(value));
          }
        });
      }
      await this.writeExtras(runner, out, profile);
      const sources = Object.fromEntries([
        [PROFILE_SECTION, 'candidate'], ...sections.map((section) => [section.name, section.table]), ...Object.entries(EXTRA_SECTIONS),
      ]);
      await out.write(`},"sources":${JSON.stringify(sources)},"references":${JSON.stringify(await this.labels(runner, referenced))}}`);
      await runner.query(`COMMIT`);
      res.end();
    } catch (error) {
      await runner.query(`ROLLBACK`).catch(() => undefined);
      if (!res.headersSent) throw error;
      this.logger.error({ ...safeErrorLog(error), candidateId }, 'Export failed while streaming');
      res.destroy(error as Error);
    } finally {
      await runner.release();
    }
  }

  private async plan(runner: QueryRunner): Promise<{ sections: Section[]; references: Reference[] }> {
    const keys = await loadForeignKeys(runner.manager);
    const tables = candidateDataTables(keys);
    const order = Object.keys(EXPORT_SECTIONS);
    const rank = (table: string) => (order.includes(table) ? order.indexOf(table) : order.length);
    const sections = tables
      .map((entry) => ({ ...entry, name: EXPORT_SECTIONS[entry.table] ?? entry.table }))
      .sort((a, b) => rank(a.table) - rank(b.table) || a.table.localeCompare(b.table));
    return { sections, references: await this.referencesOf(runner, keys, new Set(tables.map((entry) => entry.table))) };
  }

  private async referencesOf(runner: QueryRunner, keys: ForeignKey[], dataTables: Set<string>): Promise<Reference[]> {
    const labelled: { table_name: string; column_name: string }[] = await runner.query(
      `SELECT table_name::text, min(column_name::text) AS column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name IN ('name', 'title') GROUP BY table_name`,
    );
    const labelOf = new Map(labelled.map((row) => [row.table_name, row.column_name]));
    return keys
      .filter((key) => dataTables.has(key.table) && !dataTables.has(key.refTable) && key.refTable !== 'candidate')
      .filter((key) => key.columns.length === 1 && labelOf.has(key.refTable) && !NOT_REFERENCED.has(key.refTable))
      .map((key) => ({ table: key.table, column: key.columns[0], refTable: key.refTable, refColumn: key.refColumns[0], label: labelOf.get(key.refTable)! }));
  }

  /** A cursor in the export's snapshot, so a person with years of email never sits in memory at once. */
  private async *rows(runner: QueryRunner, sql: string, params: unknown[]): AsyncIterable<unknown[]> {
    await runner.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const batch: unknown[] = await runner.query(`FETCH ${FETCH_SIZE} FROM export_rows`);
      yield batch;
      if (batch.length < FETCH_SIZE) break;
    }
    await runner.query(`CLOSE export_rows`);
  }

  private async writeExtras(runner: QueryRunner, out: JsonStream, profile: { id: string; full_name: string; email: string; phone: string | null }) {
    const reason = (await this.suppression.reasons([profile.email], runner.manager)).get(addressKey(profile.email));
    await out.write(`,"emailSuppression":${JSON.stringify(reason ? { reason } : null)},`);
    const patterns = mentionPatterns(await identifyingValuesOf((sql, params) => runner.query(sql, params), [profile.id]));
    await out.array('staffEmailMentions', this.rows(runner,
      `SELECT id, template_key, status, created_at, sent_at FROM email
       WHERE category = 'staff' AND (subject ~* ANY($1::text[]) OR html_body ~* ANY($1::text[]) OR text_body ~* ANY($1::text[]))
       ORDER BY created_at, id`, [patterns]));
    await out.write(',');
    await out.array('accessLog', this.rows(runner,
      `SELECT at, action, actor_role, actor_key_id, request_id, details FROM audit_log
       WHERE candidate_id = $1 ORDER BY at, id`, [profile.id]));
  }

  private async labels(runner: QueryRunner, referenced: Map<Reference, Set<string>>): Promise<Record<string, Record<string, string>>> {
    const result: Record<string, Record<string, string>> = {};
    for (const [reference, values] of referenced) {
      if (values.size === 0) continue;
      const rows: { id: string; label: string }[] = await runner.query(
        `SELECT ${quoteIdent(reference.refColumn)}::text AS id, ${quoteIdent(reference.label)}::text AS label
         FROM ${quoteIdent(reference.refTable)} WHERE ${quoteIdent(reference.refColumn)}::text = ANY($1::text[])`,
        [[...values]],
      );
      result[reference.refTable] = { ...result[reference.refTable], ...Object.fromEntries(rows.map((row) => [row.id, row.label])) };
    }
    return result;
  }
}

function notFound(candidateId: string): DomainError {
  return new DomainError('CandidateNotFound', `No candidate with id ${candidateId}.`);
}
