import { Clock } from '../../src/common/time/clock';

/** A clock the test moves by hand. */
export class FakeClock extends Clock {
  constructor(private current = new Date('2026-03-02T09:00:00Z')) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(time: Date | string): void {
    this.current = new Date(time);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
