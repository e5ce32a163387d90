// A run cannot continue from its checkpoint: there is none, or it holds another network. The user
// can act on it (start a new run, resume with the right file), so callers report it as it is.
export class ResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}
