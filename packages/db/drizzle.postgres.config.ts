import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL migrations; `drizzle.config.ts` generates SQLite's from `src/schema.ts`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/postgres/schema.ts',
  out: './drizzle-postgres',
});
