import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard } from './api-key/api-key.guard';
import { ApiKeyModule } from './api-key/api-key.module';
import { CampaignModule } from './campaign/campaign.module';
import { CandidateModule } from './candidate/candidate.module';
import { CommonModule } from './common/common.module';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { BodyParsersModule } from './common/http/body-parsers.module';
import { loggerOptions } from './common/http/logger.options';
import { Clock } from './common/time/clock';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { openDataSource } from './database/open-data-source';
import { TableChangesModule } from './database/table-changes.module';
import { EmailModule } from './email/email.module';
import { HealthModule } from './health/health.module';
import { MatchingModule } from './matching/matching.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ProfileModule } from './profile/profile.module';
import { RelationshipModule } from './relationship/relationship.module';
import { SkillModule } from './skill/skill.module';
import { TimelineModule } from './timeline/timeline.module';
import { TemplateModule } from './template/template.module';
import { VacancyModule } from './vacancy/vacancy.module';

@Module({})
export class AppModule {
  static register(config: AppConfig, databaseUrl: string, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.register(config, clock),
        LoggerModule.forRoot(loggerOptions(config)),
        BodyParsersModule,
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
          skipIf: () => config.RATE_LIMIT_PER_MINUTE === 0,
          // Per client, whatever the route: the default key is per route too, which let a client make the
          // limit's worth of requests to every one of ~70 routes each minute.
          generateKey: (_context, tracker, throttler) => `${throttler}:${tracker}`,
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(databaseUrl, config.DATABASE_POOL_SIZE), autoLoadEntities: true }),
          dataSourceFactory: (options) => openDataSource(options!, config.DATABASE_PREPARE_POOL === 'true'),
        }),
        TableChangesModule,
        ScheduleModule.forRoot(),
        HealthModule,
        ApiKeyModule,
        SkillModule,
        TimelineModule,
        CandidateModule,
        TemplateModule,
        EmailModule,
        CampaignModule,
        VacancyModule,
        RelationshipModule,
        PrivacyModule,
        MatchingModule,
        ProfileModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useExisting: ApiKeyGuard },
      ],
    };
  }
}
