import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates the SQL in migrations/ from the schema; siaga112 applies it at start-up. */
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/db/schema.ts', './src/db/location-schema.ts', './src/db/incident-schema.ts'],
  out: './migrations',
});
