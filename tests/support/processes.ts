// Real processes for integration tests: the built web app (`npm start`) and the worker (`npm run worker`).
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { testEnv } from "../setup/test-env";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export type Running = { process: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<number | null> };

function run(command: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // remix-serve waits for idle keep-alive sockets; do not let a test wait on them.
      const force = setTimeout(() => child.kill("SIGKILL"), 5000);
      const code = await exited;
      clearTimeout(force);
      return code;
    },
  };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type AppUnderTest = {
  url: string;
  queuePrefix: string;
  env: Record<string, string>;
  web: Running;
  stop: () => Promise<void>;
};

/** Starts the built app (remix-serve) on a free port with its own queue prefix. */
export async function startApp(overrides: Record<string, string> = {}): Promise<AppUnderTest> {
  const port = await freePort();
  const queuePrefix = overrides.QUEUE_PREFIX ?? `tenure-test-${randomUUID().slice(0, 8)}`;
  const env = { ...testEnv, PORT: String(port), SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, QUEUE_PREFIX: queuePrefix, ...overrides };
  // Production unless a test says otherwise (the demo store's pages refuse production).
  const web = run(process.execPath, ["node_modules/@remix-run/serve/dist/cli.js", "build/server/index.js"], { ...env, NODE_ENV: overrides.NODE_ENV ?? "production" });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (web.process.exitCode !== null) throw new Error(`web process exited:\n${web.output()}`);
    try {
      await fetch(`${url}/`);
      return true;
    } catch {
      return false;
    }
  }, "the web process");
  return { url, queuePrefix, env, web, stop: async () => void (await web.stop()) };
}

/** Starts a worker process (`npm run worker`) against the given app's queue. */
export async function startWorker(app: AppUnderTest, overrides: Record<string, string> = {}): Promise<Running> {
  const worker = run(process.execPath, ["--import", "tsx", "app/jobs/worker.server.ts"], { ...app.env, ...overrides });
  await waitFor(() => {
    if (worker.process.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
    return worker.output().includes('"worker.started"');
  }, "the worker");
  return worker;
}

export { waitFor };
