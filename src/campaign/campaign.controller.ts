import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiKeyAuth } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { CampaignStatsService } from './campaign-stats.service';
import { CampaignService } from './campaign.service';
import { CreateCampaignDto, ListCampaignsQuery, UpdateCampaignDto } from './dto/campaign.dto';
import { EnrollCandidateDto, ListEnrollmentsQuery } from './dto/enrollment.dto';
import { EnrollmentService } from './enrollment.service';

@ApiTags('campaigns')
@ApiKeyAuth()
@Controller('api/v1/campaigns')
export class CampaignController {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly enrollments: EnrollmentService,
    private readonly statistics: CampaignStatsService,
  ) {}

  /** Creates a draft campaign; nothing is sent until it is activated (resume, or PATCH status=active). */
  @Post()
  @ApiNotFoundResponse({ description: 'audience.finalistOf names no vacancy' })
  create(@Body() dto: CreateCampaignDto) {
    return this.campaigns.create(dto);
  }

  @Get()
  list(@Query() query: ListCampaignsQuery) {
    return this.campaigns.list(query);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such campaign' })
  get(@Param('id', UuidParam()) id: string) {
    return this.campaigns.get(id);
  }

  /**
   * Name any time; audience and steps while draft or paused (people already waiting are rescheduled to
   * the new delays); status along draft→active↔paused, any→archived.
   */
  @Patch(':id')
  @ApiNotFoundResponse({ description: 'No such campaign, or audience.finalistOf names no vacancy' })
  @ApiConflictResponse({ description: 'Archived, or steps/audience changed while active, or a transition not allowed' })
  update(@Param('id', UuidParam()) id: string, @Body() dto: UpdateCampaignDto) {
    return this.campaigns.update(id, dto);
  }

  /** Stops queueing steps; due steps wait until the campaign is resumed. */
  @Post(':id/pause')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'A draft or archived campaign cannot be paused' })
  pause(@Param('id', UuidParam()) id: string) {
    return this.campaigns.setStatus(id, 'paused');
  }

  /** Activates a draft or paused campaign; steps that fell due meanwhile go out on the next round. */
  @Post(':id/resume')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'An archived campaign cannot be resumed' })
  resume(@Param('id', UuidParam()) id: string) {
    return this.campaigns.setStatus(id, 'active');
  }

  /** Enrols one candidate by hand, if they may get nurture email (active, valid consent, not opted out). */
  @Post(':id/enrollments')
  @ApiNotFoundResponse({ description: 'No such campaign or candidate' })
  @ApiConflictResponse({ description: 'Already in this campaign, or the campaign is archived' })
  @ApiUnprocessableEntityResponse({ description: 'The candidate may not get nurture email; `reason` says why' })
  enrol(@Param('id', UuidParam()) id: string, @Body() dto: EnrollCandidateDto) {
    return this.enrollments.enrol(id, dto.candidateId);
  }

  @Get(':id/enrollments')
  @ApiNotFoundResponse({ description: 'No such campaign' })
  listEnrollments(@Param('id', UuidParam()) id: string, @Query() query: ListEnrollmentsQuery) {
    return this.enrollments.list(id, query);
  }

  /** Enrolled, queued, sent, failed, suppressed, cancelled, replied and unsubscribed, for the campaign and per step. */
  @Get(':id/stats')
  @ApiNotFoundResponse({ description: 'No such campaign' })
  stats(@Param('id', UuidParam()) id: string) {
    return this.statistics.stats(id);
  }
}
