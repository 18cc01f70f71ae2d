/** Stages in the order a candidate moves through them. */
export const STAGES = ['applied', 'screening', 'interview', 'final', 'offer'] as const;
export type Stage = (typeof STAGES)[number];

export const OUTCOMES = ['pending', 'hired', 'rejected', 'withdrew'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type DecidedOutcome = Exclude<Outcome, 'pending'>;
export const DECIDED_OUTCOMES = ['hired', 'rejected', 'withdrew'] as const satisfies readonly DecidedOutcome[];

/** Stages at which a decision ranks the finalists (1 = hired, 2 = silver, 3+ = bronze). */
export const FINALIST_STAGES: readonly Stage[] = ['final', 'offer'];

export const isFinalistStage = (stage: Stage) => FINALIST_STAGES.includes(stage);

const stageIndex = (stage: Stage) => STAGES.indexOf(stage);

export interface CandidacyState {
  stage: Stage;
  outcome: Outcome;
}

/** Why the change is not allowed (a 409), or null. Skipping stages forward is allowed; going back is not. */
export function stageChangeConflict(current: CandidacyState, to: Stage): string | null {
  if (current.outcome !== 'pending') {
    return `The candidacy was already decided (${current.outcome}) at the ${current.stage} stage; its stage cannot change any more.`;
  }
  if (stageIndex(to) < stageIndex(current.stage)) {
    return `Stages only move forward: the candidacy is at ${current.stage} and cannot go back to ${to}.`;
  }
  return null;
}

export type DecisionCheck =
  | { ok: true; finalistRank: number | null }
  | { ok: false; kind: 'conflict'; reason: string }
  | { ok: false; kind: 'invalid'; field: string; reason: string };

/**
 * Whether the decision may be recorded, and the finalist rank it stores.
 * Hiring happens from the final or offer stage and ranks the hire 1;
 * rejecting there may rank the finalist 2 or lower (silver, bronze...).
 */
export function checkDecision(
  current: CandidacyState,
  decision: { outcome: DecidedOutcome; finalistRank?: number },
): DecisionCheck {
  if (current.outcome !== 'pending') {
    return { ok: false, kind: 'conflict', reason: `The candidacy was already decided (${current.outcome}); a decision is made once.` };
  }
  const finalist = isFinalistStage(current.stage);
  const rank = decision.finalistRank;
  if (decision.outcome === 'hired') {
    if (!finalist) {
      return {
        ok: false, kind: 'conflict',
        reason: `A candidate is hired from the final or offer stage; this candidacy is at ${current.stage}. Move it forward first.`,
      };
    }
    if (rank !== undefined && rank !== 1) return { ok: false, kind: 'invalid', field: 'finalistRank', reason: 'the hired finalist has rank 1' };
    return { ok: true, finalistRank: 1 };
  }
  if (rank === undefined) return { ok: true, finalistRank: null };
  if (decision.outcome === 'withdrew') {
    return { ok: false, kind: 'invalid', field: 'finalistRank', reason: 'a candidate who withdrew has no finalist rank' };
  }
  if (!finalist) {
    return { ok: false, kind: 'invalid', field: 'finalistRank', reason: `finalistRank is given at the final or offer stage; this candidacy is at ${current.stage}` };
  }
  if (rank < 2) return { ok: false, kind: 'invalid', field: 'finalistRank', reason: 'rank 1 is the hire; a rejected finalist ranks 2 (silver) or lower' };
  return { ok: true, finalistRank: rank };
}

/** 2 is silver, 3 and lower bronze. */
export function medalFor(rank: number): 'silver' | 'bronze' {
  return rank === 2 ? 'silver' : 'bronze';
}
