import type { Language, PolicyDocument, PolicyModel, PolicyNode } from '@parley/policy';
import { renderPolicy } from '@parley/policy';

/**
 * The model as it stood when `version` was published, with that version in force: later versions did not exist
 * yet. Null for a version the model does not have.
 */
export function modelAt(model: PolicyModel, version: string): PolicyModel | null {
  const index = model.versions.findIndex((v) => v.version === version);
  if (index === -1) return null;
  return { versions: model.versions.slice(0, index + 1).map(({ inForceFrom: _, ...v }) => v) };
}

/** The policy as it read when `version` was published, in `language`; `model` is the English one. */
export function documentAt(
  model: PolicyModel,
  version: string,
  language: Language = 'en',
): PolicyDocument | null {
  const then = modelAt(model, version);
  return then && renderPolicy(then, Date.now(), language);
}

/** Every ordered pair of distinct versions, oldest first: each gets its own comparison page. */
export function versionPairs(model: PolicyModel): Array<{ from: string; to: string }> {
  const versions = model.versions.map((v) => v.version);
  return versions.flatMap((from) => versions.filter((to) => to !== from).map((to) => ({ from, to })));
}

/** How a block of one version relates to the other version. */
export type Mark = 'same' | 'differs' | 'only-here';

/** Promises pair by id, tables by caption, paragraphs and lists by their position in the section. */
function nodeKeys(nodes: readonly PolicyNode[]): string[] {
  const seen = { paragraph: 0, list: 0 };
  return nodes.map((node) => {
    if (node.type === 'promise') return `promise:${node.id}`;
    if (node.type === 'table') return `table:${node.caption}`;
    return `${node.type}:${seen[node.type]++}`;
  });
}

export interface MarkedNode {
  node: PolicyNode;
  mark: Mark;
  /** For tables: the rows that the other version's table does not have word for word. */
  changedRows: Set<number>;
}

function markAgainst(node: PolicyNode, other: PolicyNode | undefined): MarkedNode {
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
}

/** One line of the side-by-side view: a block and its counterpart, either of which may be missing. */
export interface AlignedRow {
  left: MarkedNode | null;
  right: MarkedNode | null;
}

/**
 * Pairs the blocks of one section in two versions, in the order of the right-hand version; a block only the
 * left-hand version has is placed after the block it followed there.
 */
export function alignNodes(left: readonly PolicyNode[], right: readonly PolicyNode[]): AlignedRow[] {
  const leftKeys = nodeKeys(left);
  const rightKeys = nodeKeys(right);
  const rows: AlignedRow[] = [];
  const leftOnly = (i: number): AlignedRow => ({ left: markAgainst(left[i]!, undefined), right: null });
  let next = 0;
  rightKeys.forEach((key, j) => {
    const i = leftKeys.indexOf(key);
    if (i === -1) {
      rows.push({ left: null, right: markAgainst(right[j]!, undefined) });
      return;
    }
    for (; next < i; next++) if (!rightKeys.includes(leftKeys[next]!)) rows.push(leftOnly(next));
    next = Math.max(next, i + 1);
    rows.push({ left: markAgainst(left[i]!, right[j]), right: markAgainst(right[j]!, left[i]) });
  });
  for (; next < left.length; next++) if (!rightKeys.includes(leftKeys[next]!)) rows.push(leftOnly(next));
  return rows;
}

export interface AlignedSection {
  id: string;
  heading: string;
  rows: AlignedRow[];
}

/** The two documents section by section and block by block, so a reader can compare across. */
export function alignSections(left: PolicyDocument, right: PolicyDocument): AlignedSection[] {
  const ids = [...new Set([...right.sections, ...left.sections].map((s) => s.id))];
  return ids.map((id) => {
    const a = left.sections.find((s) => s.id === id);
    const b = right.sections.find((s) => s.id === id);
    return { id, heading: (b ?? a)!.heading, rows: alignNodes(a?.children ?? [], b?.children ?? []) };
  });
}
