// Starting and stopping one code-server (VS Code 1.100.3) on 127.0.0.1 with its own user data,
// extensions dir and workspace, optionally with one unpackaged extension folder installed.
// Everything a server creates lives in one temporary root, removed by stop(); its log goes to
// <repo>/test-results/. stop() kills the whole process tree (see processTree.mjs); exit hooks do
// the same if the test process exits, and a watchdog (watchdog.mjs) if it dies without exiting.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CODE_SERVER_ENTRY, DEFAULT_WAIT_MS, TEST_RESULTS_DIR } from './paths.mjs';
import { killAllSync, killTree, removeTree, serverPids, TAG_VAR } from './processTree.mjs';
import { startWatchdog, TEMP_ROOT_PREFIX } from './watchdog.mjs';

/** User settings written before code-server starts; `settings` passed to startCodeServer() override them. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** @type {Set<{ kill: () => void }>} servers still running; killed if the test process exits abruptly. */
const live = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const s of live) s.kill();
  });
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.once(sig, () => {
      for (const s of live) s.kill();
      process.kill(process.pid, sig); // listener removed by once(): default action now
    });
  }
}

/**
 * @typedef {object} StartOptions
 * @property {string} [extensionPath] Folder of an extension to install (its package.json must have publisher, name, version;
 *   `main` must already be built). It is symlinked, not packaged, into the extensions dir as `publisher.name-version`.
 * @property {string} [extensionId] `publisher.name`; read from the extension's package.json when omitted.
 * @property {string} [workspaceDir] Folder to open. A fresh empty temp folder (removed by stop()) when omitted.
 * @property {Record<string, string | undefined>} [env] Extra environment for code-server and so for the extension host
 *   (undefined deletes a variable).
 * @property {Record<string, unknown>} [settings] User settings merged over DEFAULT_SETTINGS.
 * @property {string[]} [args] Extra code-server CLI arguments.
 * @property {string} [name] Log file name: test-results/<name>.log (default 'code-server'; `-2`, `-3`... is appended
 *   when a name is reused within this process). Give concurrently running test files distinct names.
 * @property {number} [waitMs] How long to wait for the HTTP server to answer (default DEFAULT_WAIT_MS).
 * @property {boolean} [keepTemp] Keep the temporary root after stop() (for debugging; also $E2E_KEEP_TEMP=1).
 */

/**
 * @typedef {object} CodeServer
 * @property {string} name Name used for its log files (the `name` option, made unique within this process).
 * @property {string} url Base URL, e.g. http://127.0.0.1:39123 (no trailing slash).
 * @property {string} workbenchUrl URL of the workbench with the workspace folder open (`/?folder=...`).
 * @property {number} port
 * @property {number} pid Pid of the code-server launcher (also its process group id).
 * @property {string} tempRoot Temporary root holding all of the below unless given.
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} workspaceDir
 * @property {string} logFile code-server's stdout+stderr.
 * @property {string} logsDir VS Code's own logs (extension host, exthost output channels): `<userDataDir>/logs`.
 * @property {string | undefined} extensionId
 * @property {string} tag Value of $RESNET_LAB_E2E_TAG in every process of this server, and of the browsers
 *   launchBrowser() opens on it, so stop() and the watchdog find them all.
 * @property {() => number[]} processes Pids of every live process belonging to this server (tree, group, tag).
 * @property {() => Promise<void>} stop Kill code-server and its whole process tree, wait until all are gone, remove temp files.
 */

