import { type CookieTableRow, cookieTable, escapeHtml, type PolicyContent } from '@parley/policy';

/** The cookies the widget sets on a customer's website: the ones a customer must tell visitors about (CK-6). */
export const widgetCookies = (content: PolicyContent): CookieTableRow[] =>
  cookieTable(content).filter((row) => row.setBy === 'widget');

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The notice a customer pastes into their own cookie policy, built only from the declarations so that it cannot
 * disagree with them. Two forms: plain text, and an HTML table.
 */
export function noticeText(content: PolicyContent): string {
  const holds = new Map(content.cookies.map((cookie) => [cookie.name, cookie.holds]));
  const lines = widgetCookies(content).map(
    (row) =>
      `- ${row.name} (${row.category.toLowerCase()}; lifetime: ${row.retention.toLowerCase()}). ${row.purpose} It holds: ${lowerFirst(holds.get(row.name) ?? '')}`,
  );
  return [
    'Live chat',
    '',
    'The chat widget on this website (Parley) can set these cookies:',
    '',
    ...lines,
  ].join('\n');
}

export function noticeHtml(content: PolicyContent): string {
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
    '  <caption>Cookies set by the live chat widget (Parley)</caption>',
    '  <thead>',
    '    <tr><th scope="col">Cookie</th><th scope="col">Purpose</th><th scope="col">Category</th><th scope="col">Lifetime</th></tr>',
    '  </thead>',
    '  <tbody>',
    ...widgetCookies(content).map(row),
    '  </tbody>',
    '</table>',
  ].join('\n');
}
