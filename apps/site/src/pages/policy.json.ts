import { policyJson } from '@parley/policy';
import type { APIRoute } from 'astro';
import { model } from '../policy.ts';

/** Every version of the policy model, for other privacy tools to read. */
export const GET: APIRoute = () =>
  new Response(policyJson(model), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
