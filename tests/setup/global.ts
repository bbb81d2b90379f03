// Once per `vitest run`: a fresh test database with every migration applied, and a built app.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import pg from "pg";
import { applyMigrations } from "../../prisma/migrate";
import { ADMIN_DATABASE_URL, TEST_DATABASE, testEnv } from "./test-env";

export default async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEST_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEST_DATABASE}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations(testEnv.DATABASE_URL, () => undefined);
  // `npm test` builds first; a bare `vitest run` builds here if no build exists yet.
  if (!existsSync("build/server/index.js")) execFileSync("npx", ["remix", "vite:build"], { stdio: "inherit" });
}
