import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { inLanguage, routes } from '../src/routes.ts';
import { pagePaths, readPage } from './site-dist.ts';

// Every page against html-validate's recommended rules, rendered by the build as the server will send it: valid
// HTML, native elements where ARIA roles would only imitate them, and landmarks a screen reader user can tell
// apart by name.

const validator = new HtmlValidate(new StaticConfigLoader({ extends: ['html-validate:recommended'] }));
const pages = [...pagePaths(), ...pagePaths(undefined, 'de'), routes.signup, inLanguage(routes.signup, 'de')];

describe('the pages under html-validate', () => {
  it('has pages to check', () => {
    expect(pages).toContain(routes.home);
    expect(pages).toContain(routes.regions);
    expect(pages).toContain('/de/privacy');
  });

  it.each(pages)('%s passes the recommended rules', async (path) => {
    const report = await validator.validateString(await readPage(path), path);
    const problems = report.results.flatMap((result) =>
      result.messages.map(
        (message) => `${message.line}:${message.column} ${message.ruleId}: ${message.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
