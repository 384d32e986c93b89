import { tableShape } from './table-shape.ts';

/**
 * Orders tables so that rows are removed before the rows they reference (messages before conversations before
 * visitors), read from the schema's foreign keys.
 */
export function childTablesFirst(tables: readonly string[]): string[] {
  const refs = new Map(tables.map((table) => [table, tableShape(table).references]));
  const ordered: string[] = [];
  const visit = (table: string, seen: Set<string>) => {
    if (ordered.includes(table) || seen.has(table)) return;
    seen.add(table);
    for (const [other, targets] of refs) if (other !== table && targets.includes(table)) visit(other, seen);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}
