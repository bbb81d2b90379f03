// The one Prisma client. Prisma runs its TypeScript query compiler over node-postgres (no native
// engine; docs/decisions/0002).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./env.server";

declare global {
  // Reused across Vite dev-server reloads so connections are not leaked.
  var tenurePrisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 20 }),
  });
}

export const prisma: PrismaClient = globalThis.tenurePrisma ?? createClient();
if (env().NODE_ENV !== "production") globalThis.tenurePrisma = prisma;

export default prisma;
