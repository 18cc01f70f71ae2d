import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { Locale } from '../config/app-config';
import { blockReason } from '../email/email-gate';
import { OutboxService } from '../email/outbox.service';
import { addressKey, SuppressionService } from '../email/suppression.service';
import { TimelineService } from '../timeline/timeline.service';
import { DismissMatchDto, InviteMatchDto, MatchStatus } from './dto/match.dto';
import { invitationReason, MatchExplanation } from './match-explanation';
import { PHRASES } from './match-phrases';
import { matchNotFound, MatchView, MatchViews } from './match.views';

interface LockedMatch {
  id: string;
  vacancy_id: string;
  candidate_id: string;
  status: MatchStatus;
  explanation: MatchExplanation;
  vacancy_status: string;
  title: string;
  team: string | null;
  location: string | null;
  locale: Locale;
  email: string;
  candidate_status: string;
  unsubscribed_at: Date | null;
  consent_expires_at: Date | null;
  consent_withdrawn_at: Date | null;
  paused_until: Date | null;
  in_process: boolean;
  invitation_email_id: string | null;
  /** The invitation email's status, if one was queued. */
  invitation_status: string | null;
}

/** An invitation in one of these states will never reach the person: inviting again sends a new one. */
const UNDELIVERED = ['cancelled', 'suppressed', 'failed'];

/**
 * What a human decides about a suggestion: invite the person (the
 * new-role invitation email, gated like nurture: they get it only with
 * valid pool consent and not unsubscribed), or dismiss it with a reason.
 * The candidate saying yes through their link marks it applied.
 */
