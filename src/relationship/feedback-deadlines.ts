import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Stage } from './candidacy-stages';
import { feedbackOwed, FeedbackPolicy } from './feedback-policy';

/** Opening the deadlines that rejections owe, one statement for any number of candidacies. */
@Injectable()
export class FeedbackDeadlines {
  constructor(private readonly config: AppConfig) {}

  /** Each rejected candidacy gets the deadline of its stage's rung; rungs that owe nothing create none. */
  async open(manager: EntityManager, rejected: { candidacyId: string; stage: Stage }[], decidedAt: Date, policy: FeedbackPolicy): Promise<number> {
    const rows = rejected.flatMap(({ candidacyId, stage }) => {
      const owed = feedbackOwed(policy, stage, decidedAt, this.config.DEFAULT_TIME_ZONE);
      if (!owed) return [];
      return [{
        candidacy_id: candidacyId,
        stage,
        channel: owed.rung.channel,
        owner_role: owed.rung.owner,
        written_follow_up: owed.rung.writtenFollowUp,
        due_on: owed.deadline.dueOn,
        due_at: owed.deadline.dueAt.toISOString(),
      }];
    });
    if (rows.length === 0) return 0;
    await manager.query(
      `INSERT INTO feedback_due (candidacy_id, stage, channel, owner_role, written_follow_up, decided_at, due_on, due_at)
       SELECT r.candidacy_id, r.stage, r.channel, r.owner_role, r.written_follow_up, $2, r.due_on, r.due_at
       FROM jsonb_to_recordset($1::jsonb) AS r(candidacy_id uuid, stage text, channel text, owner_role text,
                                              written_follow_up boolean, due_on date, due_at timestamptz)
       ON CONFLICT (candidacy_id) DO NOTHING`,
      [JSON.stringify(rows), decidedAt],
    );
    return rows.length;
  }
}
