import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth/roles';
import { AppConfig } from '../config/app-config';
import { ProfileFormBody } from './profile-form';
import { profilePages } from './profile.pages';
import { ProfileOutcome, ProfileService } from './profile.service';
import { CANDIDATE_PAGES } from '../common/http/candidate-pages';

/**
 * The candidate's own profile page, behind the signed link in every email.
 * GET only shows it (mail scanners prefetch links); POST saves. No auth,
 * no cookies, no scripts.
 */
@ApiExcludeController()
@Public()
@Controller(CANDIDATE_PAGES.profile)
export class ProfileController {
  constructor(
    private readonly profiles: ProfileService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(
    @Param('token') token: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const candidate = await this.profiles.holderOf(token);
    if (!candidate) return this.invalid(res);
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const outcome = await this.profiles.show(candidate, token, { interest: text(query.interest), match: text(query.match) });
    this.send(res, this.profiles.localeOf(candidate), outcome);
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async save(@Param('token') token: string, @Body() body: ProfileFormBody, @Res() res: Response): Promise<void> {
    const candidate = await this.profiles.holderOf(token);
    if (!candidate) return this.invalid(res);
    const outcome = await this.profiles.submit(candidate, token, body && typeof body === 'object' ? body : {});
    this.send(res, this.profiles.localeOf(candidate), outcome);
  }

  private send(res: Response, lang: 'sv' | 'en', outcome: ProfileOutcome): void {
    const page = 'model' in outcome
      ? profilePages.profile(lang, outcome.model)
      : outcome.kind === 'removed' ? profilePages.removed(lang) : profilePages.notInPool(lang);
    res.status(outcome.kind === 'invalid' ? 400 : 200).type('html').send(page);
  }

  private invalid(res: Response): void {
    res.status(400).type('html').send(profilePages.invalid(this.config.DEFAULT_LOCALE));
  }
}
