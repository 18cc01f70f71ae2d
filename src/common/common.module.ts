import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Signer } from './secrets/signer';
import { Clock } from './time/clock';

/** Configuration, the clock and the signer, available everywhere. */
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
      ],
      exports: [AppConfig, Clock, Signer],
    };
  }
}
