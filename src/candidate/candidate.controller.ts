import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { CandidateSearchService } from './candidate-search.service';
import { CandidateService } from './candidate.service';
import { ConsentService } from './consent.service';
import { CreateCandidateDto, UpdateCandidateDto } from './dto/candidate.dto';
import { RecordConsentDto, WithdrawConsentDto } from './dto/consent.dto';
import { SearchCandidatesQuery } from './dto/search-candidates.query';

@ApiTags('candidates')
@ApiKeyAuth()
@Controller('api/v1/candidates')
export class CandidateController {
  constructor(
    private readonly candidates: CandidateService,
    private readonly search: CandidateSearchService,
    private readonly consents: ConsentService,
  ) {}

  /** Adds a candidate. A duplicate email (case-insensitive) is a 409 naming the existing candidate. */
  @Post()
  @ApiConflictResponse({ description: 'Email already in the pool; `existingId` names the candidate' })
  create(@Body() dto: CreateCandidateDto) {
    return this.candidates.create(dto);
  }

  /** Searches the pool; with `skills`, ranked by matched skills, then level, then recency. */
  @Get()
  list(@Query() query: SearchCandidatesQuery) {
    return this.search.search(query);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  get(@Param('id', UuidParam()) id: string) {
    return this.candidates.get(id);
  }

  @Patch(':id')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  update(@Param('id', UuidParam()) id: string, @Body() dto: UpdateCandidateDto) {
    return this.candidates.update(id, dto);
  }

  /** Deletes the candidate and everything held about them. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async remove(@Param('id', UuidParam()) id: string): Promise<void> {
    await this.candidates.remove(id);
  }

  /** Records consent evidence (who recorded it is taken from the API key). */
  @Post(':id/consents')
  recordConsent(
    @Param('id', UuidParam()) id: string,
    @Body() dto: RecordConsentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.consents.record(id, dto, principal);
  }

  @Get(':id/consents')
  listConsents(@Param('id', UuidParam()) id: string) {
    return this.consents.list(id).then((items) => ({ items, nextCursor: null }));
  }

  /** Withdraws the candidate's consent now (e.g. they asked by phone); the evidence is kept. */
  @Post(':id/consents/withdrawal')
  @HttpCode(200)
  withdrawConsent(
    @Param('id', UuidParam()) id: string,
    @Body() dto: WithdrawConsentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.consents.withdraw(id, dto.scope, 'recorded by a recruiter', principal.keyId).then((items) => ({ items, nextCursor: null }));
  }
}
