import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { AuditLog } from '../privacy/audit/audit-log.service';
import { CandidateEraser } from '../privacy/erasure/candidate-eraser';
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
    private readonly audit: AuditLog,
    private readonly eraser: CandidateEraser,
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
  async get(@Param('id', UuidParam()) id: string) {
    const candidate = await this.candidates.get(id);
    await this.audit.record({ action: 'candidate_read', candidateId: id });
    return candidate;
  }

  @Patch(':id')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  update(@Param('id', UuidParam()) id: string, @Body() dto: UpdateCandidateDto) {
    return this.candidates.update(id, dto);
  }

  /**
   * Erases the person: every table loses their data (queued emails are
   * cancelled, never sent); what remains is a keyed hash of their address
   * on the suppression list, so they are never mailed again, and an audit
   * entry without personal data. Statistics keep anonymous counts.
   */
  @Delete(':id')
  @HttpCode(204)
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async remove(@Param('id', UuidParam()) id: string): Promise<void> {
    await this.eraser.eraseOne(id);
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
  async listConsents(@Param('id', UuidParam()) id: string) {
    const items = await this.consents.list(id);
    await this.audit.record({ action: 'candidate_read', candidateId: id, details: { view: 'consents' } });
    return { items, nextCursor: null };
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
