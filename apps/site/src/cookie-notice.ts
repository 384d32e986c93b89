import {
  type CookieTableRow,
  cookieTable,
  escapeHtml,
  type Language,
  lowerFirst,
  type PolicyContent,
} from '@parley/policy';
import { fill, messagesIn } from './messages.ts';

/**
 * The cookies the widget sets on a customer's website: the ones a customer must tell visitors about (CK-6). Give
 * it content in `language` (`localizeContent`), for the purposes to read in it too.
 */
export const widgetCookies = (content: PolicyContent, language: Language = 'en'): CookieTableRow[] =>
  cookieTable(content, language).filter((row) => row.setBy === 'widget');

/**
 * The notice a customer pastes into their own cookie policy, built only from the declarations so that it cannot
 * disagree with them. Two forms: plain text, and an HTML table.
 */
export function noticeText(content: PolicyContent, language: Language = 'en'): string {
  const t = messagesIn(language).widgetCookies.notice;
  const holds = new Map(content.cookies.map((cookie) => [cookie.name, cookie.holds]));
  const lines = widgetCookies(content, language).map((row) =>
    fill(t.line, {
      name: row.name,
      // English writes a category in lower case inside a sentence; German nouns keep their capital.
      category: language === 'en' ? row.category.toLowerCase() : row.category,
      lifetime: lowerFirst(row.retention),
      purpose: row.purpose,
      holds: lowerFirst(holds.get(row.name) ?? ''),
    }),
  );
  return [t.heading, '', t.intro, '', ...lines].join('\n');
}

export function noticeHtml(content: PolicyContent, language: Language = 'en'): string {
  const t = messagesIn(language).widgetCookies.notice;
  const row = (cookie: CookieTableRow) =>
    [
      '    <tr>',
      `      <th scope="row"><code>${escapeHtml(cookie.name)}</code></th>`,
      `      <td>${escapeHtml(cookie.purpose)}</td>`,
      `      <td>${escapeHtml(cookie.category)}</td>`,
      `      <td>${escapeHtml(cookie.retention)}</td>`,
      '    </tr>',
    ].join('\n');
  return [
    '<table>',
    `  <caption>${escapeHtml(t.caption)}</caption>`,
    '  <thead>',
    `    <tr>${t.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('')}</tr>`,
    '  </thead>',
    '  <tbody>',
    ...widgetCookies(content, language).map(row),
    '  </tbody>',
    '</table>',
  ].join('\n');
}
