// HTML as values: a tagged template that escapes every interpolated value unless it is already Html, so a page
// cannot inject text as markup by mistake (attributes are always double-quoted in our templates).
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  /** The markup. */
  toString(): string {
    return this.text;
  }
}

/** Text made safe for HTML content and double-quoted attributes. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A value as markup: Html as is, arrays joined, null/undefined/false as nothing, anything else escaped. */
function piece(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeText(String(value));
}

/** `html\`<p>${text}</p>\``: the template with each value escaped (Html values and arrays of them kept). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (built by our own code, never from input). */
export function raw(markup: string): Html {
  return new Html(markup);
}
