import type { PolicyDocument, PolicyModel, PolicyNode } from '@parley/policy';
import { renderPolicy } from '@parley/policy';

/** The model as it stood when `version` was published: later versions did not exist yet. */
export function modelAt(model: PolicyModel, version: string): PolicyModel {
  const index = model.versions.findIndex((v) => v.version === version);
  if (index === -1) throw new Error(`No policy version ${version}`);
  return { versions: model.versions.slice(0, index + 1) };
}

export const documentAt = (model: PolicyModel, version: string): PolicyDocument =>
  renderPolicy(modelAt(model, version));

/** Every ordered pair of distinct versions, oldest first: each gets its own comparison page. */
export function versionPairs(model: PolicyModel): Array<{ from: string; to: string }> {
  const versions = model.versions.map((v) => v.version);
  return versions.flatMap((from) => versions.filter((to) => to !== from).map((to) => ({ from, to })));
}

/** How a block of one version relates to the other version. */
export type Mark = 'same' | 'differs' | 'only-here';

/** Promises pair by id, tables by caption, paragraphs and lists by their position in the section. */
function nodeKeys(nodes: readonly PolicyNode[]): string[] {
  let paragraphs = 0;
  let lists = 0;
  return nodes.map((node) => {
    switch (node.type) {
      case 'promise':
        return `promise:${node.id}`;
      case 'table':
        return `table:${node.caption}`;
      case 'paragraph':
        return `paragraph:${paragraphs++}`;
      case 'list':
        return `list:${lists++}`;
    }
  });
}

export interface MarkedNode {
  node: PolicyNode;
  mark: Mark;
  /** For tables: the rows that the other version's table does not have word for word. */
  changedRows: Set<number>;
}

export function markNodes(nodes: readonly PolicyNode[], others: readonly PolicyNode[]): MarkedNode[] {
  const otherKeys = nodeKeys(others);
  const byKey = new Map(otherKeys.map((key, i) => [key, others[i]!]));
  return nodeKeys(nodes).map((key, i) => {
    const node = nodes[i]!;
    const other = byKey.get(key);
    const changedRows = new Set<number>();
    if (other === undefined) return { node, mark: 'only-here', changedRows };
    if (node.type === 'table' && other.type === 'table') {
      const otherRows = new Set(other.rows.map((row) => JSON.stringify(row)));
      node.rows.forEach((row, r) => {
        if (!otherRows.has(JSON.stringify(row))) changedRows.add(r);
      });
    }
    const mark: Mark = JSON.stringify(node) === JSON.stringify(other) ? 'same' : 'differs';
    return { node, mark, changedRows };
  });
}

export interface AlignedSection {
  id: string;
  heading: string;
  left: MarkedNode[] | null;
  right: MarkedNode[] | null;
}

/** The two documents section by section (in the order of the right-hand one), so a reader can compare across. */
export function alignSections(left: PolicyDocument, right: PolicyDocument): AlignedSection[] {
  const ids = [...new Set([...right.sections, ...left.sections].map((s) => s.id))];
  return ids.map((id) => {
    const a = left.sections.find((s) => s.id === id);
    const b = right.sections.find((s) => s.id === id);
    return {
      id,
      heading: (b ?? a)!.heading,
      left: a ? markNodes(a.children, b?.children ?? []) : null,
      right: b ? markNodes(b.children, a?.children ?? []) : null,
    };
  });
}
