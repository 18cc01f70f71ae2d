import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PublicUrls } from './http/public-urls';
import { Signer } from './secrets/signer';
import { Clock } from './time/clock';

/** Configuration, the clock, the signer and the public URLs, available everywhere. */
@Global()
@Module({})
export class CommonModule {
  static register(config: AppConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        Signer,
        PublicUrls,
      ],
      exports: [AppConfig, Clock, Signer, PublicUrls],
    };
  }
}
