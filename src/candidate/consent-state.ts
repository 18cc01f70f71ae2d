export type ConsentStateName = 'valid' | 'expired' | 'withdrawn' | 'none';

export interface ConsentState {
  state: ConsentStateName;
  validUntil: string | null;
}

/** The talent-pool consent state at `now`, from the latest consent record's dates. */
export function consentState(expiresAt: Date | null, withdrawnAt: Date | null, now: Date): ConsentState {
  if (withdrawnAt) return { state: 'withdrawn', validUntil: null };
  if (!expiresAt) return { state: 'none', validUntil: null };
  if (expiresAt > now) return { state: 'valid', validUntil: expiresAt.toISOString() };
  return { state: 'expired', validUntil: expiresAt.toISOString() };
}