/**
 * Starts code-server on a free 127.0.0.1 port with its own user-data dir and extensions dir,
 * optionally with one extension folder installed, and waits until its HTTP server answers.
 *
 * @param {StartOptions} [opts]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts = {}) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${CODE_SERVER_ENTRY}); run: bash e2e/install.sh`);
  }
  const name = opts.name ?? 'code-server';
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  const tempRoot = await fsp.mkdtemp(path.join(os.tmpdir(), TEMP_ROOT_PREFIX));
  const userDataDir = path.join(tempRoot, 'user-data');
  const extensionsDir = path.join(tempRoot, 'extensions');
  const workspaceDir = opts.workspaceDir ? path.resolve(opts.workspaceDir) : path.join(tempRoot, 'workspace');
  await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.mkdir(workspaceDir, { recursive: true });
  await fsp.mkdir(path.join(tempRoot, 'tmp'));
  await fsp.writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );

  let extensionId = opts.extensionId;
  if (opts.extensionPath) {
    const extPath = path.resolve(opts.extensionPath);
    const pkg = JSON.parse(await fsp.readFile(path.join(extPath, 'package.json'), 'utf8'));
    extensionId ??= `${pkg.publisher}.${pkg.name}`;
    await fsp.symlink(extPath, path.join(extensionsDir, `${extensionId}-${pkg.version}`), 'dir');
  }

  await fsp.mkdir(TEST_RESULTS_DIR, { recursive: true });
  const logName = uniqueName(name);
  const logFile = path.join(TEST_RESULTS_DIR, `${logName}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const tag = randomBytes(12).toString('hex');

  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    // code-server writes coder-logs/ and a default config under these; keep them in tempRoot.
    XDG_DATA_HOME: path.join(tempRoot, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(tempRoot, 'xdg-config'),
    // VS Code leaves its IPC sockets (vscode-ipc-*.sock, vscode-git-*.sock) in the temp folder.
    TMPDIR: path.join(tempRoot, 'tmp'),
    // Never attach to a code-server/VS Code that launched this test (integrated terminal).
    VSCODE_IPC_HOOK_CLI: '',
    ...(opts.env ?? {}),
    [TAG_VAR]: tag,
  };
  // node --test marks its children with NODE_TEST_CONTEXT; the extension host must not inherit it.
  delete env.NODE_TEST_CONTEXT;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];

  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    // Port 0: the kernel picks a free port (no race); it is read back from the log.
    '--bind-addr', '127.0.0.1:0',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--config', path.join(tempRoot, 'config.yaml'),
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(opts.args ?? []),
    workspaceDir,
  ];
  fs.writeSync(logFd, `$ ${process.execPath} ${args.join(' ')}\n`);
  // detached: own process group (pgid = pid), so stop() can signal the whole group.
  const child = spawn(process.execPath, args, { cwd: workspaceDir, env, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const pid = /** @type {number} */ (child.pid);
  let exited = /** @type {null | { code: number | null, signal: string | null }} */ (null);
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  child.unref();

  const keepTemp = opts.keepTemp ?? process.env.E2E_KEEP_TEMP === '1';
  const watchdog = startWatchdog(pid, tag, keepTemp ? '' : tempRoot);

  // Used by the exit/signal hooks; the watchdog then sees our pipe close and removes tempRoot.
  const handle = { kill: () => killAllSync(pid, tag, 'SIGKILL') };
  live.add(handle);
  installExitHooks();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The child is unref'd so a forgotten server cannot keep the test process alive; while we wait
    // for its exit event it must count, or the event loop can empty first ("Promise resolution is
    // still pending but the event loop has already resolved", seen in CI).
    child.ref();
    await killTree(pid, tag, exitPromise);
    live.delete(handle);
    watchdog.kill('SIGKILL');
    if (!keepTemp) await removeTree(tempRoot);
  };

  let port = 0;
  let url = '';
  try {
    port = await waitForPort(logFile, waitMs, () => exited);
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, waitMs, () => exited);
  } catch (err) {
    await stop();
    throw new Error(`${/** @type {Error} */ (err).message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  }

  return {
    name: logName,
    url,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(workspaceDir)}`,
    port,
    pid,
    tempRoot,
    userDataDir,
    extensionsDir,
    workspaceDir,
    logFile,
    logsDir: path.join(userDataDir, 'logs'),
    extensionId,
    tag,
    processes: () => serverPids(pid, tag),
    stop,
  };
}

/** @type {Set<string>} */
const usedNames = new Set();
/** @param {string} name */
function uniqueName(name) {
  let candidate = name;
  for (let i = 2; usedNames.has(candidate); i++) candidate = `${name}-${i}`;
  usedNames.add(candidate);
  return candidate;
}

/**
 * Reads the port back from code-server's "HTTP server listening on http://127.0.0.1:PORT/" line.
 * @param {string} logFile
 * @param {number} waitMs
 * @param {() => unknown} exited
 * @returns {Promise<number>}
 */
async function waitForPort(logFile, waitMs, exited) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(logFile, 'utf8'));
    if (m) return Number(m[1]);
    const ex = exited();
    if (ex) throw new Error(`code-server exited before listening: ${JSON.stringify(ex)}`);
    if (Date.now() > deadline) throw new Error(`code-server did not report its port within ${waitMs} ms`);
    await sleep(100);
  }
}

/**
 * @param {string} url
 * @param {number} waitMs
 * @param {() => unknown} exited
 */
async function waitForHttp(url, waitMs, exited) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const ex = exited();
    if (ex) throw new Error(`code-server exited before answering ${url}: ${JSON.stringify(ex)}`);
    const status = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => resolve(0));
      req.setTimeout(5_000, () => req.destroy());
    });
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within ${waitMs} ms`);
    await sleep(200);
  }
}

/** @param {string} file */
function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * How many extension hosts a server has launched so far, from its log: one per window that connected.
 * @param {string} logFile
 */
export function countExtensionHostLaunches(logFile) {
  try {
    return fs.readFileSync(logFile, 'utf8').split('Launched Extension Host Process').length - 1;
  } catch {
    return 0;
  }
}

