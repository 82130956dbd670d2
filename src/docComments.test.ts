// Every exported declaration of the source carries a doc comment (/** … */), and every module opens with a line on
// what it is for: read with the TypeScript compiler's parser, so a comment that is not JSDoc does not count.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('.', import.meta.url));

/** Source modules (tests and test fixtures excluded: they export nothing for others). */
function modules(dir = ''): string[] {
  return readdirSync(path.join(src, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : modules(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The exported declarations of a module without a JSDoc comment, as `name (line)`. */
export function undocumented(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const missing: string[] = [];
  for (const statement of file.statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    const hasDoc = ts.getJSDocCommentsAndTags(statement).length > 0
      || (ts.isVariableStatement(statement) && ts.getJSDocCommentsAndTags(statement.declarationList.declarations[0]!).length > 0);
    if (hasDoc) continue;
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => d.name.getText(file))
      : [(statement as ts.DeclarationStatement).name?.getText(file) ?? ts.SyntaxKind[statement.kind]];
    const { line } = file.getLineAndCharacterOfPosition(statement.getStart(file));
    missing.push(...names.map((n) => `${n} (line ${line + 1})`));
  }
  return missing;
}

describe('doc comments', () => {
  const files = modules();

  it('every exported declaration has one', () => {
    const missing = files.flatMap((f) => undocumented(f, readFileSync(path.join(src, f), 'utf8')).map((m) => `src/${f}: ${m}`));
    expect(missing).toEqual([]);
  });

  it('every module opens with a line on what it is for', () => {
    const bare = files.filter((f) => !/^(#![^\n]*\n)?\/\/ \S/.test(readFileSync(path.join(src, f), 'utf8')));
    expect(bare).toEqual([]);
  });

  it('tells a doc comment from a plain one (the check can fail)', () => {
    expect(undocumented('a.ts', '/** Documented. */\nexport const a = 1;\n// plain\nexport function b() {}\nexport class C {}\n/* block */\nexport type D = 1;\n')).toEqual(['b (line 4)', 'C (line 5)', 'D (line 7)']);
    expect(undocumented('a.ts', "export { x } from './x.js';\nexport * from './y.js';\n")).toEqual([]);
  });
});
