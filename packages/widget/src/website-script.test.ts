import type { LauncherSettings } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { launcherScriptFor, SETTINGS_MARKER, websiteLauncherPath } from './website-script.ts';

const settings: LauncherSettings = {
  key: 'pk_test',
  color: '#123456',
  position: 'left',
  label: `Ask us '"\\ </script><!-- \u2028 anything`,
  languages: ['de', 'en'],
};

describe('a website’s launcher script', () => {
  it('carries the settings inside the string literal, whatever the label holds', () => {
    for (const quote of [`'`, `"`]) {
      const bundle = `var s=${quote}${SETTINGS_MARKER}${quote};globalThis.read=JSON.parse(s);`;
      const script = launcherScriptFor(bundle, settings);
      expect(script).not.toContain('</script');
      expect(script).not.toContain('\u2028');
      const scope: { read?: unknown } = {};
      new Function('globalThis', script)(scope);
      expect(scope.read).toEqual(settings);
    }
  });

  it('refuses a bundle without the marker, or with it twice', () => {
    expect(() => launcherScriptFor('var s="";', settings)).toThrow('exactly once');
    expect(() => launcherScriptFor(`"${SETTINGS_MARKER}${SETTINGS_MARKER}"`, settings)).toThrow(
      'exactly once',
    );
  });

  it('lives under the website’s key', () => {
    expect(websiteLauncherPath('pk_a/b')).toBe('/w/pk_a%2Fb/widget.js');
  });
});
