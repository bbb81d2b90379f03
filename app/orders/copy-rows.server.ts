// COPY … FROM STDIN in PostgreSQL's text format, for the import's bulk writes: rows built in memory,
// streamed in bounded chunks.
import { from as copyFrom } from "pg-copy-streams";
import type { Db } from "~/pg.server";

export type Cell = string | number | boolean | bigint | null | undefined;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const NEEDS_ESCAPE = /[\\\n\r\t]/;
function cell(value: Cell): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value !== "string") return String(value); // numbers, bigints, booleans: nothing to escape
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : value;
}
/** COPY rows into a table of this connection; rows are arrays of cells in the table's column order. */
export async function copyRows(tx: Db, table: string, rows: readonly Cell[][]): Promise<void> {
  if (rows.length === 0) return;
  const stream = tx.query(copyFrom(`COPY ${table} FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  // A few hundred KB per write: bounded chunks, not one string of the whole batch.
  let chunk = "";
  for (const row of rows) {
    let line = cell(row[0]);
    for (let index = 1; index < row.length; index++) line += "\t" + cell(row[index]);
    chunk += line + "\n";
    if (chunk.length > 256 * 1024) {
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
      chunk = "";
    }
  }
  stream.end(chunk);
  await done;
}

