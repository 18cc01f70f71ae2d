import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_LIMIT, PageQuery } from '../common/pagination/page';
import { UuidParam } from '../common/validation/uuid-param';
import { AuditLog } from '../privacy/audit/audit-log.service';
import { AddNoteDto } from './dto/add-note.dto';
import { TimelineService } from './timeline.service';

@ApiTags('timeline')
@ApiKeyAuth()
@Controller('api/v1/candidates/:id')
export class TimelineController {
  constructor(
    private readonly timeline: TimelineService,
    private readonly audit: AuditLog,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Everything between us and this person, newest first: process, feedback, emails, replies, notes, consent. */
  @Get('timeline')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async list(@Param('id', UuidParam()) id: string, @Query() page: PageQuery) {
    const timeline = await this.timeline.list(id, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
    await this.audit.record({ action: 'candidate_read', candidateId: id, details: { view: 'timeline' } });
    return timeline;
  }

  /** Adds a note to the person's timeline. */
  @Post('notes')
  @ApiNotFoundResponse({ description: 'No such candidate' })
  async addNote(@Param('id', UuidParam()) id: string, @Body() dto: AddNoteDto, @CurrentPrincipal() principal: Principal) {
    await this.dataSource.transaction(async (manager) => {
      const [exists] = await manager.query(`SELECT 1 FROM candidate WHERE id = $1 FOR SHARE`, [id]);
      if (!exists) throw new DomainError('CandidateNotFound', `No candidate with id ${id}.`);
      await this.timeline.record(manager, id, 'note_added', { text: dto.text }, { actorKeyId: principal.keyId });
    });
    return (await this.timeline.list(id, 1)).items[0];
  }
}
