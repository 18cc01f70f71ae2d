import { Injectable } from '@nestjs/common';
import { VacancyService } from '../../vacancy/vacancy.service';
import { VacancyStaff } from '../../vacancy/vacancy.view';
import { firstUnblocked, SuppressionReason, SuppressionService } from '../suppression.service';

/**
 * A Reply-To as nodemailer takes it. Passed as an object, never written
 * into a header string here: nodemailer quotes or encodes the name, so a
 * recruiter called `Lund, Rita "RL"` or one with a line break in the name
 * cannot break the header or add one.
 */
export interface Mailbox {
  name: string;
  address: string;
}

/**
 * Why an address cannot be the one candidates reply to: it bounced, or its owner reported our mail as
 * spam. An unsubscribe (a recruiter who was once in the pool and left a nurture list) or an erasure of
 * the address as a candidate's says nothing about whether a colleague's reply reaches them.
 */
const CANNOT_TAKE_REPLIES: ReadonlySet<SuppressionReason> = new Set(['hard_bounce', 'complaint']);

/**
 * Who gets the reply to an email about a vacancy: its recruiter, else its
 * hiring manager, skipping an address that cannot take replies (it bounced:
 * a reply would bounce too, and the candidate would think we ignore them).
 * None left: undefined, and the sender's default (MAIL_REPLY_TO, else
 * MAIL_FROM) applies, as for mail that is not about a vacancy.
 */
export function replyToOf(staff: VacancyStaff, suppressed: ReadonlyMap<string, SuppressionReason>): Mailbox | undefined {
  const undeliverable = new Map([...suppressed].filter(([, reason]) => CANNOT_TAKE_REPLIES.has(reason)));
  const reachable = firstUnblocked([staff.recruiter, staff.hiringManager].filter((contact) => contact !== null), undeliverable);
  return reachable ? { name: reachable.name, address: reachable.email } : undefined;
}

/**
 * Reply-To of the emails a sender has claimed. Looked up when they are
 * sent, not stored when they are queued: a recruiter who takes over the
 * vacancy meanwhile is the one the candidate should reach, and a bounce
 * since then is seen. The outbox row keeps only the vacancy's id, so no
 * staff address is copied into candidate data either.
 */
@Injectable()
export class ReplyToResolver {
  constructor(
    private readonly vacancies: VacancyService,
    private readonly suppression: SuppressionService,
  ) {}

  /** By email id; emails not about a vacancy, or whose staff cannot be reached, are absent. */
  async forEmails(emails: { id: string; vacancyId: string | null }[]): Promise<Map<string, Mailbox>> {
    const vacancyIds = [...new Set(emails.flatMap((email) => (email.vacancyId ? [email.vacancyId] : [])))];
    // Nurture and most other mail: no query at all.
    if (vacancyIds.length === 0) return new Map();
    const staff = await this.vacancies.staff(vacancyIds);
    const addresses = [...staff.values()].flatMap(({ recruiter, hiringManager }) => [hiringManager.email, ...(recruiter ? [recruiter.email] : [])]);
    // The database, not the per-instance cache: a bounce seconds ago must already count.
    const suppressed = await this.suppression.reasons(addresses);
    const byVacancy = new Map([...staff].map(([id, people]) => [id, replyToOf(people, suppressed)]));
    const replyTo = new Map<string, Mailbox>();
    for (const email of emails) {
      const mailbox = email.vacancyId ? byVacancy.get(email.vacancyId) : undefined;
      if (mailbox) replyTo.set(email.id, mailbox);
    }
    return replyTo;
  }
}
