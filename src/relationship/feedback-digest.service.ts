import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AppConfig, Locale } from '../config/app-config';
import { OutboxService } from '../email/outbox.service';
import { addressKey, SuppressionService } from '../email/suppression.service';
import { PrivacyRequestKind } from '../privacy/requests/dto/privacy-request.dto';
import { OverduePrivacyRequest, PrivacyRequestService } from '../privacy/requests/privacy-request.service';
import { Stage } from './candidacy-stages';
import { OverdueDecision, overdueDecisions } from './decisions-overdue';
import { DueItem, FeedbackDueService } from './feedback-due.service';
import { FeedbackOwner } from './feedback-policy';
import { claimDailyRun, organisationDay, recordDailyReport } from '../common/scheduling/daily-job';

export interface DigestReport {
  /** The organisation's date the run is for. */
  day: string;
  /** false: before FEEDBACK_DIGEST_HOUR, or another run (any instance) already did this day. */
  ran: boolean;
  digests: number;
  items: number;
  /** People still in process after the decision date their confirmation promised. */
  decisionsOverdue: number;
  /** Overdue data-subject requests listed in PRIVACY_CONTACT_EMAIL's digest (0 when unset). */
  privacyRequests: number;
}

interface Digest {
  toAddress: string;
  name: string;
  items: DueItem[];
  decisions: OverdueDecision[];
  privacyRequests: OverduePrivacyRequest[];
}

/** What the digest lists for an owner, who may be unreachable (reachableOwners). */
interface Owned {
  vacancy: { id: string };
  owner: { role: FeedbackOwner; name: string; email: string };
}

/**
 * People listed per section, the most overdue first; the rest are counted ("…and 250 more"). A digest of
 * everyone rendered past the email size cap for the person who owed the most, who then got nothing.
 */
export const DIGEST_LINES = 50;

const JOB = 'feedback_digest';

const STAGE_LABELS: Record<Locale, Record<Stage, string>> = {
  en: { applied: 'Application', screening: 'Phone screen', interview: 'Interview', final: 'Final interview', offer: 'Offer' },
  sv: { applied: 'Ansökan', screening: 'Telefonintervju', interview: 'Intervju', final: 'Slutintervju', offer: 'Erbjudande' },
};

const PRIVACY_KIND_LABELS: Record<Locale, Record<PrivacyRequestKind, string>> = {
  en: { access: 'Access', erasure: 'Erasure', rectification: 'Rectification' },
  sv: { access: 'Registerutdrag', erasure: 'Radering', rectification: 'Rättelse' },
};

/** The greeting for PRIVACY_CONTACT_EMAIL when it owes no feedback itself (and so has no name on file). */
const PRIVACY_CONTACT_NAMES: Record<Locale, string> = { en: 'data protection team', sv: 'dataskyddsansvarig' };

/**
 * Once a day, each hiring manager and recruiter gets one email listing the
 * feedback they owe that is overdue or due soon; nobody gets an empty one.
 * PRIVACY_CONTACT_EMAIL's digest also lists the data-subject requests past
 * their legal deadline (in the same email when that address owes feedback
 * too, on its own when not).
 * "Once" holds across instances: the run claims (job, day) in job_run in
 * the same transaction that queues the emails, so a second instance (or a
 * second tick) finds the day taken, and a failed run leaves it free.
 */
