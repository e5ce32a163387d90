// Where a run's detached trainer listens for windows: a Unix domain socket in the run folder, or
// under the temp folder when that path would not fit sun_path (about 104 bytes on macOS, 108 on
// Linux); a named pipe on Windows. Both ends compute it from the run folder alone, so a window
// that finds a live lock knows where to connect.
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';

export const TRAINER_SOCKET_FILE = 'trainer.sock';
/** The longest socket path used as is (the smallest sun_path, macOS's 104 bytes, less its NUL). */
const MAX_SOCKET_PATH_BYTES = 103;

export function trainerSocketAddress(runDir: string, platform: NodeJS.Platform = process.platform): string {
  const digest = createHash('sha256').update(path.resolve(runDir)).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\resnet-lab-trainer-${digest}`;
  const inFolder = path.join(runDir, TRAINER_SOCKET_FILE);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH_BYTES) return inFolder;
  return path.join(os.tmpdir(), `resnet-lab-trainer-${digest}.sock`);
}

/** The detached trainer's stderr, in its run folder (no window is there to read a pipe). */
export const TRAINER_LOG_FILE = 'trainer.log';
