import { DEFAULT_FEEDBACK_POLICY, feedbackOwed, withDefaults } from './feedback-policy';

const ZONE = 'Europe/Stockholm';
// Thursday 2026-03-05, 14:00 in Stockholm.
const THURSDAY = new Date('2026-03-05T13:00:00Z');

describe(feedbackOwed.name, () => {
  it('owes a personal email within 5 business days after screening', () => {
    expect(feedbackOwed(DEFAULT_FEEDBACK_POLICY, 'screening', THURSDAY, ZONE)).toMatchObject({
      rung: { channel: 'email', withinBusinessDays: 5, writtenFollowUp: false, owner: 'recruiter' },
      deadline: { dueOn: '2026-03-12' },
    });
  });

  it('owes a call with a written follow-up within 3 business days after an interview or the final', () => {
    for (const stage of ['interview', 'final'] as const) {
      expect(feedbackOwed(DEFAULT_FEEDBACK_POLICY, stage, THURSDAY, ZONE)).toMatchObject({
        rung: { channel: 'phone', writtenFollowUp: true, owner: 'hiring_manager' },
        deadline: { dueOn: '2026-03-10' },
      });
    }
  });

  it('counts the holidays of the policy and owes nothing where the policy says so', () => {
    const policy = withDefaults({ publicHolidays: ['2026-03-06', '2026-03-09'], rejection: { applied: { owed: false } } as never });
    expect(feedbackOwed(policy, 'interview', THURSDAY, ZONE)?.deadline.dueOn).toBe('2026-03-12');
    expect(feedbackOwed(policy, 'applied', THURSDAY, ZONE)).toBeNull();
  });
});
