import { candidateDataTables, ForeignKey, rowsOfCandidateSql } from './candidate-data-tables';

const fk = (table: string, columns: string[], refTable: string, refColumns = ['id']): ForeignKey => ({ table, columns, refTable, refColumns });

const KEYS: ForeignKey[] = [
  fk('candidacy', ['candidate_id'], 'candidate'),
  fk('candidacy', ['vacancy_id'], 'vacancy'),
  fk('feedback', ['candidacy_id'], 'candidacy'),
  fk('feedback_due', ['candidacy_id'], 'candidacy'),
  fk('feedback_due', ['feedback_id'], 'feedback'),
  fk('medal', ['candidacy_id'], 'candidacy'),
  fk('medal', ['candidate_id'], 'candidate'),
  fk('vacancy_criterion', ['vacancy_id'], 'vacancy'),
  fk('consent', ['recorded_by_key_id'], 'api_key'),
  fk('consent', ['candidate_id'], 'candidate'),
  fk('pair_child', ['a', 'b'], 'pair_parent', ['x', 'y']),
  fk('pair_parent', ['candidate_id'], 'candidate'),
];

describe(candidateDataTables.name, () => {
  it('finds every table that references candidate directly or through another such table, by the shortest path', () => {
    const tables = candidateDataTables(KEYS);
    expect(tables.map((entry) => entry.table).sort()).toEqual(
      ['candidacy', 'consent', 'feedback', 'feedback_due', 'medal', 'pair_child', 'pair_parent'],
    );
    expect(tables.find((entry) => entry.table === 'medal')!.path).toEqual([fk('medal', ['candidate_id'], 'candidate')]);
    expect(tables.find((entry) => entry.table === 'feedback_due')!.path.map((key) => key.refTable)).toEqual(['candidacy', 'candidate']);
  });

  it('ignores lookup tables the candidate data points to (vacancies, API keys)', () => {
    const tables = candidateDataTables(KEYS).map((entry) => entry.table);
    expect(tables).not.toContain('vacancy');
    expect(tables).not.toContain('vacancy_criterion');
    expect(tables).not.toContain('api_key');
  });
});

describe(rowsOfCandidateSql.name, () => {
  const sqlOf = (table: string) => rowsOfCandidateSql(candidateDataTables(KEYS).find((entry) => entry.table === table)!);

  it('selects direct rows by the candidate column and indirect ones through their parents', () => {
    expect(sqlOf('consent')).toBe('SELECT * FROM "consent" WHERE "candidate_id" = $1');
    expect(sqlOf('feedback')).toBe(
      'SELECT * FROM "feedback" WHERE ("candidacy_id") IN (SELECT "id" FROM "candidacy" WHERE "candidate_id" = $1)',
    );
    expect(sqlOf('pair_child')).toBe(
      'SELECT * FROM "pair_child" WHERE ("a", "b") IN (SELECT "x", "y" FROM "pair_parent" WHERE "candidate_id" = $1)',
    );
  });
});
