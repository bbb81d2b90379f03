// `npm run --silent clv -- <command>`: Tenure on the command line.
//   export --shop <domain>   CSV of every customer's historical figures
import { parseArgs } from "node:util";
import { UnknownShopError, assertKnownShop, customerFigures } from "~/customers/figures.server";
import { CUSTOMER_CSV_COLUMNS, customerCsvRow } from "~/ltv/customer-csv";

const USAGE = `usage: npm run --silent clv -- export --shop <shop domain>`;

class UsageError extends Error {}

async function exportCustomers(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { shop: { type: "string" } }, strict: true });
  if (!values.shop) throw new UsageError("export needs --shop <shop domain>");
  await assertKnownShop(values.shop);
  const now = new Date();
  const out = process.stdout;
  const write = (line: string) => (out.write(`${line}\n`) ? undefined : new Promise((resolve) => out.once("drain", resolve)));
  await write(CUSTOMER_CSV_COLUMNS.join(","));
  for await (const customer of customerFigures(values.shop)) await write(customerCsvRow(customer, now));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "export") await exportCustomers(rest);
    else throw new UsageError(command ? `unknown command: ${command}` : "no command given");
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      return 64;
    }
    if (error instanceof UnknownShopError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    const { prisma } = await import("~/db.server");
    await prisma.$disconnect();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
