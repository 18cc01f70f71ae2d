import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/roles';
import { PublicUrls } from '../../common/http/public-urls';
import { AppConfig } from '../../config/app-config';
import { consentLinkPages } from './consent-link.pages';
import { ConsentLinkService } from './consent-link.service';
import { CANDIDATE_PAGES } from '../../common/http/candidate-pages';

/**
 * The link in a consent request. GET only shows the consent text and a
 * button (mail scanners prefetch links); POST records the consent.
 */
@ApiExcludeController()
@Public()
@Controller(CANDIDATE_PAGES.contactConsent)
export class ConsentLinkController {
  constructor(
    private readonly links: ConsentLinkService,
    private readonly urls: PublicUrls,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.links.holderOf(token);
    if (!holder) return this.invalid(res);
    const action = this.urls.path(`/c/${token}`);
    res.type('html').send(consentLinkPages.ask(holder.locale, action, this.config.COMPANY_NAME, this.config.CONSENT_VALIDITY_MONTHS));
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async consent(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.links.holderOf(token);
    if (!holder) return this.invalid(res);
    await this.links.grant(holder);
    res.status(200).type('html').send(consentLinkPages.done(holder.locale));
  }

  private invalid(res: Response): void {
    res.status(400).type('html').send(consentLinkPages.invalid(this.config.DEFAULT_LOCALE));
  }
}
