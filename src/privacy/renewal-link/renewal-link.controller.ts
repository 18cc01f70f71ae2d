import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/roles';
import { PublicUrls } from '../../common/http/public-urls';
import { AppConfig } from '../../config/app-config';
import { renewalPages } from './renewal-link.pages';
import { RenewalLinkService } from './renewal-link.service';
import { CANDIDATE_PAGES } from '../../common/http/candidate-pages';

/**
 * The link in a consent renewal request. GET only shows the choice (mail
 * scanners prefetch links); each choice is a POST. No auth, no cookies.
 */
@ApiExcludeController()
@Public()
@Controller(CANDIDATE_PAGES.consentRenewal)
export class RenewalLinkController {
  constructor(
    private readonly links: RenewalLinkService,
    private readonly urls: PublicUrls,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.links.holderOf(token);
    if (!holder) return this.invalid(res);
    const actions = { renew: this.urls.path(`/consent/${token}/renew`), withdraw: this.urls.path(`/consent/${token}/withdraw`) };
    res.type('html').send(renewalPages.ask(holder.locale, actions, {
      company: this.config.COMPANY_NAME,
      validUntil: holder.validUntil && this.links.formatDate(holder, holder.validUntil),
      months: this.config.CONSENT_VALIDITY_MONTHS,
      graceDays: this.config.CONSENT_GRACE_DAYS,
    }));
  }

  @Post(':token/renew')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async renew(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.links.holderOf(token);
    if (!holder) return this.invalid(res);
    const until = await this.links.renew(holder);
    res.status(200).type('html').send(renewalPages.stayed(holder.locale, this.links.formatDate(holder, until)));
  }

  @Post(':token/withdraw')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async withdraw(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.links.holderOf(token);
    if (!holder) return this.invalid(res);
    await this.links.leave(holder);
    res.status(200).type('html').send(renewalPages.left(holder.locale, this.config.CONSENT_GRACE_DAYS));
  }

  private invalid(res: Response): void {
    res.status(400).type('html').send(renewalPages.invalid(this.config.DEFAULT_LOCALE));
  }
}
