import { describe, expect, it } from 'vitest';
import { cookieTable, cookieTableCsv, dataMap } from './exports.ts';
import { parleyPolicy } from './history.ts';
import { contentInForce } from './installation.ts';
import { PROMISE_IDS } from './promise-ids.ts';
import { policyToHtml, policyToText } from './render-html.ts';
import { renderPolicy } from './render-policy.ts';

const doc = renderPolicy(parleyPolicy);
const html = policyToHtml(doc);

describe('renderPolicy', () => {
  it('takes "last updated" from the latest version', () => {
    expect(doc.lastUpdated).toBe(parleyPolicy.versions.at(-1)!.date);
    expect(policyToText(doc)).toContain(`last updated ${doc.lastUpdated}`);
  });

  it.each(PROMISE_IDS)('gives %s an anchor', (id) => {
    expect(html).toContain(`id="${id}"`);
  });

  it('SCP-1: says what the policy does not cover', () => {
    expect(policyToText(doc)).toMatch(/does not cover the websites that embed the widget/);
  });

  it('renders a changed retention period', () => {
    const copy = structuredClone(parleyPolicy);
    const rule = copy.versions
      .at(-1)!
      .content.retention.find((r) => r.category === 'user.device.ip_address')!;
    rule.retention.keep = 'P9D';
    expect(policyToHtml(renderPolicy(copy))).toContain('9 days after it is collected');
    expect(html).not.toContain('9 days after it is collected');
  });

  it("SIG-1: says how long a signalling visitor's data is kept at most, from the model's declared limit", () => {
    const section = doc.sections.find((s) => s.id === 'signals');
    const text = JSON.stringify(section);
    expect(text).toContain('deleted 30 days after its usual starting point at the latest');
    expect(text).toMatch(/pages you open, your country, language, time zone and browser are not stored/);
    const copy = structuredClone(parleyPolicy);
    copy.versions.at(-1)!.content.signals.keepAtMost = 'P7D';
    expect(policyToHtml(renderPolicy(copy))).toContain('deleted 7 days after its usual starting point');
  });

  it('escapes text, so the model cannot inject markup', () => {
    const copy = structuredClone(parleyPolicy);
    copy.versions.at(-1)!.content.promises[0]!.title = '<script>alert(1)</script>';
    expect(policyToHtml(renderPolicy(copy))).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('exports', () => {
  const content = contentInForce(parleyPolicy);
  it('CK-6: lists every declared cookie with the Open Cookie Database columns, as JSON and CSV', () => {
    const rows = cookieTable(content);
    expect(rows.map((r) => r.name)).toEqual(content.cookies.map((c) => c.name));
    const csv = cookieTableCsv(content).trimEnd().split('\r\n');
    expect(csv[0]).toMatch(
      /^ID,Platform,Category,Cookie \/ Data Key name,Domain,Description,Retention period/,
    );
    expect(csv).toHaveLength(content.cookies.length + 1);
  });

  it('gives a data map entry per processing activity, with retention and regions', () => {
    const map = dataMap(content);
    expect(map).toHaveLength(content.activities.length);
    const payments = map.find((a) => a.activity === 'take_payments')!;
    expect(payments.regions).toEqual(expect.arrayContaining([content.regions.installation, 'US']));
    expect(payments.categories.find((c) => c.key === 'user.financial.credit_card')?.retention[0]?.text).toBe(
      '30 days after the account is closed',
    );
  });
});
