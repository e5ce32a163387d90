// What the trainer's reply to an awaited request means for the asker, by the protocol's reply
// scheme (TRAINER_REPLY_TYPES): the expected answer, a failure, or a request a newer one replaced.
// One definition for every connection (the real child process and the tests' fake).
import { TRAINER_REPLY_TYPES, type TrainerReplyTo, type TrainerRequestType, type TrainerToHostMessage } from '../../shared/trainerProtocol';

/** A newer request of the same kind took this one's place; nothing to show for it. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'SupersededError';
  }
}

export type ReplyOutcome<T extends TrainerRequestType> = { ok: true; reply: TrainerReplyTo<T> } | { ok: false; error: Error };

/** Judges `reply` (already shape-checked, carrying the request's id) as the answer to a `requestType` request. */
export function replyOutcome<T extends TrainerRequestType>(requestType: T, reply: TrainerToHostMessage): ReplyOutcome<T> {
  if (reply.type === 'error') return { ok: false, error: new Error(reply.message) };
  if (reply.type === 'requestSuperseded') return { ok: false, error: new SupersededError() };
  const expected: TrainerToHostMessage['type'] = TRAINER_REPLY_TYPES[requestType];
  if (reply.type !== expected) return { ok: false, error: new Error(`the trainer answered ${requestType} with ${reply.type} instead of ${expected}`) };
  return { ok: true, reply: reply as TrainerReplyTo<T> };
}
