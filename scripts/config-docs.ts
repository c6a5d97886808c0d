/**
 * Renders the configuration documentation from src/config/variables.ts:
 * `bun scripts/config-docs.ts env` writes .env.example, `... table` prints the README table.
 * tests/docs.test.ts fails when either document drifts from the table.
 */
import { variableEntries } from '../src/config/variables.ts';

export function envExample(): string {
  const blocks = variableEntries.map(([name, spec]) => {
    const value = spec.default ?? '';
    const hint = `# ${spec.doc}${spec.secret ? ' (secret)' : ''}\n# Expected: ${spec.expect}.`;
    return `${hint}\n${spec.default === undefined ? '# ' : ''}${name}=${value}`;
  });
  return `# TechBot Marketplace configuration. Copy to .env; every variable is optional.\n\n${blocks.join('\n\n')}\n`;
}

export function readmeTable(): string {
  const rows = variableEntries.map(([name, spec]) => {
    const value = spec.default === undefined ? '(unset)' : `\`${spec.default}\``;
    return `| \`${name}\` | ${value} | ${spec.doc}${spec.secret ? ' Secret.' : ''} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

if (import.meta.main) {
  const what = process.argv[2];
  if (what === 'env') await Bun.write('.env.example', envExample());
  else if (what === 'table') console.log(readmeTable());
  else console.error('usage: bun scripts/config-docs.ts env|table');
}
