import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal, RequireRole } from '../common/auth/roles';
import { FeedbackPolicyDto, SilverMedalistCampaignDto } from './dto/settings.dto';
import { RelationshipSettings } from './relationship-settings.service';

@ApiTags('settings')
@ApiKeyAuth()
@Controller('api/v1/settings')
export class SettingsController {
  constructor(private readonly settings: RelationshipSettings) {}

  /** The feedback ladder: per stage a candidate is rejected at, what is owed, how, by when and by whom. */
  @Get('feedback-policy')
  feedbackPolicy() {
    return this.settings.feedbackPolicy();
  }

  /** Replaces the whole policy. Deadlines already set keep their dates. */
  @Put('feedback-policy')
  @RequireRole('admin')
  setFeedbackPolicy(@Body() dto: FeedbackPolicyDto, @CurrentPrincipal() principal: Principal) {
    return this.settings.setFeedbackPolicy(dto, principal);
  }

  /** The campaign that silver and bronze medalists with consent are enrolled in when a vacancy is filled. */
  @Get('silver-medalist-campaign')
  silverMedalistCampaign() {
    return this.settings.silverMedalistCampaign();
  }

  @Put('silver-medalist-campaign')
  @RequireRole('admin')
  @ApiNotFoundResponse({ description: 'No such campaign' })
  setSilverMedalistCampaign(@Body() dto: SilverMedalistCampaignDto, @CurrentPrincipal() principal: Principal) {
    return this.settings.setSilverMedalistCampaign(dto, principal);
  }
}
