import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { CreateVacancyDto, ListVacanciesQuery, UpdateVacancyDto } from './dto/vacancy.dto';
import { VacancyService } from './vacancy.service';

@ApiTags('vacancies')
@ApiKeyAuth()
@Controller('api/v1/vacancies')
export class VacancyController {
  constructor(private readonly vacancies: VacancyService) {}

  /** Creates a vacancy, as a draft unless `status: open` (which needs an expectedDecisionDate). */
  @Post()
  create(@Body() dto: CreateVacancyDto) {
    return this.vacancies.create(dto);
  }

  /** Newest first; filter by status, team, a criterion skill, or text in the title. */
  @Get()
  list(@Query() query: ListVacanciesQuery) {
    return this.vacancies.list(query);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  get(@Param('id', UuidParam()) id: string) {
    return this.vacancies.get(id);
  }

  /** Changes fields of a draft or open vacancy; `criteria` replaces all criteria; `status: open` opens a draft. */
  @Patch(':id')
  @ApiNotFoundResponse({ description: 'No such vacancy' })
  @ApiConflictResponse({ description: 'The vacancy is filled or cancelled' })
  update(@Param('id', UuidParam()) id: string, @Body() dto: UpdateVacancyDto) {
    return this.vacancies.update(id, dto);
  }
}
