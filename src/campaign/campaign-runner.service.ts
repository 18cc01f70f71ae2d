import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AudienceEnrolment } from './audience-enrolment';
import { EnrollmentExits } from './enrollment-exits';
import { STEP_BATCH_SIZE, StepDispatcher } from './step-dispatcher';
import { safeErrorLog } from '../common/errors/safe-error-log';

/** Arbitrary constant: one instance at a time sweeps exits and audiences (the others skip, not wait). */
const SWEEP_LOCK_KEY = 741_852_965;

export interface CampaignRoundReport {
  exited: number;
  enrolled: number;
  queued: number;
  suppressed: number;
  deferred: number;
  completed: number;
}

/**
 * One scheduler round for every campaign: end the enrollments of people
 * who may no longer be mailed, enrol new audience members, then queue the
 * steps that are due, batch by batch. Safe to run on several instances at
 * once; the scheduler calls it, and so can a test.
 */
@Injectable()
export class CampaignRunner {
  private readonly logger = new Logger(CampaignRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly exits: EnrollmentExits,
    private readonly audiences: AudienceEnrolment,
    private readonly dispatcher: StepDispatcher,
    private readonly clock: Clock,
  ) {}

  async runDue(): Promise<CampaignRoundReport> {
    const now = this.clock.now();
    const report: CampaignRoundReport = { exited: 0, enrolled: 0, queued: 0, suppressed: 0, deferred: 0, completed: 0 };
    await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SWEEP_LOCK_KEY]);
      if (!locked) return;
      const exited = await this.exits.exitIneligible(manager, now);
      report.exited = [...exited.values()].reduce((sum, n) => sum + n, 0);
      if (report.exited > 0) this.logger.log({ exited: Object.fromEntries(exited) }, 'Enrollments ended');
      report.enrolled = await this.audiences.enrolAudiences(manager, now);
    });
    const campaigns: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaign WHERE status = 'active' ORDER BY created_at, id`,
    );
    for (const { id } of campaigns) {
      // One campaign failing must not keep the others from their steps.
      try {
        for (;;) {
          const batch = await this.dispatcher.dispatchBatch(id, now);
          report.queued += batch.queued;
          report.suppressed += batch.suppressed;
          report.deferred += batch.deferred;
          report.completed += batch.completed;
          if (batch.claimed < STEP_BATCH_SIZE) break;
        }
      } catch (error) {
        this.logger.error({ campaignId: id, ...safeErrorLog(error) }, 'A campaign\'s steps failed; the round goes on');
      }
    }
    if (report.enrolled + report.queued + report.suppressed > 0) {
      this.logger.log({ ...report }, 'Campaign round done');
    }
    return report;
  }
}
