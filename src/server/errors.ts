// Errors the API answers with a status and the contract's error object, never a stack trace.
import type { InputError } from '../vocabulary/scenario.js';

/** A request the API refuses: an HTTP status and the contract error object {path, given, allowed, message}. */
export class ApiError extends Error {
  constructor(readonly statusCode: number, readonly error: InputError) {
    super(`${error.path}: ${error.message}`);
    this.name = 'ApiError';
  }
}

/** The server cannot start: no corpus, or a bad what-if. `json` is the contract error object when there is one. */
export class ServerConfigError extends Error {
  constructor(message: string, readonly json?: { error: InputError }) {
    super(message);
    this.name = 'ServerConfigError';
  }
}

/** A short, safe rendering of something a client sent. */
export function excerpt(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
