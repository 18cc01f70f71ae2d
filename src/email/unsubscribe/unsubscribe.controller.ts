import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/roles';
import { PublicUrls } from '../../common/http/public-urls';
import { AppConfig } from '../../config/app-config';
import { UnsubscribeActions, unsubscribePages } from './unsubscribe.pages';
import { UnsubscribeService } from './unsubscribe.service';
import { CANDIDATE_PAGES } from '../../common/http/candidate-pages';

/**
 * The candidates' unsubscribe link. GET only shows a page with a button
 * (mail scanners prefetch links); POST unsubscribes, as RFC 8058 one-click
 * clients do. No auth, no cookies, no redirects.
 */
@ApiExcludeController()
@Public()
@Controller(CANDIDATE_PAGES.unsubscribe)
export class UnsubscribeController {
  constructor(
    private readonly unsubscribes: UnsubscribeService,
    private readonly urls: PublicUrls,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.unsubscribes.holderOf(token);
    if (!holder) return this.invalid(res);
    // Opened again after unsubscribing: say so, with the way back, rather than ask again.
    const actions = this.actions(token);
    res.type('html').send(holder.unsubscribed ? unsubscribePages.done(holder.locale, actions) : unsubscribePages.confirm(holder.locale, actions));
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async unsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.unsubscribes.holderOf(token);
    if (!holder) return this.invalid(res);
    await this.unsubscribes.unsubscribe(holder.candidateId);
    res.status(200).type('html').send(unsubscribePages.done(holder.locale, this.actions(token)));
  }

  @Post(':token/resubscribe')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async resubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const holder = await this.unsubscribes.holderOf(token);
    if (!holder) return this.invalid(res);
    await this.unsubscribes.resubscribe(holder.candidateId);
    res.status(200).type('html').send(unsubscribePages.resubscribed(holder.locale));
  }

  private actions(token: string): UnsubscribeActions {
    return { unsubscribe: this.urls.path(`/u/${token}`), resubscribe: this.urls.path(`/u/${token}/resubscribe`) };
  }

  private invalid(res: Response): void {
    res.status(400).type('html').send(unsubscribePages.invalid(this.config.DEFAULT_LOCALE));
  }
}
