import { dataMap } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/**
 * The data map of the policy in force: per use of data, its categories, retention, regions and processors; German
 * at `/de/data-map.json`.
 */
export const GET: APIRoute = ({ locals }) => {
  const { content, language } = sitePolicy(locals);
  return new Response(`${JSON.stringify(dataMap(content, language), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
