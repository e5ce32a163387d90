// The detached trainer's door: a local socket (runStore/trainerSocketAddress.ts) any number of
// windows connect to, speaking the typed trainer protocol as newline-delimited JSON
// (shared/lineFraming.ts). Every line is checked by the host→trainer guard; a malformed one is
// rejected (logged, and answered as a non-fatal error, rate-limited per client) and never acted on.
// Events go to every client; the reply to a request goes only to the client that asked: request
// ids are renumbered on the way in, so two windows' ids never collide.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { encodeLine, LineDecoder } from '../shared/lineFraming';
import { RejectionLog } from '../shared/rejectionLog';
import { parseHostToTrainer, type HostToTrainerMessage, type TrainerToHostMessage } from '../shared/trainerProtocol';

export interface TrainerSocketHandlers {
  /** A well-formed message from some client (its request id already renumbered). */
  message(message: HostToTrainerMessage): void;
  /** A client connected: `greet` sends to it alone (ready, and the replay of the run so far). */
  connected(greet: (message: TrainerToHostMessage) => void): void;
  /** The number of connected clients changed. */
  clientsChanged(count: number): void;
  /** A line for the trainer's log (its stderr, the run folder's trainer.log). */
  log(line: string): void;
}

class Client {
  readonly decoder = new LineDecoder();
  constructor(readonly socket: net.Socket, readonly rejections: RejectionLog) {}

  send(message: TrainerToHostMessage): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeLine(message));
  }
}

export class TrainerSocketServer {
  private readonly server: net.Server;
  private readonly clients = new Set<Client>();
  private nextRequestId = 1;
  /** The trainer's request id → who asked, and under which id. */
  private readonly requests = new Map<number, { client: Client; requestId: number }>();

  private constructor(readonly address: string, private readonly handlers: TrainerSocketHandlers) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /**
   * Listens at `address`. A socket file left by a killed trainer of this run is replaced; one a
   * live trainer answers on is not (that trainer has the run: this one gives up).
   */
  static async listen(address: string, handlers: TrainerSocketHandlers): Promise<TrainerSocketServer> {
    const server = new TrainerSocketServer(address, handlers);
    if (await answers(address)) throw new Error('another trainer is listening there (it trains this run)');
    if (process.platform !== 'win32') fs.rmSync(address, { force: true });
    return new Promise((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(address, () => {
        server.server.off('error', reject);
        resolve(server);
      });
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** A reply goes to the client whose request it answers; anything else to every client. */
  send(message: TrainerToHostMessage): void {
    const requestId = 'requestId' in message ? message.requestId : undefined;
    if (requestId === undefined) {
      for (const client of this.clients) client.send(message);
      return;
    }
    const asker = this.requests.get(requestId);
    if (!asker) return; // its client has gone
    this.requests.delete(requestId);
    asker.client.send({ ...message, requestId: asker.requestId } as TrainerToHostMessage);
  }

  close(): void {
    for (const client of this.clients) client.socket.destroy();
    this.server.close();
    if (process.platform !== 'win32') fs.rmSync(this.address, { force: true });
  }

  private accept(socket: net.Socket): void {
    const client: Client = new Client(socket, new RejectionLog('a window', (line) => {
      this.handlers.log(line);
      client.send({ type: 'error', message: line, fatal: false });
    }));
    this.clients.add(client);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const line of client.decoder.push(chunk)) {
        if (!line.ok) {
          client.rejections.reject(line.error);
          continue;
        }
        const parsed = parseHostToTrainer(line.value);
        if (!parsed.ok) client.rejections.reject(parsed.error);
        else this.handlers.message(this.renumbered(parsed.message, client));
      }
    });
    // A window that vanished (reload, crash) resets the connection: that is only a goodbye.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      client.rejections.close();
      this.clients.delete(client);
      for (const [id, asker] of this.requests) if (asker.client === client) this.requests.delete(id);
      this.handlers.clientsChanged(this.clients.size);
    });
    this.handlers.connected((message) => client.send(message));
    this.handlers.clientsChanged(this.clients.size);
  }

  private renumbered(message: HostToTrainerMessage, client: Client): HostToTrainerMessage {
    if (!('requestId' in message)) return message;
    const requestId = this.nextRequestId++;
    this.requests.set(requestId, { client, requestId: message.requestId });
    return { ...message, requestId };
  }
}

/** Whether something accepts connections at `address` (a live trainer). */
function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(address);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
