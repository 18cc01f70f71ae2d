import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { CandidacyService } from './candidacy.service';
import { ChangeStageDto, CreateCandidacyDto, DecisionDto } from './dto/candidacy.dto';
import { GiveFeedbackDto } from './dto/feedback.dto';
import { FeedbackService, GivenFeedback } from './feedback.service';
import { AcceptsIdempotencyKey, IDEMPOTENT_REPLAYED_HEADER, IdempotencyKey } from '../common/http/idempotency-key';

@ApiTags('candidacies')
@ApiKeyAuth()
@Controller('api/v1/candidacies')
export class CandidacyController {
  constructor(
    private readonly candidacies: CandidacyService,
    private readonly feedback: FeedbackService,
  ) {}

  /**
   * Adds a candidate to an open vacancy; at `applied` the warm confirmation email is queued at once.
   * Its Reply-To is the vacancy's recruiter (the hiring manager without one) when it is sent.
   */
  @Post()
  @ApiNotFoundResponse({ description: 'No such candidate or vacancy' })
  @ApiConflictResponse({ description: 'The pair exists already (`existingId`), or the vacancy is not open' })
  create(@Body() dto: CreateCandidacyDto, @CurrentPrincipal() principal: Principal) {
    return this.candidacies.create(dto, principal);
  }

  /** The candidacy with its stage history, decision, gap skills, feedback deadline and feedback given. */
  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such candidacy' })
  get(@Param('id', UuidParam()) id: string) {
    return this.candidacies.get(id);
  }

  /** Moves the candidacy forward (stages may be skipped, never gone back to). */
  @Post(':id/stage')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such candidacy' })
  @ApiConflictResponse({ description: 'Backwards, the same stage, or already decided' })
  changeStage(@Param('id', UuidParam()) id: string, @Body() dto: ChangeStageDto, @CurrentPrincipal() principal: Principal) {
    return this.candidacies.changeStage(id, dto, principal);
  }

  /**
   * Records the outcome, once. A rejection carries reasons tied to the
   * vacancy's criteria (the gap as skills) and optionally a promise, and
   * opens the feedback deadline its stage owes.
   */
  @Post(':id/decision')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such candidacy' })
  @ApiConflictResponse({ description: 'Already decided, hiring before the final stage, or the rank/hire is taken' })
  decide(@Param('id', UuidParam()) id: string, @Body() dto: DecisionDto, @CurrentPrincipal() principal: Principal) {
    return this.candidacies.decide(id, dto, principal);
  }

  /**
   * Records feedback given to the candidate; by email it is sent now; a call can queue its written follow-up. Closes the deadline
   * when it is the feedback owed (its stage; personal where a call is owed); otherwise `closedDeadline` is null.
   * The email's Reply-To is the vacancy's recruiter, else its hiring manager (one whose address is suppressed is passed over).
   */
  @Post(':id/feedback')
  @ApiNotFoundResponse({ description: 'No such candidacy' })
  @ApiUnprocessableEntityResponse({ description: 'CandidateEmailSuppressed: email feedback to an address on the suppression list; give it another way' })
  @AcceptsIdempotencyKey('records the feedback and sends its email')
  async giveFeedback(
    @Param('id', UuidParam()) id: string,
    @Body() dto: GiveFeedbackDto,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<GivenFeedback> {
    const { given, replayed } = await this.feedback.give(id, dto, principal, idempotencyKey);
    if (replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return given;
  }
}
