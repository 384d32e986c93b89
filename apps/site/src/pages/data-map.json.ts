import { dataMap } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/** The data map of the policy in force: per use of data, its categories, retention, regions and processors. */
export const GET: APIRoute = ({ locals }) =>
  new Response(`${JSON.stringify(dataMap(sitePolicy(locals).content), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
