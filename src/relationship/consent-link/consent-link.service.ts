import { CandidateLinks } from '../../candidate/candidate-links';
import { Injectable } from '@nestjs/common';
import { ConsentService } from '../../candidate/consent.service';
import { MedalPool } from '../medal-pool.service';
import { CONSENT_LINK_TEXT_VERSION } from './consent-link.pages';
import { LEGACY_CONSENT_PURPOSE } from '../../common/secrets/signer';

export interface ConsentLinkHolder {
  candidateId: string;
  locale: 'sv' | 'en';
}

/** Consent given by the candidate through the signed link in a consent request. */
@Injectable()
export class ConsentLinkService {
  constructor(
    private readonly links: CandidateLinks,
    private readonly consents: ConsentService,
    private readonly pool: MedalPool,
  ) {}

  /** The candidate behind a genuine, unexpired consent token, or null (tampered, expired, or the person was erased). */
  async holderOf(token: string): Promise<ConsentLinkHolder | null> {
    const candidate = await this.links.holderOf(token, 'consent_request', LEGACY_CONSENT_PURPOSE);
    return candidate && { candidateId: candidate.id, locale: candidate.locale === 'sv' ? 'sv' : 'en' };
  }

  /**
   * Records consent as evidence (source email_link, the page's text
   * version, now), unless consent is already valid (a double submit), then
   * lets the medals that waited for it join the nurture campaign.
   */
  async grant(holder: ConsentLinkHolder): Promise<void> {
    await this.consents.recordFromLink(holder.candidateId, `${CONSENT_LINK_TEXT_VERSION}-${holder.locale}`, { onlyIfNotValid: true });
    await this.pool.consentGiven(holder.candidateId);
  }
}
