import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { builtFiles, distDir } from './site-dist.ts';

// Every built page against html-validate's recommended rules, as the server will send it: valid HTML, native
// elements where ARIA roles would only imitate them, and landmarks a screen reader user can tell apart by name.

const validator = new HtmlValidate(new StaticConfigLoader({ extends: ['html-validate:recommended'] }));
const pages = builtFiles()
  .filter((file) => file.endsWith('.html'))
  .sort();

describe('the built pages under html-validate', () => {
  it('builds pages to check', () => {
    expect(pages).toContain('index.html');
    expect(pages).toContain(join('regions', 'index.html'));
  });

  it.each(pages)('%s passes the recommended rules', async (file) => {
    const report = await validator.validateString(readFileSync(join(distDir, file), 'utf8'), file);
    const problems = report.results.flatMap((result) =>
      result.messages.map(
        (message) => `${message.line}:${message.column} ${message.ruleId}: ${message.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
