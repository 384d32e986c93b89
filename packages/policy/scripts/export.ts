// Writes the machine-readable exports (policy JSON, cookie declarations as JSON and CSV, data map) to dist/.
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  contentInForce,
  cookieTable,
  cookieTableCsv,
  dataMap,
  parleyPolicy,
  policyJson,
  validatePolicy,
} from '../src/index.ts';

const model = validatePolicy(parleyPolicy);
const content = contentInForce(model);
const out = new URL('../dist/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('policy.json', out), policyJson(model));
writeFileSync(new URL('cookies.json', out), `${JSON.stringify(cookieTable(content), null, 2)}\n`);
writeFileSync(new URL('cookies.csv', out), cookieTableCsv(content));
writeFileSync(new URL('data-map.json', out), `${JSON.stringify(dataMap(content), null, 2)}\n`);
console.log(
  `policy ${model.versions.at(-1)?.version}: ${content.cookies.length} cookies, ${content.activities.length} activities`,
);
