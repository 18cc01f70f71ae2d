import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth } from '../common/auth/roles';
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

  /** Maps an alias to a canonical skill; candidates who had the alias as a skill are moved over. */
  @Post('aliases')
  addAlias(@Body() dto: CreateSkillAliasDto) {
    return this.skills.addAlias(dto.alias, dto.skill);
  }

  @Delete('aliases/:alias')
  @HttpCode(204)
  async removeAlias(@Param('alias') alias: string): Promise<void> {
    await this.skills.removeAlias(alias);
  }
}
