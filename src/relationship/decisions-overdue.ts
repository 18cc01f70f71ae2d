import { EntityManager } from 'typeorm';
import { Stage } from './candidacy-stages';
import { FeedbackOwner } from './feedback-policy';

/** Someone still in process after the date their application confirmation promised an answer by. */
export interface OverdueDecision {
  candidacyId: string;
  candidate: { id: string; fullName: string };
  vacancy: { id: string; title: string };
  stage: Stage;
  owner: { role: FeedbackOwner; name: string; email: string };
  /** The vacancy's expectedDecisionDate. */
  promisedBy: string;
  /** Calendar days since promisedBy, in the organisation's time zone. */
  daysLate: number;
}

/**
 * Pending candidacies of open vacancies whose decision date has passed: the
 * confirmation email promised them an answer by then, so they are being
 * ghosted as surely as a rejection without feedback. Owned like feedback:
 * the recruiter, or the hiring manager when there is none.
 */
export async function overdueDecisions(manager: EntityManager, now: Date, timeZone: string): Promise<OverdueDecision[]> {
  const rows: {
    candidacy_id: string; candidate_id: string; full_name: string; vacancy_id: string; title: string; stage: Stage;
    owner_role: FeedbackOwner; owner_name: string; owner_email: string; promised_by: string; days_late: number;
  }[] = await manager.query(
    `SELECT cy.id AS candidacy_id, c.id AS candidate_id, c.full_name, v.id AS vacancy_id, v.title, cy.stage,
            CASE WHEN v.recruiter_email IS NOT NULL THEN 'recruiter' ELSE 'hiring_manager' END AS owner_role,
            CASE WHEN v.recruiter_email IS NOT NULL THEN v.recruiter_name ELSE v.hiring_manager_name END AS owner_name,
            coalesce(v.recruiter_email, v.hiring_manager_email) AS owner_email,
            v.expected_decision_date::text AS promised_by,
            ($1::timestamptz AT TIME ZONE $2)::date - v.expected_decision_date AS days_late
     FROM candidacy cy
     JOIN vacancy v ON v.id = cy.vacancy_id
     JOIN candidate c ON c.id = cy.candidate_id
     WHERE cy.outcome = 'pending' AND v.status = 'open' AND v.expected_decision_date < ($1::timestamptz AT TIME ZONE $2)::date
     ORDER BY v.expected_decision_date, cy.created_at, cy.id`,
    [now, timeZone],
  );
  return rows.map((row) => ({
    candidacyId: row.candidacy_id,
    candidate: { id: row.candidate_id, fullName: row.full_name },
    vacancy: { id: row.vacancy_id, title: row.title },
    stage: row.stage,
    owner: { role: row.owner_role, name: row.owner_name, email: row.owner_email },
    promisedBy: row.promised_by,
    daysLate: row.days_late,
  }));
}
