// One line a user can act on, for the file-system errors a write meets in practice. Shared by the
// checkpoint store and the model export, which differ only in what to retry and which folder to change.
import { errorMessage } from '../../shared/errorMessage';

export interface WriteAdvice {
  /** What to do once space is freed, e.g. "resume". */
  retry: string;
  /** The folder to choose instead, e.g. "checkpoint folder". */
  folder: string;
}

export function describeWriteFailure(error: unknown, advice: WriteAdvice): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC': return `the disk is full (ENOSPC); free some space, then ${advice.retry}`;
    case 'EDQUOT': return `the disk quota is used up (EDQUOT); free some space, then ${advice.retry}`;
    case 'EACCES':
    case 'EPERM': return `permission denied (${code}); choose a ${advice.folder} you can write to`;
    case 'EROFS': return `the file system is read-only (EROFS); choose another ${advice.folder}`;
    default: return errorMessage(error);
  }
}
