import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal, roleAllows } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination/page';
import { CreateSkillAliasDto, ListAliasesQuery, SuggestSkillsQuery } from './dto/skill.dto';
import { SkillService } from './skill.service';

@ApiTags('skills')
@ApiKeyAuth()
@Controller('api/v1/skills')
export class SkillController {
  constructor(private readonly skills: SkillService) {}

  /** Canonical skills that look like `q` (fuzzy, aliases included), with how many candidates have each. */
  @Get()
  suggest(@Query() query: SuggestSkillsQuery) {
    return this.skills.suggest(query.q, query.limit ?? 10).then((items) => ({ items, nextCursor: null }));
  }

  @Get('aliases')
  listAliases(@Query() query: ListAliasesQuery) {
    return this.skills.listAliases(query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  /**
   * Maps an alias to a canonical skill. When the alias is a skill in use, that is a merge (everyone who
   * has it moves over, and it cannot be undone): it takes `merge: true` and an admin key.
   */
  @Post('aliases')
  @ApiConflictResponse({ description: 'The alias is a skill in use: send merge: true (admin) to merge it' })
  @ApiForbiddenResponse({ description: 'merge: true with a key that is not admin' })
  addAlias(@Body() dto: CreateSkillAliasDto, @CurrentPrincipal() principal: Principal) {
    if (dto.merge && !roleAllows(principal.role, 'admin')) {
      throw new DomainError('Forbidden', 'Merging a skill into another changes every candidate who has it and cannot be undone; it needs an admin key.');
    }
    return this.skills.addAlias(dto.alias, dto.skill, dto.merge === true);
  }

  @Delete('aliases/:alias')
  @HttpCode(204)
  async removeAlias(@Param('alias') alias: string): Promise<void> {
    await this.skills.removeAlias(alias);
  }
}
