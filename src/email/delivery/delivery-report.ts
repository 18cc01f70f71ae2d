/** What becomes of each claimed row in a delivery round, and the round's counts. */

/** What one delivery round did, by outcome. */
export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  deferred: number;
}

/** The outcome recorded for one claimed row. */
export interface RowResult {
  id: string;
  status: 'sent' | 'queued' | 'failed' | 'suppressed';
  error: string | null;
  nextAttemptAt: Date | null;
  refundAttempt: boolean;
}

/** A claimed row handed back untouched: its attempt does not count. */
export const requeued = (id: string): RowResult => ({ id, status: 'queued', error: null, nextAttemptAt: null, refundAttempt: true });

/** Adds a chunk's results to the round's report. */
export function tally(report: DeliveryReport, results: RowResult[]): void {
  for (const result of results) {
    if (result.status === 'sent') report.sent++;
    else if (result.status === 'failed') report.failed++;
    else if (result.status === 'suppressed') report.suppressed++;
    else if (result.refundAttempt) report.deferred++;
    else report.retried++;
  }
}
