import { cookieTableCsv } from '@parley/policy';
import type { APIRoute } from 'astro';
import { sitePolicy } from '../policy.ts';

/** The cookie declarations as CSV, for customers' cookie notices and spreadsheets (CK-6); German at `/de/cookies.csv`. */
export const GET: APIRoute = ({ locals }) => {
  const { content, language } = sitePolicy(locals);
  return new Response(cookieTableCsv(content, language), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8' },
  });
};
