import { CandidateLinks } from '../../candidate/candidate-links';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ConsentService } from '../../candidate/consent.service';
import { PublicUrls } from '../../common/http/public-urls';
import { LEGACY_CONSENT_PURPOSE, Signer } from '../../common/secrets/signer';
import { AppConfig } from '../../config/app-config';
import { RENEWAL_TEXT_VERSION } from './renewal-link.pages';

export interface RenewalLinkHolder {
  candidateId: string;
  locale: 'sv' | 'en';
  timeZone: string;
  /** The current consent's end, if it is still valid. */
  validUntil: Date | null;
}

/**
 * The link in a consent renewal request: the candidate renews (new
 * evidence, source email_link) or leaves (withdrawal, at once). Signed
 * with the `consent_renewal` purpose, valid until the person would be erased.
 */
@Injectable()
export class RenewalLinkService {
  constructor(
    private readonly signer: Signer,
    private readonly urls: PublicUrls,
    private readonly links: CandidateLinks,
    private readonly consents: ConsentService,
    private readonly config: AppConfig,
  ) {}

  /** The URL for the email; works until the person's erasure date (expiry plus the grace period). */
  link(candidateId: string, consentExpiresAt: Date): string {
    const expiresAt = Math.floor(consentExpiresAt.getTime() / 1000) + this.config.CONSENT_GRACE_DAYS * 86_400;
    return this.urls.absolute(`/consent/${this.signer.sign({ purpose: 'consent_renewal', candidateId, expiresAt })}`);
  }

  /** The candidate behind a genuine, unexpired token, or null (tampered, expired, or the person was erased). */
  async holderOf(token: string): Promise<RenewalLinkHolder | null> {
    const candidate = await this.links.holderOf(token, 'consent_renewal', LEGACY_CONSENT_PURPOSE);
    return candidate && {
      candidateId: candidate.id,
      locale: candidate.locale === 'sv' ? 'sv' : 'en',
      timeZone: candidate.timeZone,
      validUntil: candidate.consent.state === 'valid' ? new Date(candidate.consent.validUntil!) : null,
    };
  }

  /** New evidence from today, for CONSENT_VALIDITY_MONTHS; returns its end. */
  async renew(holder: RenewalLinkHolder): Promise<Date> {
    const consent = await this.consents.recordFromLink(holder.candidateId, `${RENEWAL_TEXT_VERSION}-${holder.locale}`);
    return consent.expiresAt;
  }

  /** Withdrawal takes effect at once: out of search and matching, nurture waiting in the outbox is cancelled. */
  async leave(holder: RenewalLinkHolder): Promise<void> {
    await this.consents.withdraw(holder.candidateId, 'talent_pool', 'consent renewal link');
  }

  /** A date as the reader writes it ("2 March 2027", "2 mars 2027"), in their time zone. */
  formatDate(holder: RenewalLinkHolder, date: Date): string {
    return DateTime.fromJSDate(date, { zone: holder.timeZone }).setLocale(holder.locale === 'sv' ? 'sv-SE' : 'en-GB').toLocaleString(DateTime.DATE_FULL);
  }
}
