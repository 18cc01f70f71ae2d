/** CONSENT_RENEWAL_DAYS ("30,7") as distinct days, largest (earliest reminder) first. */
export function renewalOffsets(setting: string): number[] {
  const days = setting.split(',').map((part) => Number(part.trim()));
  if (days.some((day) => !Number.isInteger(day) || day < 1 || day > 365)) {
    throw new Error(`CONSENT_RENEWAL_DAYS must list days between 1 and 365, got "${setting}"`);
  }
  return [...new Set(days)].sort((a, b) => b - a);
}
