// The environment integration tests run in: their own database, their own queue prefix.
export const TEST_DATABASE = process.env.TENURE_TEST_DATABASE ?? "tenure_test";
export const ADMIN_DATABASE_URL = process.env.TENURE_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export const testEnv = {
  NODE_ENV: "test",
  DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${TEST_DATABASE}`,
  REDIS_URL: process.env.TENURE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  SHOPIFY_API_KEY: "tenure-test-client-id",
  SHOPIFY_API_SECRET: "tenure-test-client-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:3999",
  SCOPES: "read_orders,read_all_orders,read_customers,write_customers,read_products",
  QUEUE_PREFIX: "tenure-test",
} as const;
