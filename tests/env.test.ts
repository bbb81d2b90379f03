// A missing or malformed setting stops web and worker at start-up with a message naming it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { testEnv } from "./setup/test-env";

const run = promisify(execFile);

async function startWith(entry: string[], env: Record<string, string | undefined>) {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...testEnv, PORT: "3998", ...env })) if (value !== undefined) merged[key] = value;
  return run(process.execPath, entry, { env: merged as NodeJS.ProcessEnv, timeout: 20_000 }).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

describe.each([
  ["worker", ["--import", "tsx", "app/jobs/worker.server.ts"]],
  ["web", ["node_modules/@remix-run/serve/dist/cli.js", "build/server/index.js"]],
])("the %s process", (_name, entry) => {
  it("stops when SHOPIFY_API_SECRET is missing, naming it", async () => {
    const result = await startWith(entry, { SHOPIFY_API_SECRET: undefined });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("SHOPIFY_API_SECRET is missing");
  });

  it("stops when DATABASE_URL is malformed, naming it", async () => {
    const result = await startWith(entry, { DATABASE_URL: "mysql://nope" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("DATABASE_URL is malformed");
  });
});
