/**
 * SQL for `timestamp + ISO duration` as luxon adds one, in the person's own zone (`zone`: an IANA
 * name, e.g. `c.time_zone`): years, months, weeks and days on their calendar, then hours, minutes
 * and seconds as elapsed time. P7D from Friday 16:30 is the next Friday 16:30 there, across a change
 * to summer time too (counted in UTC it was 17:30 that day, past a 17:00 send window, and waited for
 * Monday); PT12H is twelve hours later, also on the night the clocks go forward.
 */
export function localPlusSql(timestamp: string, isoDuration: string, zone: string): string {
  const delay = `(${isoDuration})::interval`;
  // An interval keeps months, days and time apart; date_trunc('day', ...) keeps the first two.
  return `(((${timestamp} AT TIME ZONE ${zone} + date_trunc('day', ${delay})) AT TIME ZONE ${zone}) + (${delay} - date_trunc('day', ${delay})))`;
}

/**
 * The first step's delay of a campaign (SQL for its id), read by the statement that enrols: a statement
 * after the one that locked the campaign, so a step edit that committed meanwhile is seen. A delay read
 * along with the lock would be the one from before the edit, and the edit's rescheduling, which ran
 * before this enrolment existed, would not move it.
 */
export const firstDelaySql = (campaignId: string) =>
  `(SELECT s.delay FROM campaign_step s WHERE s.campaign_id = ${campaignId}::uuid AND s.position = 1)`;
