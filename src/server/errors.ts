// What the API says about a client's input without echoing all of it.

/** A short, safe rendering of something a client sent. */
export function excerpt(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
