// The contact log's typed error: carries the contract's error fields (path, given, allowed, message) for the surfaces.

/** Bad input to the log (a proof for a size the tree does not have, a malformed note or key): the contract's error fields. */
export class LogError extends Error {
  /** Builds the error from the contract's fields; `message` is the sentence a user reads. */
  constructor(
    /** Where the bad value is (a parameter or field name). */
    readonly path: string,
    /** The value as given (never a private key). */
    readonly given: string,
    /** What would have been accepted. */
    readonly allowed: string,
    message: string,
  ) {
    super(message);
    this.name = 'LogError';
  }

  /** The contract's error object. */
  toJSON(): { error: { path: string; given: string; allowed: string; message: string } } {
    return { error: { path: this.path, given: this.given, allowed: this.allowed, message: this.message } };
  }
}
