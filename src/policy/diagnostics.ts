// Typed diagnostics for policy files: every problem names its file, line and column.
import path from 'node:path';

/** Where in a file: path, line and column (1-based). */
export interface Position {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** How bad a diagnostic is: an error stops loading, a warning does not, info is acknowledged. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a policy file or the corpus, with its position and a code. */
export interface Diagnostic {
  readonly severity: Severity;
  /** A stable code, e.g. `schema`, `unknown-reference`, `unreachable`, `untested`. */
  readonly code: string;
  readonly message: string;
  readonly position: Position;
}

/** The policies could not be loaded; carries every diagnostic. */
export class PolicyLoadError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'PolicyLoadError';
  }
}

/** A diagnostic as one line, `file:line:column: severity [code] message`, the path relative to the working folder. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const file = path.isAbsolute(d.position.file) ? path.relative(cwd, d.position.file) || d.position.file : d.position.file;
  return `${file}:${d.position.line}:${d.position.column}: ${d.severity} [${d.code}] ${d.message}`;
}
