// The README's example outputs, regenerated from the program itself: each example block sits under a marker naming
// the command that prints it, so a change in the corpus, the engine or the words cannot leave the README behind.
//
//   <!-- example: decide docs/seeds/x.json | considered 2 -->      (then a fenced block, replaced by the output)
//
// After `|`: `considered N` keeps the first N `considered` entries of a decision; `lines N` keeps the first N lines
// and ends with "…".

/** Runs `trustrules <args>` and gives what it printed on stdout. */
export type RunCommand = (args: readonly string[]) => string;

const marker = /<!-- example: ([^|>]+?)(?: \| ([^>]+?))? -->\n```(\w+)\n(?:[\s\S]*?\n)?```/g;

/** Splits a command line on spaces, keeping quoted arguments whole. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** An output cut as the marker asks. */
function trimmed(output: string, filter: string | undefined): string {
  const text = output.replace(/\n+$/, '');
  if (!filter) return text;
  const [what, n] = filter.trim().split(/\s+/);
  const count = Number(n);
  if (what === 'considered') {
    const decision = JSON.parse(text) as { considered: unknown[] };
    return JSON.stringify({ ...decision, considered: decision.considered.slice(0, count) }, null, 2);
  }
  if (what === 'lines') {
    const lines = text.split('\n');
    return lines.length > count ? [...lines.slice(0, count), '…'].join('\n') : text;
  }
  throw new Error(`README example filter not understood: ${filter}`);
}

/** The README with every example block replaced by what its command prints now. */
export function readmeWithExamples(readme: string, run: RunCommand): string {
  return readme.replace(marker, (_all, command: string, filter: string | undefined, lang: string) => {
    const output = trimmed(run(words(command.trim())), filter);
    return `<!-- example: ${command.trim()}${filter ? ` | ${filter.trim()}` : ''} -->\n\`\`\`${lang}\n${output}\n\`\`\``;
  });
}

/** The commands the README's examples run, in order. */
export function readmeExampleCommands(readme: string): string[] {
  return [...readme.matchAll(marker)].map((m) => m[1]!.trim());
}
