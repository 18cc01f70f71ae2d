import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CandidateService } from '../candidate/candidate.service';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { VacancyService } from '../vacancy/vacancy.service';
import { CandidacyViews } from './candidacy.view';
import { ListCandidaciesQuery } from './dto/candidacy.dto';
import { CloseVacancyDto } from './dto/close-vacancy.dto';
import { MedalViews } from './medal.view';
import { VacancyClosingService } from './vacancy-closing.service';

@ApiTags('vacancies')
@ApiKeyAuth()
@Controller('api/v1/vacancies/:id')
export class VacancyRelationshipController {
  constructor(
    private readonly vacancies: VacancyService,
    private readonly candidacies: CandidacyViews,
    private readonly medals: MedalViews,
    private readonly closing: VacancyClosingService,
  ) {}

  /** The vacancy's candidacies, newest first; filter by stage and outcome. */
  @Get('candidacies')
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  async candidaciesOf(@Param('id', UuidParam()) id: string, @Query() query: ListCandidaciesQuery) {
    await this.vacancies.get(id);
    return this.candidacies.list({ vacancyId: id }, query);
  }

  /** Silver (rank 2) and bronze (rank 3+) medalists of a filled vacancy, by rank. */
  @Get('medals')
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  async medalsOf(@Param('id', UuidParam()) id: string) {
    await this.vacancies.get(id);
    return { items: await this.medals.ofVacancy(id), nextCursor: null };
  }

  /**
   * Fills (with the hired candidacy) or cancels the vacancy. Everyone still
   * in process is rejected and owed feedback; when filled, the ranked
   * finalists get their medals and join the pool (with consent).
   */
  @Post('close')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  @ApiConflictResponse({ description: 'Not open, the hire is not a finalist, or finalists are still undecided' })
  close(@Param('id', UuidParam()) id: string, @Body() dto: CloseVacancyDto, @CurrentPrincipal() principal: Principal) {
    return this.closing.close(id, dto, principal);
  }
}

@ApiTags('candidates')
@ApiKeyAuth()
@Controller('api/v1/candidates/:id')
export class CandidateRelationshipController {
  constructor(
    private readonly candidates: CandidateService,
    private readonly candidacies: CandidacyViews,
    private readonly medals: MedalViews,
  ) {}

  /** Every vacancy this person was a candidate for, newest first. */
  @Get('candidacies')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async candidaciesOf(@Param('id', UuidParam()) id: string, @Query() query: ListCandidaciesQuery) {
    await this.candidates.get(id);
    return this.candidacies.list({ candidateId: id }, query);
  }

  /** The person's medals: the vacancies where they were a runner-up, with the gap as skills. */
  @Get('medals')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async medalsOf(@Param('id', UuidParam()) id: string) {
    await this.candidates.get(id);
    return { items: await this.medals.ofCandidate(id), nextCursor: null };
  }
}
