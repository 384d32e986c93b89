import { policyJson } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/**
 * Every version of this installation's policy model, each with the date it comes into force here, for other
 * privacy tools to read; at `/de/policy.json` with its texts in German, its keys and ids as they are.
 */
export const GET: APIRoute = ({ locals }) =>
  new Response(policyJson(sitePolicy(locals).model), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
