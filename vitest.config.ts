import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { testEnv } from "./tests/setup/test-env";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        plugins: [tsconfigPaths()],
        // Pure code, the app's and the extensions': no database, no Redis, no network.
        test: { name: "unit", include: ["app/**/*.test.ts", "extensions/**/*.test.ts"] },
      },
      {
        plugins: [tsconfigPaths()],
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          globalSetup: ["tests/setup/global.ts"],
          env: { ...testEnv },
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // Suites share one app server, one database and one Redis; run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
