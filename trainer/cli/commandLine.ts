// What the trainer's command-line programs (`npm run train`, `npm run export`) share: flags
// parsed strictly, a bad flag as a UsageError printed with the usage text on stderr (exit 2),
// --help printing the usage on stdout (exit 0), and an unexpected failure as one "error:" line
// (exit 1), never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../../shared/errorMessage';

/** Bad flags, or an input the user must fix (an invalid architecture file). */
export const EXIT_USAGE = 2;
/** Anything else that failed. */
export const EXIT_FAILED = 1;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node:util's parseArgs, with its complaints (an unknown flag, a missing value) as UsageErrors. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface CommandLineProgram<Options> {
  usage: string;
  /** The options the flags give, or 'help'; throws UsageError for bad flags. */
  parse(argv: string[]): Options | 'help';
  /** Does the work; resolves with the exit code. */
  run(options: Options): number | Promise<number>;
  /**
   * End the process as soon as the program is done (the training CLI: TensorFlow's threads and
   * the run's lock would keep it up) rather than when nothing is left to do (export, whose JSON
   * report on a pipe must be written out first).
   */
  exitAtOnce?: boolean;
}

/** What parsing `argv` means for the process: the options to run with, or the exit code and what to print. */
export function parseCommandLine<Options>(program: Pick<CommandLineProgram<Options>, 'usage' | 'parse'>, argv: string[]):
  { options: Options } | { exitCode: number; stdout?: string; stderr?: string } {
  try {
    const parsed = program.parse(argv);
    return parsed === 'help' ? { exitCode: 0, stdout: program.usage } : { options: parsed };
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: EXIT_USAGE, stderr: `${error.message}\n\n${program.usage}` };
    throw error;
  }
}

/** Runs `program` on this process's arguments and ends the process with its exit code. */
export function runCommandLine<Options>(program: CommandLineProgram<Options>): void {
  const exit = (code: number) => {
    if (program.exitAtOnce) process.exit(code);
    process.exitCode = code;
  };
  const run = async (): Promise<number> => {
    const parsed = parseCommandLine(program, process.argv.slice(2));
    if ('options' in parsed) return program.run(parsed.options);
    if (parsed.stdout !== undefined) console.log(parsed.stdout);
    if (parsed.stderr !== undefined) console.error(parsed.stderr);
    return parsed.exitCode;
  };
  run().then(exit, (error: unknown) => {
    // Expected failures (bad data, a missing backend, an unusable checkpoint) carry clear messages.
    console.error(`error: ${errorMessage(error)}`);
    exit(EXIT_FAILED);
  });
}
