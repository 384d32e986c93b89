import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launcherScriptFor } from '../../../packages/widget/src/website-script.ts';
import { FULL_SETTINGS } from './widget-weight.ts';
const plain = readFileSync('/work/wt/proactive/packages/widget/dist/widget.js', 'utf8');
const baked = launcherScriptFor(plain, FULL_SETTINGS.launcher('pk_live_abcdefghijklmnop123456'));
const g = (s: string) => gzipSync(s, { level: 9 }).length;
console.log('plain', plain.length, g(plain), 'full', baked.length, g(baked));
