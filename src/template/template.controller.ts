import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal, RequireRole } from '../common/auth/roles';
import { PreviewTemplateDto, TemplateLocaleQuery, TemplateSourceDto } from './dto/template.dto';
import { TemplateService } from './template.service';

@ApiTags('templates')
@ApiKeyAuth()
@Controller('api/v1/templates')
export class TemplateController {
  constructor(private readonly templates: TemplateService) {}

  /** Every email template, and per locale whether a recruiter has overridden the shipped text. */
  @Get()
  async list() {
    return { items: await this.templates.list(), nextCursor: null };
  }

  /** The source an email is rendered from (override or file; falls back to the default locale), and the data it receives. */
  @Get(':key')
  @ApiNotFoundResponse({ description: 'No such template' })
  get(@Param('key') key: string, @Query() query: TemplateLocaleQuery) {
    return this.templates.source(key, query.locale);
  }

  /** Overrides the text for one locale. Checked before it is saved: a 400 names the part (subject, html, text) that is wrong. */
  @Put(':key/:locale')
  @ApiNotFoundResponse({ description: 'No such template' })
  @ApiBadRequestResponse({ description: 'The template does not compile, is unsafe, or does not render with the sample data' })
  save(
    @Param('key') key: string,
    @Param('locale') locale: string,
    @Body() dto: TemplateSourceDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.templates.save(key, locale, dto, principal);
  }

  /** Removes the override; the shipped file applies again. */
  @Delete(':key/:locale')
  @HttpCode(204)
  @ApiNotFoundResponse({ description: 'No such template, or no override for the locale' })
  async revert(@Param('key') key: string, @Param('locale') locale: string): Promise<void> {
    await this.templates.revert(key, locale);
  }

  /** Renders the template with its sample data, deep-merged with `data`. Changes nothing, so viewers may use it. */
  @Post(':key/preview')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiNotFoundResponse({ description: 'No such template' })
  preview(@Param('key') key: string, @Body() dto: PreviewTemplateDto) {
    return this.templates.preview(key, dto);
  }
}
