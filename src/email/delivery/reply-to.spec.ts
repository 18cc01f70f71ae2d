import { SuppressionReason } from '../suppression.service';
import { replyToOf } from './reply-to';

describe(replyToOf.name, () => {
  const recruiter = { name: 'Rita Lund', email: 'rita.lund@acme.test' };
  const hiringManager = { name: 'Hanna Berg', email: 'hanna.berg@acme.test' };
  const none = new Map<string, SuppressionReason>();

  it('is the recruiter, else the hiring manager', () => {
    expect(replyToOf({ recruiter, hiringManager }, none)).toEqual({ name: 'Rita Lund', address: 'rita.lund@acme.test' });
    expect(replyToOf({ recruiter: null, hiringManager }, none)).toEqual({ name: 'Hanna Berg', address: 'hanna.berg@acme.test' });
  });

  it('passes over a suppressed address, however it is spelt, and gives none when both are', () => {
    const bounced = new Map<string, SuppressionReason>([['rita.lund@acme.test', 'hard_bounce']]);
    expect(replyToOf({ recruiter: { ...recruiter, email: 'Rita.Lund@ACME.test' }, hiringManager }, bounced)).toEqual({
      name: 'Hanna Berg', address: 'hanna.berg@acme.test',
    });
    const both = new Map<string, SuppressionReason>([...bounced, ['hanna.berg@acme.test', 'complaint']]);
    expect(replyToOf({ recruiter, hiringManager }, both)).toBeUndefined();
    expect(replyToOf({ recruiter: null, hiringManager }, both)).toBeUndefined();
  });

  it('keeps a recruiter who unsubscribed from nurture mail or was erased as a candidate: their inbox still takes replies', () => {
    for (const reason of ['unsubscribed', 'erased'] as const) {
      expect(replyToOf({ recruiter, hiringManager }, new Map([['rita.lund@acme.test', reason]]))).toEqual({
        name: 'Rita Lund', address: 'rita.lund@acme.test',
      });
    }
  });
});
