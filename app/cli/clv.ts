// `npm run --silent clv -- <command>`: Tenure on the command line.
//   export --shop <domain>            CSV of every customer's historical figures (from the database)
//   fit --transactions <csv> …        BG/NBD and Gamma-Gamma parameters as one JSON object
//   score --transactions <csv> …      CSV of every customer's predictions and segments
// Each command imports its own modules when it runs: fit and score read only their file, so they need
// neither the database nor the environment, and start fast.
import { parseArgs } from "node:util";
import { CommandError, EXIT_INPUT, EXIT_USAGE, InputError, UsageError } from "./cli-errors";

const USAGE = `usage: npm run --silent clv -- export --shop <shop domain>
       npm run --silent clv -- fit --transactions <csv> [--format transactions|shopify-orders-export] [--unit day|week] [--end YYYY-MM-DD] [--min-repeat-customers <n>]
       npm run --silent clv -- score --transactions <csv> [same options as fit] [--horizon <units>] [--gross-margin-pct <0-100>] [--monthly-discount-rate <rate>]`;

const write = (text: string) =>
  new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));

// A reader that stops early (`… | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

async function exportCustomers(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { shop: { type: "string" } }, strict: true });
  if (!values.shop) throw new UsageError("export needs --shop <shop domain>");
  const { UnknownShopError, assertKnownShop, customerFigures } = await import("~/customers/figures.server");
  const { CUSTOMER_CSV_COLUMNS, customerCsvRow } = await import("~/ltv/customer-csv");
  try {
    await assertKnownShop(values.shop);
    const now = new Date();
    const out = process.stdout;
    const writeLine = (line: string) => (out.write(`${line}\n`) ? undefined : new Promise((resolve) => out.once("drain", resolve)));
    await writeLine(CUSTOMER_CSV_COLUMNS.join(","));
    for await (const customer of customerFigures(values.shop)) await writeLine(customerCsvRow(customer, now));
  } catch (error) {
    if (error instanceof UnknownShopError) throw new CommandError(error.message, 2);
    throw error;
  } finally {
    const { prisma } = await import("~/db.server");
    await prisma.$disconnect();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "export") await exportCustomers(rest);
    else if (command === "fit") await (await import("./fit")).fitCommand(rest, write);
    else if (command === "score") await (await import("./score")).scoreCommand(rest, write, (note) => console.error(note));
    else throw new UsageError(command ? `unknown command: ${command}` : "no command given");
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof InputError) {
      console.error(error.message);
      return EXIT_INPUT;
    }
    if (error instanceof CommandError) {
      console.error(error.message);
      return error.exitCode;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
