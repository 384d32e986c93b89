import type { PolicyDocument, PolicyNode } from './render-policy.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

function nodeHtml(node: PolicyNode): string {
  switch (node.type) {
    case 'paragraph':
      return `<p>${escapeHtml(node.text)}</p>`;
    case 'promise':
      return `<article class="promise" id="${node.id}"><h3><a href="#${node.id}" class="promise-id">${node.id}</a> ${escapeHtml(node.title)}${node.beyond ? ' <span class="beyond">Beyond</span>' : ''}</h3><p>${escapeHtml(node.statement)}</p></article>`;
    case 'list':
      return `<ul>${node.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
    case 'table':
      return `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(node.caption)}"><table><caption>${escapeHtml(node.caption)}</caption><thead><tr>${node.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${node.rows
        .map(
          (row) =>
            `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`,
        )
        .join('')}</tbody></table></div>`;
  }
}

/** An HTML fragment (no `<html>` or styles): sections with `h2` headings and an anchor per promise id. */
export function policyToHtml(doc: PolicyDocument): string {
  return doc.sections
    .map(
      (section) =>
        `<section id="${section.id}" aria-labelledby="${section.id}-heading"><h2 id="${section.id}-heading">${escapeHtml(section.heading)}</h2>${section.children.map(nodeHtml).join('')}</section>`,
    )
    .join('\n');
}

function nodeText(node: PolicyNode): string {
  switch (node.type) {
    case 'paragraph':
      return node.text;
    case 'promise':
      return `[${node.id}] ${node.title}\n${node.statement}`;
    case 'list':
      return node.items.map((item) => `- ${item}`).join('\n');
    case 'table':
      return [
        `${node.caption}:`,
        ...node.rows.map((row) => `- ${row.map((cell, i) => `${node.columns[i]}: ${cell}`).join('; ')}`),
      ].join('\n');
  }
}

/** Plain text, for email notices and terminals. */
export function policyToText(doc: PolicyDocument): string {
  const head = `${doc.title} (version ${doc.version}, last updated ${doc.lastUpdated})`;
  return [
    head,
    ...doc.sections.map(
      (s) => `${s.heading}\n${'='.repeat(s.heading.length)}\n${s.children.map(nodeText).join('\n\n')}`,
    ),
  ].join('\n\n');
}
