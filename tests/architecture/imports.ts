import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dir, '../..');

/** One import of a file: what it names and from which module specifier, resolved against the repo. */
export interface ImportOf {
  /** The specifier as written. */
  from: string;
  /** Repo-relative path for a relative specifier (`src/store/schema/index.ts`), else the package name. */
  target: string;
  /** Imported names (`*` for a namespace import, `default` for a default one); empty for a bare import. */
  names: string[];
}

/** The static imports and re-exports of a TypeScript source, read with the TypeScript parser. */
export function importsOf(path: string, source: string = readFileSync(join(ROOT, path), 'utf8')): ImportOf[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: ImportOf[] = [];
  const add = (specifier: ts.Expression | undefined, names: string[]) => {
    if (!specifier || !ts.isStringLiteral(specifier)) return;
    const from = specifier.text;
    const target = from.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(path), from)) : from;
    found.push({ from, target, names });
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const names: string[] = [];
      if (clause?.name) names.push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) names.push((element.propertyName ?? element.name).text);
      }
      add(statement.moduleSpecifier, names);
    } else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      const names =
        clause && ts.isNamedExports(clause) ? clause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      add(statement.moduleSpecifier, names);
    }
  }
  return found;
}

/** Every .ts file under a repo-relative folder, repo-relative. */
export function sourcesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

const SCHEMA = 'src/store/schema';
export const isSchema = (target: string) => target === SCHEMA || target.startsWith(`${SCHEMA}/`);
