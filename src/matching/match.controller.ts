import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { DismissMatchDto, InviteMatchDto, ListMatchesQuery, RankMatchesQuery } from './dto/match.dto';
import { MatchDecisionService } from './match-decision.service';
import { MatchRunService } from './match-run.service';
import { MatchService } from './match.service';
import { MatchViews } from './match.views';

@ApiTags('matching')
@ApiKeyAuth()
@Controller('api/v1')
export class MatchController {
  constructor(
    private readonly matches: MatchService,
    private readonly runs: MatchRunService,
    private readonly views: MatchViews,
    private readonly decisions: MatchDecisionService,
  ) {}

  /**
   * The pool ranked against the vacancy, live: everyone with every required
   * skill first, then the rest; each item with its score per signal, the
   * skills matched and missing, closed gaps, the promise it keeps and medals,
   * in plain words. Eligible: active, valid pool consent, not unsubscribed,
   * not "not right now", not already a candidate for this vacancy.
   */
  @Get('vacancies/:id/matches')
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  rank(@Param('id', UuidParam()) id: string, @Query() query: RankMatchesQuery) {
    return this.matches.rank(id, query);
  }

  /** Matches the open vacancy now (as the scheduler does): stores new suggestions and sends the recruiter's digest. */
  @Post('vacancies/:id/matches/run')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  @ApiConflictResponse({ description: 'The vacancy is not open' })
  run(@Param('id', UuidParam()) id: string) {
    return this.runs.run(id);
  }

  /** Stored suggestions, newest first; filter by vacancy, candidate and status. */
  @Get('matches')
  list(@Query() query: ListMatchesQuery) {
    return this.views.list(query);
  }

  @Get('matches/:id')
  @ApiNotFoundResponse({ description: 'No such match' })
  get(@Param('id', UuidParam()) id: string) {
    return this.views.get(id);
  }

  /**
   * Sends the new-role invitation and records it on the timeline. Refused
   * (422) without valid pool consent, after an unsubscribe, or while the
   * person said "not right now"; inviting twice sends one email. A reply
   * to it reaches the vacancy's recruiter (the hiring manager without one).
   */
  @Post('matches/:id/invite')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such match' })
  @ApiConflictResponse({ description: 'Dismissed, already a candidate, or the vacancy is not open' })
  @ApiUnprocessableEntityResponse({ description: 'ConsentMissing, CandidateUnsubscribed, CandidateNotInterested or CandidateNotEligible' })
  invite(@Param('id', UuidParam()) id: string, @Body() dto: InviteMatchDto, @CurrentPrincipal() principal: Principal) {
    return this.decisions.invite(id, dto, principal);
  }

  @Post('matches/:id/dismiss')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such match' })
  @ApiConflictResponse({ description: 'Already dismissed, or the person already said yes' })
  dismiss(@Param('id', UuidParam()) id: string, @Body() dto: DismissMatchDto, @CurrentPrincipal() principal: Principal) {
    return this.decisions.dismiss(id, dto, principal);
  }
}
