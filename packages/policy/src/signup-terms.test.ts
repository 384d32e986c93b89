import { describe, expect, it } from 'vitest';
import { parleyPolicy } from './history.ts';
import { policyForInstallation, versionInForce } from './installation.ts';
import { policyToText } from './render-html.ts';
import { renderPolicy } from './render-policy.ts';
import { declaresSignups, signupTerms, signupTermsText } from './signup-terms.ts';

describe('COL-1: what the policy says a business gives at sign-up', () => {
  it('COL-1: an installation with no payment processor says it asks for no payment card, in the promise and the categories', () => {
    const content = versionInForce(policyForInstallation({ payments: false })).content;
    const col1 = content.promises.find((p) => p.id === 'COL-1')!;
    expect(col1.statement).toContain('no payment processor switched on, so it asks for no payment card');
    expect(content.processors.map((p) => p.id)).not.toContain('payments');
    const card = content.categories.find((c) => c.key === 'user.financial.credit_card')!;
    expect(card.description).toMatch(/^Not collected here/);
    expect(policyToText(renderPolicy(policyForInstallation({ payments: false })))).toContain(
      'it asks for no payment card',
    );
    // Parley's own model, with its processor, says nothing of the kind.
    const own = versionInForce(parleyPolicy).content.promises.find((p) => p.id === 'COL-1')!;
    expect(own.statement).not.toContain('no payment processor');
  });

  it('COL-1, COL-4: the sign-up text names the policy version, what is collected, the region and how long an unconfirmed sign-up is kept', () => {
    const version = versionInForce(policyForInstallation({ payments: false, region: 'NL' }));
    const terms = signupTerms(version);
    expect(terms[0]).toContain(`version ${version.version} of ${version.date}`);
    expect(terms).toContain(version.content.promises.find((p) => p.id === 'COL-1')!.statement);
    expect(terms.join(' ')).toContain('in the region NL');
    expect(terms.join(' ')).toContain('2 days after it is collected');
    expect(signupTermsText(version)).toBe(terms.join('\n\n'));
  });

  it('CHG-1: sign-up waits for a version that declares how long an unconfirmed sign-up is kept', () => {
    const versions = parleyPolicy.versions;
    expect(versions.filter(declaresSignups).map((v) => v.version)).toEqual(['1.4.0']);
  });
});
