import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, RequireRole } from '../common/auth/roles';
import { DEFAULT_PAGE_LIMIT, PageQuery } from '../common/pagination/page';
import { UuidParam } from '../common/validation/uuid-param';
import { ApiKeyService } from './api-key.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('api-keys')
@ApiKeyAuth()
@RequireRole('admin')
@Controller('api/v1/api-keys')
export class ApiKeyController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  /** Creates a key. The response holds the secret `key`; it is never shown again. */
  @Post()
  create(@Body() dto: CreateApiKeyDto) {
    return this.apiKeys.create(dto.name, dto.role);
  }

  @Get()
  list(@Query() page: PageQuery) {
    return this.apiKeys.list(page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  /** Revokes a key at once; the last active admin key cannot be revoked. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNotFoundResponse({ description: 'No active key with this id' })
  @ApiConflictResponse({ description: 'The last active admin key (`LastAdminKey`): create another admin key first' })
  async revoke(@Param('id', UuidParam()) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
