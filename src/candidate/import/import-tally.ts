import { RowProblem } from './import-row';

export const MAX_REPORTED_ERRORS = 1000;

export interface ImportResult {
  created: number;
  updated: number;
  /** Rows for a stored person that changed nothing: their profile and its "last updated" stay as they were. */
  unchanged: number;
  failed: number;
  /** The problems of the first rows, MAX_REPORTED_ERRORS at most, in file order; `failed` counts every failed row. */
  errors: RowProblem[];
  errorsTruncated: boolean;
}

/** What writing one candidate (the rows of a batch that share an email) came to. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'erased';

/** The import's counts and its list of row problems, bounded in memory. */
export class ImportTally {
  created = 0;
  updated = 0;
  unchanged = 0;
  failed = 0;
  private readonly errors: RowProblem[] = [];
  private truncated = false;

  /** The rows of one written candidate. Merged duplicates count as if applied one after another: the first may create, the rest update. */
  written(rows: number[], outcome: WriteOutcome): void {
    if (outcome === 'erased') {
      for (const row of rows) {
        this.fail([{
          row, field: 'email',
          message: 'belongs to a person erased from the pool (at their request, or when their consent or the time we may keep them ran out); ' +
            'add them one at a time (POST /api/v1/candidates) only if they came back to you themselves',
        }]);
      }
      return;
    }
    if (outcome === 'unchanged') {
      this.unchanged += rows.length;
      return;
    }
    this.created += outcome === 'created' ? 1 : 0;
    this.updated += rows.length - (outcome === 'created' ? 1 : 0);
  }

  /** One failed row, with every problem found in it. */
  fail(problems: RowProblem[]): void {
    this.failed += 1;
    this.errors.push(...problems);
    if (this.errors.length >= 2 * MAX_REPORTED_ERRORS) this.keepFirstRows();
  }

  result(): ImportResult {
    this.keepFirstRows();
    return {
      created: this.created, updated: this.updated, unchanged: this.unchanged, failed: this.failed,
      errors: this.errors, errorsTruncated: this.truncated,
    };
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
