import axe from 'axe-core';
import type { Page } from 'playwright-core';

// Every rule of WCAG 2.x A and AA, plus axe's best practices (landmarks, headings), over a page in Chromium.

/** axe's violations on the page as it stands, one line each: rule, then the elements it found. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's strict CSP does not govern, so nothing is loosened.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    }),
  );
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' > ')).join(', ')}`,
  );
}
