import { Global, Module } from '@nestjs/common';
import { TableChanges } from './table-changes';

/** Cross-instance invalidation for the in-memory lookup caches. */
@Global()
@Module({
  providers: [TableChanges],
  exports: [TableChanges],
})
export class TableChangesModule {}
