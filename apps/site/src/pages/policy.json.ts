import { policyJson } from '@parley/policy';
import type { APIRoute } from 'astro';

/**
 * Every version of this installation's policy model, each with the date it comes into force here, for other
 * privacy tools to read.
 */
export const GET: APIRoute = ({ locals }) =>
  new Response(policyJson(locals.policy), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
