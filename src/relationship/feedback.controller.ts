import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth } from '../common/auth/roles';
import { FeedbackStatsQuery, ListDueQuery } from './dto/feedback.dto';
import { FeedbackDueService } from './feedback-due.service';
import { FeedbackStatsService } from './feedback-stats.service';

@ApiTags('feedback')
@ApiKeyAuth()
@Controller('api/v1/feedback')
export class FeedbackController {
  constructor(
    private readonly due: FeedbackDueService,
    private readonly statistics: FeedbackStatsService,
  ) {}

  /** Feedback owed and not given yet, most urgent (earliest deadline) first, with who owes it and how late it is. */
  @Get('due')
  listDue(@Query() query: ListDueQuery) {
    return this.due.list(query);
  }

  /** Per stage, for decisions made in [from, to): owed, given, on time, median and p90 hours to feedback, ghosted. */
  @Get('stats')
  stats(@Query() query: FeedbackStatsQuery) {
    return this.statistics.stats(query);
  }
}
