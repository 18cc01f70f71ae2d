import { QueryFailedError } from 'typeorm';
import { safeErrorLog } from './safe-error-log';

describe(safeErrorLog.name, () => {
  it('keeps the values of a failed statement out of the log', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "candidate_email_unique"'), {
      code: '23505',
      constraint: 'candidate_email_unique',
      table: 'candidate',
      detail: 'Key (lower(email))=(ada@example.com) already exists.',
    });
    const error = new QueryFailedError('INSERT INTO candidate ...', ['Ada Lovelace', 'ada@example.com'], driverError);
    const logged = JSON.stringify(safeErrorLog(error));
    expect(logged).not.toContain('ada@example.com');
    expect(logged).not.toContain('Ada Lovelace');
    expect(safeErrorLog(error)).toMatchObject({ error: 'QueryFailedError', sqlState: '23505', constraint: 'candidate_email_unique' });
  });
});
