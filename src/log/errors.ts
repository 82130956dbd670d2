// The contact log's typed refusal: a ContractError (so surfaces map it to an exit or HTTP status) with the fields at hand.
import { ContractError, type ErrorCode } from '../app/errors.js';

/** Bad input to the log (a proof for a size the tree does not have, a malformed note or key): the contract's error. */
export class LogError extends ContractError {
  /** Where the bad value is (a parameter or field name). */
  readonly path: string;
  /** The value as given (never a private key). */
  readonly given: string;
  /** What would have been accepted, in words. */
  readonly allowed: string;

  /** Builds the refusal from the contract's fields; `message` is the sentence a user reads. */
  constructor(path: string, given: string, allowed: string, message: string, code: ErrorCode = 'bad_input') {
    super(code, { path, given, allowed: [allowed], message });
    this.path = path;
    this.given = given;
    this.allowed = allowed;
    this.name = 'LogError';
  }
}
