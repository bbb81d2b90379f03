// Serves the built app for the demo store. `remix-serve` cannot: it forces NODE_ENV=production when
// unset (and the demo pages refuse production), and in development it waits for Remix's old dev
// server. This is remix-serve's production path with the demo's environment.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

if (process.env.NODE_ENV === "production") {
  console.error("The demo store does not run with NODE_ENV=production: its pages need no login.");
  process.exit(1);
}
process.env.TENURE_DEMO = "1";

const buildPath = path.resolve("build/server/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
const port = Number(process.env.PORT || 3000);

const app = express();
app.disable("x-powered-by");
app.use(build.publicPath, express.static(path.resolve("build/client", build.publicPath.replace(/^\//, "")), { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "development" }));

const server = app.listen(port, () => console.log(`[demo] serving http://localhost:${port}/demo`));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => server.close(() => process.exit(0)));
