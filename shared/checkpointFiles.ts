// Checkpoint file names, shared so the host can tell whether a run can be resumed without
// importing trainer code.
export const LATEST_CHECKPOINT_FILE = 'checkpoint.rlck';
export const PREVIOUS_CHECKPOINT_FILE = 'checkpoint.prev.rlck';