@Injectable()
export class FeedbackDigestService {
  private readonly logger = new Logger(FeedbackDigestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly due: FeedbackDueService,
    private readonly outbox: OutboxService,
    private readonly suppression: SuppressionService,
    private readonly privacyRequests: PrivacyRequestService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * A recruiter whose address is suppressed (bounced, complained) would get the digest nowhere, every
   * day: their items (feedback due, decisions overdue) go to the vacancy's hiring manager instead.
   * Both lists in one look at the suppression list.
   */
  private async reachableOwners<A extends Owned, B extends Owned>(manager: EntityManager, first: A[], second: B[]): Promise<[A[], B[]]> {
    const items: (A | B)[] = [...first, ...second];
    const blocked = await this.suppression.reasons(items.filter((item) => item.owner.role === 'recruiter').map((item) => item.owner.email), manager);
    const stranded = items.filter((item) => item.owner.role === 'recruiter' && blocked.has(addressKey(item.owner.email)));
    if (stranded.length === 0) return [first, second];
    const managers: { id: string; name: string; email: string }[] = await manager.query(
      `SELECT id, hiring_manager_name AS name, hiring_manager_email AS email FROM vacancy WHERE id = ANY($1::uuid[])`,
      [[...new Set(stranded.map((item) => item.vacancy.id))]],
    );
    const managerOf = new Map(managers.map((row) => [row.id, row]));
    const strandedSet = new Set<Owned>(stranded);
    const reroute = <T extends Owned>(item: T): T => {
      const fallback = strandedSet.has(item) ? managerOf.get(item.vacancy.id) : undefined;
      return fallback ? { ...item, owner: { role: 'hiring_manager' as const, name: fallback.name, email: fallback.email } } : item;
    };
    return [first.map(reroute), second.map(reroute)];
  }

  async runDaily(): Promise<DigestReport> {
    const now = this.clock.now();
    const { day, due } = organisationDay(now, this.config.DEFAULT_TIME_ZONE, this.config.FEEDBACK_DIGEST_HOUR);
    const notRun = { day, ran: false, digests: 0, items: 0, decisionsOverdue: 0, privacyRequests: 0 };
    if (!due) return notRun;
    const report = await this.dataSource.transaction(async (manager) => {
      if (!(await claimDailyRun(manager, JOB, day, now))) return notRun;
      const locale = this.config.DEFAULT_LOCALE;
      const due = await this.due.overdueOrDueSoon(manager, now);
      const late = await overdueDecisions(manager, now, this.config.DEFAULT_TIME_ZONE);
      const present = await holdPeople(manager, [...due, ...late].map((entry) => entry.candidate.id));
      const [items, decisions] = await this.reachableOwners(
        manager, due.filter((item) => present.has(item.candidate.id)), late.filter((decision) => present.has(decision.candidate.id)),
      );
      const digests = new Map<string, Digest>();
      const digestOf = (owner: { name: string; email: string }) => {
        const key = addressKey(owner.email);
        const digest = digests.get(key) ?? { toAddress: owner.email, name: owner.name, items: [], decisions: [], privacyRequests: [] };
        digests.set(key, digest);
        return digest;
      };
      for (const item of items) digestOf(item.owner).items.push(item);
      for (const decision of decisions) digestOf(decision.owner).decisions.push(decision);
      const contact = this.config.PRIVACY_CONTACT_EMAIL?.trim();
      const overdueRequests = contact ? await this.privacyRequests.overdue(now, manager) : [];
      if (contact && overdueRequests.length > 0) {
        const key = addressKey(contact);
        const digest = digests.get(key) ?? { toAddress: contact, name: PRIVACY_CONTACT_NAMES[locale], items: [], decisions: [], privacyRequests: [] };
        digest.privacyRequests = overdueRequests;
        digests.set(key, digest);
      }
      for (const [address, digest] of digests) {
        await this.outbox.enqueueForStaff({
          toAddress: digest.toAddress,
          locale,
          timeZone: this.config.DEFAULT_TIME_ZONE,
          templateKey: 'feedback_digest',
          idempotencyKey: `feedback-digest:${day}:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`,
          data: {
            recipient: { name: digest.name },
            items: digest.items.slice(0, DIGEST_LINES).map((item) => ({ ...personLine(item, locale), dueAt: item.dueOn })),
            ...(digest.items.length > DIGEST_LINES && { itemsMore: digest.items.length - DIGEST_LINES }),
            ...(digest.decisions.length > 0 && {
              decisionsOverdue: digest.decisions.slice(0, DIGEST_LINES)
                .map((decision) => ({ ...personLine(decision, locale), promisedBy: decision.promisedBy })),
            }),
            ...(digest.decisions.length > DIGEST_LINES && { decisionsMore: digest.decisions.length - DIGEST_LINES }),
            ...(digest.privacyRequests.length > 0 && {
              privacyRequests: digest.privacyRequests.map((request) => ({
                kind: PRIVACY_KIND_LABELS[locale][request.kind],
                receivedAt: request.receivedAt,
                dueOn: request.dueOn,
                daysOverdue: request.daysOverdue,
              })),
            }),
          },
        }, manager);
      }
      const result = {
        day, ran: true, digests: digests.size, items: items.length, decisionsOverdue: decisions.length, privacyRequests: overdueRequests.length,
      };
      await recordDailyReport(manager, JOB, day, result);
      return result;
    });
    if (report.ran) {
      const { day: reportDay, digests, items, decisionsOverdue, privacyRequests } = report;
      this.logger.log({ day: reportDay, digests, items, decisionsOverdue, privacyRequests }, 'Feedback digest queued');
    }
    return report;
  }
}

/** Who is waiting, for what, since when: a line of the digest, feedback or decision alike. */
function personLine(entry: { candidate: { fullName: string }; vacancy: { title: string }; stage: Stage; daysLate: number }, locale: Locale) {
  return {
    candidateName: entry.candidate.fullName,
    vacancyTitle: entry.vacancy.title,
    stage: STAGE_LABELS[locale][entry.stage],
    daysLate: entry.daysLate,
  };
}

/**
 * The digest names people: they are held (KEY SHARE, in id order as erasure locks them) until it
 * commits, so an erasure that comes meanwhile waits and then redacts the digest. Returns those
 * still there: anyone erased since the lists were read is left out.
 */
async function holdPeople(manager: EntityManager, candidateIds: string[]): Promise<Set<string>> {
  if (candidateIds.length === 0) return new Set();
  const held: { id: string }[] = await manager.query(
    `SELECT id FROM candidate WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE`, [[...new Set(candidateIds)]],
  );
  return new Set(held.map((row) => row.id));
}
