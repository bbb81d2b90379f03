// Prisma CLI configuration. Prisma's native engines come from its own binary host, which this
// project cannot reach (offline machines, CI), so the CLI runs its JavaScript/WebAssembly engine
// with the node-postgres driver adapter. See docs/decisions/0002-prisma-without-native-engines.md.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// `prisma generate` reads the datasource URL but never connects; give it one when none is set.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/tenure";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
