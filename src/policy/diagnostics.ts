// Typed diagnostics for policy files: every problem names its file, line and column.
import path from 'node:path';

export interface Position {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  /** A stable code, e.g. `schema`, `unknown-reference`, `unreachable`, `untested`. */
  readonly code: string;
  readonly message: string;
  readonly position: Position;
}

export class PolicyLoadError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'PolicyLoadError';
  }
}

export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const file = path.isAbsolute(d.position.file) ? path.relative(cwd, d.position.file) || d.position.file : d.position.file;
  return `${file}:${d.position.line}:${d.position.column}: ${d.severity} [${d.code}] ${d.message}`;
}
