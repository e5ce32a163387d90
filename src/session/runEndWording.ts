// What a stop or a crash means for Resume, in words: where Resume will start and what will be
// redone first, the technical cause second. Pure, so its wording is unit-tested.

/** Where a run ended and where Resume would pick it up. */
export interface RunEnd {
  /** The last step the trainer reported. */
  reachedStep: number;
  totalSteps: number;
  /** The step of the checkpoint Resume loads; null when there is none (nothing can be resumed). */
  checkpointStep: number | null;
}

/** "last checkpoint at step 50; steps 51–65 will be redone", or that nothing can be resumed. */
export function describeResumePoint(end: RunEnd): string {
  const { checkpointStep, reachedStep } = end;
  if (checkpointStep === null) return 'no checkpoint was written yet, so nothing can be resumed';
  if (checkpointStep >= reachedStep) return `Resume continues from step ${checkpointStep}; nothing is lost`;
  const redone = checkpointStep + 1 === reachedStep ? `step ${reachedStep} will be redone` : `steps ${checkpointStep + 1}–${reachedStep} will be redone`;
  return `last checkpoint at step ${checkpointStep}; ${redone}`;
}

/** "Crashed at step 65/120: last checkpoint at step 50; steps 51–65 will be redone. Cause: …" */
export function describeCrash(end: RunEnd, cause: string): string {
  const where = end.reachedStep === 0 ? 'Failed before the first step' : `Crashed at step ${end.reachedStep}/${end.totalSteps}`;
  return `${where}: ${describeResumePoint(end)}. Cause: ${cause}`;
}

/** "Stopped at step 40/120: Resume continues from step 40; nothing is lost." */
export function describeStop(end: RunEnd): string {
  return `Stopped at step ${end.reachedStep}/${end.totalSteps}: ${describeResumePoint(end)}.`;
}