@Injectable()
export class MatchDecisionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly views: MatchViews,
    private readonly outbox: OutboxService,
    private readonly suppression: SuppressionService,
    private readonly timeline: TimelineService,
    private readonly clock: Clock,
  ) {}

  /**
   * Idempotent: inviting an invited (or applied) match changes nothing and sends nothing again,
   * unless that invitation never went out and never will (cancelled when consent lapsed or the
   * person paused, suppressed, failed): then it is sent again, if the person may be contacted now.
   */
  async invite(id: string, dto: InviteMatchDto, principal: Principal): Promise<MatchView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const match = await this.lock(manager, id);
      const undelivered = match.status === 'invited' && UNDELIVERED.includes(match.invitation_status ?? '');
      if ((match.status === 'invited' && !undelivered) || match.status === 'applied') return;
      if (match.status === 'dismissed') throw conflict('The match was dismissed; it cannot be invited.', match);
      if (match.vacancy_status !== 'open') {
        throw new DomainError('VacancyStateConflict', `The vacancy is ${match.vacancy_status}; invitations are for open vacancies.`, {
          vacancyStatus: match.vacancy_status,
        });
      }
      if (match.in_process) throw conflict('The person is already a candidate for this vacancy.', match);
      await this.refuseIfNotReachable(manager, match, now);
      const say = PHRASES[match.locale];
      const links = this.outbox.candidateLinks(match.candidate_id);
      const [email] = await this.outbox.enqueueForCandidates([{
        candidateId: match.candidate_id,
        templateKey: 'new_role_invitation',
        category: 'nurture',
        // A second invitation after an undelivered one needs a key of its own (the first one's is taken).
        idempotencyKey: undelivered ? `match:${match.id}:invitation-after:${match.invitation_email_id}` : `match:${match.id}:invitation`,
        // Nurture by its gating, but about one role: a reply ("yes, but...") reaches whoever recruits for it.
        vacancyId: match.vacancy_id,
        data: {
          vacancy: { title: match.title, team: match.team ?? say.notSpecified, location: match.location ?? say.notSpecified },
          reason: dto.reason ?? invitationReason(match.explanation, match.locale),
          links: { interested: `${links.profile}?interest=open&match=${match.id}` },
        },
      }], manager);
      await manager.query(
        `UPDATE vacancy_match SET status = 'invited', invited_at = $2, invited_by_key_id = $3, invitation_email_id = $4, updated_at = $2
         WHERE id = $1`,
        [match.id, now, principal.keyId, email.id],
      );
      await this.timeline.record(manager, match.candidate_id, 'match_invited', { matchId: match.id, vacancyId: match.vacancy_id }, {
        occurredAt: now, actorKeyId: principal.keyId,
      });
    });
    return this.views.get(id);
  }

  async dismiss(id: string, dto: DismissMatchDto, principal: Principal): Promise<MatchView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const match = await this.lock(manager, id);
      if (match.status === 'dismissed') throw conflict('The match was already dismissed.', match);
      if (match.status === 'applied') throw conflict('The person already said yes to this vacancy; decide in their candidacy instead.', match);
      // An invitation still waiting for its send window must not reach someone the recruiter has since ruled out.
      if (match.invitation_email_id) await this.outbox.cancelIfUnsent(match.invitation_email_id, 'The match was dismissed.', manager);
      await manager.query(
        `UPDATE vacancy_match SET status = 'dismissed', dismissed_at = $2, dismissed_by_key_id = $3, dismiss_reason = $4, updated_at = $2
         WHERE id = $1`,
        [match.id, now, principal.keyId, dto.reason],
      );
      await this.timeline.record(manager, match.candidate_id, 'match_dismissed', {
        matchId: match.id, vacancyId: match.vacancy_id, reason: dto.reason,
      }, { occurredAt: now, actorKeyId: principal.keyId });
    });
    return this.views.get(id);
  }

  /**
   * "Yes, tell me more" from the invitation, through the candidate's own
   * link: only their own invited match of a vacancy still open; anything
   * else is ignored (null).
   */
  async applyFromLink(candidateId: string, matchId: string): Promise<{ vacancyTitle: string } | null> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const [[row]]: [{ vacancy_id: string; title: string }[], number] = await manager.query(
        `UPDATE vacancy_match m SET status = 'applied', applied_at = $3, updated_at = $3
         FROM vacancy v
         WHERE m.id = $1 AND m.candidate_id = $2 AND m.status = 'invited' AND v.id = m.vacancy_id AND v.status = 'open'
         RETURNING m.vacancy_id, v.title`,
        [matchId, candidateId, now],
      );
      if (!row) return null;
      await this.timeline.record(manager, candidateId, 'match_applied', { matchId, vacancyId: row.vacancy_id, via: 'profile page' }, { occurredAt: now });
      return { vacancyTitle: row.title };
    });
  }

  /** The vacancy of the person's own invitation, for the page their "Yes, tell me more" link opens. */
  async invitationFor(candidateId: string, matchId: string): Promise<{ vacancyTitle: string; status: MatchStatus } | null> {
    const [row]: { title: string; status: MatchStatus }[] = await this.dataSource.query(
      `SELECT v.title, m.status FROM vacancy_match m JOIN vacancy v ON v.id = m.vacancy_id
       WHERE m.id = $1 AND m.candidate_id = $2 AND m.status IN ('invited', 'applied') AND v.status = 'open'`,
      [matchId, candidateId],
    );
    return row ? { vacancyTitle: row.title, status: row.status } : null;
  }

  /** The same rules as the outbox's nurture gate, checked first so the recruiter hears why. */
  private async refuseIfNotReachable(manager: EntityManager, match: LockedMatch, now: Date): Promise<void> {
    const suppressed = (await this.suppression.reasons([match.email], manager)).get(addressKey(match.email));
    const extra = { candidateId: match.candidate_id };
    if (match.unsubscribed_at || suppressed === 'unsubscribed') {
      throw new DomainError('CandidateUnsubscribed', 'The person unsubscribed from our emails; they cannot be invited.', extra);
    }
    const blocked = blockReason({
      status: match.candidate_status, unsubscribedAt: match.unsubscribed_at,
      consentExpiresAt: match.consent_expires_at, consentWithdrawnAt: match.consent_withdrawn_at,
    }, 'nurture', now, suppressed);
    if (blocked?.startsWith('talent-pool consent')) {
      throw new DomainError('ConsentMissing', `The person cannot be invited: ${blocked}.`, { ...extra, reason: blocked });
    }
    if (blocked) throw new DomainError('CandidateNotEligible', `The person cannot be invited: ${blocked}.`, { ...extra, reason: blocked });
    if (match.paused_until && match.paused_until > now) {
      throw new DomainError('CandidateNotInterested', 'The person told us "not right now" about new roles.', {
        ...extra, pausedUntil: match.paused_until.toISOString(),
      });
    }
  }

  /**
   * Locks in the order every writer of these rows keeps, person, then vacancy, then match: erasure
   * locks the person and then deletes their matches, and closing locks the vacancy and then cancels
   * its invitations. Locking the match first (and the person later, through the new email's foreign
   * key) deadlocked with an erasure. Sharing the vacancy's lock makes a close wait for an invite in
   * progress, and an invite wait for a close, so neither sees the other half done; sharing the
   * person's makes "not right now" (which locks them for update) wait for an invite in progress and
   * then cancel its invitation, or an invite wait for it and then see the pause.
   */
  private async lock(manager: EntityManager, id: string): Promise<LockedMatch> {
    await manager.query(`SELECT 1 FROM candidate WHERE id = (SELECT candidate_id FROM vacancy_match WHERE id = $1) FOR SHARE`, [id]);
    await manager.query(`SELECT 1 FROM vacancy WHERE id = (SELECT vacancy_id FROM vacancy_match WHERE id = $1) FOR SHARE`, [id]);
    const [row]: LockedMatch[] = await manager.query(
      `SELECT m.id, m.vacancy_id, m.candidate_id, m.status, m.explanation, v.status AS vacancy_status, v.title, v.team, v.location,
              c.locale, c.email, c.status AS candidate_status, c.unsubscribed_at, c.consent_expires_at, c.consent_withdrawn_at,
              i.paused_until, m.invitation_email_id, e.status AS invitation_status,
              EXISTS (SELECT 1 FROM candidacy cy WHERE cy.vacancy_id = m.vacancy_id AND cy.candidate_id = m.candidate_id) AS in_process
       FROM vacancy_match m
       JOIN vacancy v ON v.id = m.vacancy_id
       JOIN candidate c ON c.id = m.candidate_id
       LEFT JOIN candidate_interest i ON i.candidate_id = m.candidate_id
       LEFT JOIN email e ON e.id = m.invitation_email_id
       WHERE m.id = $1
       FOR UPDATE OF m`,
      [id],
    );
    if (!row) throw matchNotFound(id);
    return row;
  }
}

function conflict(detail: string, match: LockedMatch): DomainError {
  return new DomainError('MatchStateConflict', detail, { matchStatus: match.status });
}
