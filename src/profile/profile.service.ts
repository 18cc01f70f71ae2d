import { CandidateLinks } from '../candidate/candidate-links';
import { UUID_PATTERN } from '../common/pagination/page';
import { PublicUrls } from '../common/http/public-urls';
import { Injectable } from '@nestjs/common';
import { CandidateService } from '../candidate/candidate.service';
import { CandidateView } from '../candidate/candidate.view';
import { ConsentService } from '../candidate/consent.service';
import { AppConfig } from '../config/app-config';
import { CandidateInterestService } from '../matching/candidate-interest.service';
import { MatchDecisionService } from '../matching/match-decision.service';
import { TimelineService } from '../timeline/timeline.service';
import { InterestChoice, INTEREST_CHOICES, ProfileFormBody, ProfileValues, readProfileForm } from './profile-form';
import { Lang, ProfilePageModel } from './profile.pages';
import { firstNameOf } from '../candidate/first-name';

export type ProfileOutcome =
  | { kind: 'saved' | 'invalid'; model: ProfilePageModel }
  | { kind: 'removed' | 'not_in_pool' };

const VIA = 'profile page';

/**
 * The candidate's own page behind the signed `/p/:token` link in every
 * email: their skills, location and interest in new roles. Changes go
 * through CandidateService like the API's (same DTO, same validation, same
 * skill normalisation), so matching sees them at once; each is written on
 * the timeline. "Remove me" withdraws talent-pool consent, which stops
 * nurture (pending emails cancelled now, enrollments ended on the next
 * campaign round) and matching.
 */
@Injectable()
export class ProfileService {
  constructor(
    private readonly links: CandidateLinks,
    private readonly candidates: CandidateService,
    private readonly consents: ConsentService,
    private readonly interests: CandidateInterestService,
    private readonly matches: MatchDecisionService,
    private readonly timeline: TimelineService,
    private readonly urls: PublicUrls,
    private readonly config: AppConfig,
  ) {}

  /** The candidate behind a genuine, unexpired profile token, or null (tampered, expired, another purpose, erased). */
  async holderOf(token: string): Promise<CandidateView | null> {
    return this.links.holderOf(token, 'profile');
  }

  localeOf(candidate: CandidateView): Lang {
    return candidate.locale === 'sv' ? 'sv' : 'en';
  }

  /** The page as it opens; `?interest=` preselects an answer (the "still interested" link), `?match=` names an invitation. */
  async show(candidate: CandidateView, token: string, query: { interest?: string; match?: string }): Promise<ProfileOutcome> {
    if (candidate.consent.state === 'withdrawn') return { kind: 'not_in_pool' };
    const preselected = (INTEREST_CHOICES as readonly string[]).includes(query.interest ?? '') ? (query.interest as InterestChoice) : null;
    return { kind: 'saved', model: { ...(await this.model(candidate, token, query.match)), interest: preselected ?? (await this.currentInterest(candidate.id)), saved: false } };
  }

  async submit(candidate: CandidateView, token: string, body: ProfileFormBody): Promise<ProfileOutcome> {
    if (candidate.consent.state === 'withdrawn') return { kind: 'not_in_pool' };
    const form = await readProfileForm(body, valuesOf(candidate));
    if (form.interest === 'remove' && form.errors.every((error) => error.field !== 'interest')) {
      await this.consents.withdraw(candidate.id, 'talent_pool', VIA);
      return { kind: 'removed' };
    }
    const base = await this.model(candidate, token, form.matchId ?? undefined);
    if (form.errors.length > 0) {
      return { kind: 'invalid', model: { ...base, values: form.typed, interest: form.interest, errors: form.errors, saved: false } };
    }
    if (form.changedFields.length > 0) {
      await this.candidates.update(candidate.id, form.changes, {
        auditDetails: { fields: form.changedFields, via: VIA },
        also: (manager) => this.timeline.record(manager, candidate.id, 'profile_updated', { fields: form.changedFields, via: VIA }),
      });
    }
    if (form.interest === 'open' || form.interest === 'not_now') await this.interests.set(candidate.id, form.interest, VIA);
    if (form.interest === 'open' && form.matchId) await this.matches.applyFromLink(candidate.id, form.matchId);
    const updated = await this.candidates.get(candidate.id);
    return {
      kind: 'saved',
      model: { ...(await this.model(updated, token, form.matchId ?? undefined)), interest: await this.currentInterest(candidate.id), saved: true },
    };
  }

  private async model(candidate: CandidateView, token: string, matchId?: string): Promise<ProfilePageModel> {
    const invitation = matchId && UUID_PATTERN.test(matchId) ? await this.matches.invitationFor(candidate.id, matchId) : null;
    return {
      action: this.urls.path(`/p/${token}`),
      firstName: firstNameOf(candidate.fullName),
      company: this.config.COMPANY_NAME,
      values: valuesOf(candidate),
      interest: null,
      invitation: invitation && matchId ? { matchId, vacancyTitle: invitation.vacancyTitle } : null,
      errors: [],
      saved: false,
    };
  }

  private async currentInterest(candidateId: string): Promise<InterestChoice | null> {
    return (await this.interests.get(candidateId)).interest;
  }
}

function valuesOf(candidate: CandidateView): ProfileValues {
  return {
    skills: candidate.skills.map((skill) => ({ name: skill.name, level: skill.level })),
    city: candidate.city ?? '',
    country: candidate.country ?? '',
  };
}
