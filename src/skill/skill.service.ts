import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { cursorFormat, decodeCursor, Page, toPage } from '../common/pagination/page';
import { LookupCache } from '../database/lookup-cache';
import { PreparedStatement, runPrepared } from '../database/prepared-statement';
import { TableChanges } from '../database/table-changes';
import { normalizeSkillName } from './skill-name';

const ALIAS_CURSOR = cursorFormat('skill-aliases', 'string');

export interface SkillSuggestion {
  name: string;
  candidates: number;
}

export interface SkillAliasView {
  alias: string;
  skill: string;
}

/**
 * Names as typed (normalised) -> the canonical name and, if the skill
 * exists, its id: the alias first, else the name itself. One statement, as
 * every search runs it.
 */
export const RESOLVE_SKILLS: PreparedStatement = {
  name: 'resolve_skills',
  text: `
  SELECT n.input, coalesce(aliased.name, named.name, n.input) AS name, coalesce(aliased.id, named.id) AS id
  FROM unnest($1::text[]) AS n(input)
  LEFT JOIN skill_alias a ON a.alias = n.input
  LEFT JOIN skill aliased ON aliased.id = a.skill_id
  LEFT JOIN skill named ON named.name = n.input AND a.alias IS NULL`,
};

export interface ResolvedSkills {
  /** Canonical names of what was asked, once each, in the order asked. */
  names: string[];
  /** Canonical name -> id, for the skills that exist. */
  ids: Map<string, number>;
}

/** Arbitrary constant: the advisory lock between writers of skill names (shared) and alias changes (exclusive). */
const SKILL_ALIAS_LOCK_KEY = 741_852_971;

/**
 * First thing in a transaction that may write skill names (candidates' skills, criteria, gaps), before
 * it locks any row: the shared side of the lock an alias change (addAlias) takes exclusively. The two
 * cannot interleave: a write that started first is committed before the alias merges what it wrote,
 * and one that starts after sees the alias. Otherwise an alias could be added while a write was
 * creating the skill of that name, and the skill would be left where no search reaches it. One lock,
 * not one per name: writers never wait for each other, an import batch names thousands of skills (the
 * server's lock table is sized for a few dozen per transaction), and aliases change rarely. Taken after
 * row locks, a writer could wait for an alias merge that waits for the writer's rows.
 */
