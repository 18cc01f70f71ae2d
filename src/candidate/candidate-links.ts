import { Injectable } from '@nestjs/common';
import { LinkPurpose, Signer } from '../common/secrets/signer';
import { Clock } from '../common/time/clock';
import { CandidateView, CandidateViews } from './candidate.view';

/** Who a link in an email belongs to: the pages candidates reach without logging in start here. */
@Injectable()
export class CandidateLinks {
  constructor(
    private readonly signer: Signer,
    private readonly views: CandidateViews,
    private readonly clock: Clock,
  ) {}

  /** The candidate behind a genuine, unexpired token of one of these purposes, or null (tampered, expired, another purpose, erased). */
  async holderOf(token: string, ...purposes: LinkPurpose[]): Promise<CandidateView | null> {
    const now = this.clock.now();
    const claims = purposes.map((purpose) => this.signer.verify(token, purpose, now)).find(Boolean);
    if (!claims) return null;
    return (await this.views.loadOne(claims.candidateId)) ?? null;
  }
}
