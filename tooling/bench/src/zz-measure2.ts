import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launcherScriptFor } from '../../../packages/widget/src/website-script.ts';
import { FULL_SETTINGS } from './widget-weight.ts';
const plain = readFileSync('../../packages/widget/dist/widget.js', 'utf8');
const g = (s: string) => gzipSync(s, { level: 9 }).length;
const text = 'Guten Tag! Sie sehen sich unsere Teemischungen an? Fragen Sie uns gern nach Geschmack, Herkunft und Zubereitung – wir antworten sofort, solange jemand im Laden ist.';
for (const n of [80, 100, 120, 140]) {
  const s = { ...FULL_SETTINGS.launcher('pk_live_abcdefghijklmnop123456'), onColor: '#fff', greet: { path: '^(?:/tee/.*|/geschenke/?|/bestellung/?)$', after: 30, text: text.slice(0, n) } };
  console.log(n, g(launcherScriptFor(plain, s)));
}
