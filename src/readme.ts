// The README's example outputs, regenerated from the program itself: each example block sits under a marker naming
// the command that prints it, so a change in the corpus, the engine or the words cannot leave the README behind.
//
//   <!-- example: decide docs/seeds/x.json | considered 2 -->      (then a fenced block, replaced by the output)
//
// After `|`: `considered N` keeps the first N `considered` entries of a decision; `summary N` keeps the first N
// `summary` groups of a diff and leaves out its rows (`differences`); `lines N` keeps the first N lines and ends with
// "…". A `console` block shows the command line too (`$ ./bin/trustrules …`), then what it printed.

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
  if (what === 'summary') {
    const { differences: _rows, ...diff } = JSON.parse(text) as { differences?: unknown; summary: unknown[] };
    return JSON.stringify({ ...diff, summary: diff.summary.slice(0, count) }, null, 2);
  }
  if (what === 'lines') {
    const lines = text.split('\n');
    return lines.length > count ? [...lines.slice(0, count), '…'].join('\n') : text;
  }
  throw new Error(`README example filter not understood: ${filter}`);
}

/** A page (the README, docs/*.md) with every example block replaced by what its command prints now. */
export function readmeWithExamples(readme: string, run: RunCommand): string {
  return readme.replace(marker, (_all, command: string, filter: string | undefined, lang: string) => {
    const printed = trimmed(run(words(command.trim())), filter);
    const output = lang === 'console' ? `$ ./bin/trustrules ${command.trim()}\n${printed}` : printed;
    return `<!-- example: ${command.trim()}${filter ? ` | ${filter.trim()}` : ''} -->\n\`\`\`${lang}\n${output}\n\`\`\``;
  });
}

/** The commands the README's examples run, in order. */
export function readmeExampleCommands(readme: string): string[] {
  return [...readme.matchAll(marker)].map((m) => m[1]!.trim());
}