export async function holdSkillNamesForWriting(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock_shared($1)`, [SKILL_ALIAS_LOCK_KEY]);
}

/** Canonical skill names, aliases, and the ids the candidate tables use. */
@Injectable()
export class SkillService {
  /** Normalised name -> its canonical name and id, for names of skills that exist (read paths only). */
  private readonly known: LookupCache<string, { name: string; id: number | null }>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tableChanges: TableChanges,
  ) {
    this.known = tableChanges.cache(['skill', 'skill_alias'], 50_000);
  }

  /**
   * Canonical names for what people typed: normalised, then aliased.
   * Unknown names stay as their normalised text; empty ones are dropped.
   * A writer calls holdSkillNamesForWriting first in its transaction.
   */
  async canonicalNames(raw: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const known = await this.lookUp(raw, manager);
    return new Map(raw.map((name) => {
      const clean = normalizeSkillName(name);
      return [name, known.get(clean)?.name ?? clean];
    }));
  }

  /** Ids of canonical skill names, creating the ones that are new (set-based, race-safe). */
  async idsFor(canonical: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    const names = [...new Set(canonical)].filter(Boolean);
    if (names.length === 0) return new Map();
    // Only the names not there yet: ON CONFLICT takes a sequence value for every row it is offered, and
    // skill ids must stay below 2^28 (skill_keys holds id * 8 in an int4), so names already known were
    // using ids up at every write (three a profile of three skills).
    await manager.query(
      `INSERT INTO skill (name)
       SELECT n FROM unnest($1::text[]) AS n WHERE NOT EXISTS (SELECT 1 FROM skill s WHERE s.name = n) ORDER BY 1
       ON CONFLICT (name) DO NOTHING`,
      [names],
    );
    const rows: { id: number; name: string }[] = await manager.query(
      `SELECT id, name FROM skill WHERE name = ANY($1::text[])`,
      [names],
    );
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  /** canonicalNames and the ids of the skills that exist, in one round trip (every search starts here). */
  async resolve(raw: string[]): Promise<ResolvedSkills> {
    const known = await this.lookUpCached(raw);
    const names = [...new Set([...known.values()].map((row) => row.name))];
    return { names, ids: new Map([...known.values()].filter((row) => row.id !== null).map((row) => [row.name, row.id!])) };
  }

  /** Normalised input -> its canonical name and, if the skill exists, its id. */
  private async lookUp(raw: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, { name: string; id: number | null }>> {
    const normalised = [...new Set(raw.map(normalizeSkillName).filter(Boolean))];
    if (normalised.length === 0) return new Map();
    const rows: { input: string; name: string; id: number | null }[] = await runPrepared(manager, RESOLVE_SKILLS, [normalised]);
    const byInput = new Map(rows.map((row) => [row.input, { name: row.name, id: row.id }]));
    // In the order asked: search reports the skills as they were typed.
    return new Map(normalised.map((input) => [input, byInput.get(input)!]));
  }

  /**
   * lookUp for readers, from memory where it can: a name of an existing skill resolves the same way
   * until an alias or a skill changes (which empties the cache on every instance). Names of skills
   * that do not exist are always asked: any write may create them. Writers use lookUp, under the lock.
   */
  private lookUpCached(raw: string[]): Promise<Map<string, { name: string; id: number | null }>> {
    const normalised = [...new Set(raw.map(normalizeSkillName).filter(Boolean))];
    return this.known.getMany(normalised, (missing) => this.lookUp(missing), (row) => row.id !== null);
  }

  /**
   * The id of each name, in order, through aliases; null for a skill that does not exist (it matches
   * nobody). Stored names (a campaign's audience) go through here too: one merged into another skill
   * by a later alias still finds that skill.
   */
  async idsOf(names: string[]): Promise<(number | null)[]> {
    const known = await this.lookUpCached(names);
    return names.map((name) => known.get(normalizeSkillName(name))?.id ?? null);
  }

  /** Fuzzy suggestions over names and aliases (pg_trgm), with how many candidates have each. */
  async suggest(query: string, limit: number): Promise<SkillSuggestion[]> {
    const q = normalizeSkillName(query);
    if (!q) throw DomainError.field('q', 'q must contain a letter or digit');
    return this.dataSource.query(
      `WITH matches AS (
         SELECT s.id, s.name, greatest(similarity(s.name, $1), word_similarity($1, s.name)) AS score,
                s.name LIKE $2 AS prefix
         FROM skill s WHERE s.name % $1 OR s.name LIKE $2 OR $1 <% s.name
         UNION ALL
         SELECT s.id, s.name, greatest(similarity(a.alias, $1), word_similarity($1, a.alias)), a.alias LIKE $2
         FROM skill_alias a JOIN skill s ON s.id = a.skill_id
         WHERE a.alias % $1 OR a.alias LIKE $2 OR $1 <% a.alias
       ), best AS (
         SELECT id, name, max(score) AS score, bool_or(prefix) AS prefix FROM matches GROUP BY id, name
         ORDER BY bool_or(prefix) DESC, max(score) DESC LIMIT $3
       )
       SELECT b.name, (SELECT count(*) FROM candidate_skill cs WHERE cs.skill_id = b.id)::int AS candidates
       FROM best b ORDER BY b.prefix DESC, b.score DESC, candidates DESC, b.name`,
      [q, `${q.replace(/[%_\\]/g, '\\$&')}%`, limit],
    );
  }

  async listAliases(limit: number, cursor?: string): Promise<Page<SkillAliasView>> {
    const [after] = cursor ? decodeCursor(cursor, ALIAS_CURSOR) : [null];
    const rows: SkillAliasView[] = await this.dataSource.query(
      `SELECT a.alias, s.name AS skill FROM skill_alias a JOIN skill s ON s.id = a.skill_id
       WHERE $1::text IS NULL OR a.alias > $1 ORDER BY a.alias LIMIT $2`,
      [after, limit + 1],
    );
    return toPage(rows, limit, ALIAS_CURSOR, (last) => [last.alias]);
  }

  /**
   * Adds (or re-points) an alias. If the alias was itself in use as a skill, that skill is merged into
   * the target so no candidate loses it; only when `merge` says so, as nothing undoes it.
   */
  async addAlias(rawAlias: string, rawSkill: string, merge = false): Promise<SkillAliasView> {
    const alias = normalizeSkillName(rawAlias);
    if (!alias) throw DomainError.field('alias', 'alias must contain a letter or digit');
    const added = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SKILL_ALIAS_LOCK_KEY]);
      const target = (await this.canonicalNames([rawSkill], manager)).get(rawSkill)!;
      if (!target) throw DomainError.field('skill', 'skill must contain a letter or digit');
      if (target === alias) throw DomainError.field('alias', 'alias must differ from the skill it stands for');
      if (!merge) await this.refuseUnaskedMerge(manager, alias, target);
      const targetId = (await this.idsFor([target], manager)).get(target)!;
      await manager.query(
        `INSERT INTO skill_alias (alias, skill_id) VALUES ($1, $2)
         ON CONFLICT (alias) DO UPDATE SET skill_id = EXCLUDED.skill_id`,
        [alias, targetId],
      );
      await this.mergeSkill(manager, alias, targetId);
      return { alias, skill: target };
    });
    this.tableChanges.committedHere('skill_alias');
    return added;
  }

  async removeAlias(rawAlias: string): Promise<void> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM skill_alias WHERE alias = $1`,
      [normalizeSkillName(rawAlias)],
    );
    this.tableChanges.committedHere('skill_alias');
    if (result[1] === 0) throw new DomainError('SkillAliasNotFound', `No alias "${rawAlias}".`);
  }

  /** A 409 saying what a merge would move, when the alias is a skill someone or something has. */
  private async refuseUnaskedMerge(manager: EntityManager, alias: string, target: string): Promise<void> {
    const [use]: { candidates: number; vacancies: number; gaps: number }[] = await manager.query(
      `SELECT (SELECT count(*) FROM candidate_skill WHERE skill_id = s.id)::int AS candidates,
              (SELECT count(DISTINCT vacancy_id) FROM vacancy_criterion WHERE skill_id = s.id)::int AS vacancies,
              (SELECT count(*) FROM candidacy_gap_skill WHERE skill_id = s.id)::int AS gaps
       FROM skill s WHERE s.name = $1`,
      [alias],
    );
    if (!use || use.candidates + use.vacancies + use.gaps === 0) return;
    throw new DomainError(
      'SkillAliasConflict',
      `"${alias}" is a skill of ${use.candidates} candidate(s), ${use.vacancies} vacancy(ies) and ${use.gaps} rejection gap(s). ` +
        `As an alias of "${target}" they would all move to "${target}", for good: send "merge": true with an admin key to do that.`,
      { inUse: use },
    );
  }

  private async mergeSkill(manager: EntityManager, name: string, intoId: number): Promise<void> {
    const [old] = await manager.query(`SELECT id FROM skill WHERE name = $1 FOR UPDATE`, [name]);
    if (!old) return;
    await manager.query(
      `INSERT INTO candidate_skill (candidate_id, skill_id, level)
       SELECT candidate_id, $2, level FROM candidate_skill WHERE skill_id = $1
       ON CONFLICT (candidate_id, skill_id) DO UPDATE
         SET level = greatest(candidate_skill.level, EXCLUDED.level)`,
      [old.id, intoId],
    );
    await manager.query(`DELETE FROM candidate_skill WHERE skill_id = $1`, [old.id]);
    // Vacancy criteria and rejection gaps name skills too; they follow the merge so nothing points at the old id.
    await manager.query(
      `INSERT INTO vacancy_criterion (vacancy_id, skill_id, weight, required)
       SELECT vacancy_id, $2, weight, required FROM vacancy_criterion WHERE skill_id = $1
       ON CONFLICT (vacancy_id, skill_id) DO UPDATE
         SET weight = greatest(vacancy_criterion.weight, EXCLUDED.weight),
             required = vacancy_criterion.required OR EXCLUDED.required`,
      [old.id, intoId],
    );
    await manager.query(`DELETE FROM vacancy_criterion WHERE skill_id = $1`, [old.id]);
    await manager.query(
      `INSERT INTO candidacy_gap_skill (candidacy_id, skill_id, source, held_then, level_then)
       SELECT candidacy_id, $2, source, held_then, level_then FROM candidacy_gap_skill WHERE skill_id = $1 ON CONFLICT DO NOTHING`,
      [old.id, intoId],
    );
    await manager.query(`DELETE FROM candidacy_gap_skill WHERE skill_id = $1`, [old.id]);
    await manager.query(`UPDATE skill_alias SET skill_id = $2 WHERE skill_id = $1`, [old.id, intoId]);
    await manager.query(`DELETE FROM skill WHERE id = $1`, [old.id]);
  }
}
