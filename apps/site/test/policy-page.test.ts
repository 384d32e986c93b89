import { describeRetention, type PolicyModel } from '@parley/policy';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import PrivacyPolicy from '../src/components/PrivacyPolicy.astro';
import { model } from './site-dist.ts';

let container: AstroContainer;
const render = (m: PolicyModel) => container.renderToString(PrivacyPolicy, { props: { model: m } });

beforeAll(async () => {
  container = await AstroContainer.create();
});

/** The model with the access log's retention changed in the version in force. */
function withLogKeptFor(keep: string): PolicyModel {
  const copy = structuredClone(model);
  const rules = copy.versions
    .at(-1)!
    .content.retention.filter((r) => r.category === 'user.device.ip_address');
  expect(rules.length).toBeGreaterThan(0);
  for (const rule of rules) rule.retention.keep = keep;
  return copy;
}

describe('the privacy policy page', () => {
  it('RET-3: shows a retention period changed in the model, so the page derives from it', async () => {
    const before = await render(model);
    const after = await render(withLogKeptFor('P9D'));
    const changed = describeRetention({ after: 'collected', keep: 'P9D' });
    expect(changed).toBe('9 days after it is collected');
    expect(after).toContain(changed);
    expect(before).not.toContain(changed);
  });

  it('CHG-1: takes "last updated" and the version from the latest version of the model', async () => {
    const copy = structuredClone(model);
    const latest = copy.versions.at(-1)!;
    latest.version = '9.9.9';
    latest.date = '2031-01-02';
    const page = await render(copy);
    expect(page).toContain('Version 9.9.9');
    expect(page).toContain('Last updated <time datetime="2031-01-02">2 January 2031</time>');
  });

  it('shows a promise reworded in the model, and escapes whatever the model holds', async () => {
    const copy = structuredClone(model);
    const promise = copy.versions.at(-1)!.content.promises.find((p) => p.id === 'CK-3')!;
    promise.statement = 'Reworded <b>in the model</b> & nowhere else.';
    const page = await render(copy);
    expect(page).toContain('Reworded &lt;b&gt;in the model&lt;/b&gt; &amp; nowhere else.');
    expect(page).not.toContain('<b>in the model</b>');
  });
});
