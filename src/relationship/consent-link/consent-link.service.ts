import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CandidateService } from '../../candidate/candidate.service';
import { ConsentService } from '../../candidate/consent.service';
import { RecordConsentDto } from '../../candidate/dto/consent.dto';
import { Principal } from '../../common/auth/roles';
import { Signer } from '../../common/secrets/signer';
import { Clock } from '../../common/time/clock';
import { MedalPool } from '../medal-pool.service';
import { CONSENT_LINK_TEXT_VERSION } from './consent-link.pages';

export interface ConsentLinkHolder {
  candidateId: string;
  locale: 'sv' | 'en';
}

/** Consent given by the candidate through the signed link in a consent request. */
@Injectable()
export class ConsentLinkService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signer: Signer,
    private readonly candidates: CandidateService,
    private readonly consents: ConsentService,
    private readonly pool: MedalPool,
    private readonly clock: Clock,
  ) {}

  /** The candidate behind a genuine, unexpired consent token, or null (tampered, expired, or the person was erased). */
  async holderOf(token: string): Promise<ConsentLinkHolder | null> {
    const claims = this.signer.verify(token, 'consent', this.clock.now());
    if (!claims) return null;
    const [row] = await this.dataSource.query(`SELECT id, locale FROM candidate WHERE id = $1`, [claims.candidateId]);
    return row ? { candidateId: row.id, locale: row.locale } : null;
  }

  /**
   * Records consent as evidence (source email_link, the page's text
   * version, now), unless consent is already valid (a double submit), then
   * lets the medals that waited for it join the nurture campaign.
   */
  async grant(holder: ConsentLinkHolder): Promise<void> {
    const candidate = await this.candidates.get(holder.candidateId);
    if (candidate.consent.state !== 'valid') {
      await this.consents.record(holder.candidateId, linkConsent(holder.locale), NO_API_KEY);
    }
    await this.pool.consentGiven(holder.candidateId);
  }
}

/**
 * ConsentService.record takes an API principal and refuses `email_link`
 * in its DTO (recruiters must not claim it); here the candidate gave it
 * themselves, with no key. Until ConsentService has a method for consent
 * from a link, the evidence goes through record() with no recorder.
 */
const NO_API_KEY = { keyId: null, role: 'viewer' } as unknown as Principal;
const linkConsent = (locale: string): RecordConsentDto => ({
  scope: 'talent_pool',
  textVersion: `${CONSENT_LINK_TEXT_VERSION}-${locale}`,
  source: 'email_link' as unknown as RecordConsentDto['source'],
});
