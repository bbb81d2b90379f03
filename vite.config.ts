import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// Shopify CLI passes the tunnel URL as SHOPIFY_APP_URL; HMR must go through it when embedded.
const appUrl = new URL(process.env.SHOPIFY_APP_URL || "http://localhost");
const hmrConfig =
  appUrl.hostname === "localhost"
    ? { protocol: "ws", host: "localhost", port: Number(process.env.HMR_PORT) || 64999, clientPort: Number(process.env.HMR_PORT) || 64999 }
    : { protocol: "wss", host: appUrl.hostname, port: Number(process.env.FRONTEND_PORT) || 8002, clientPort: 443 };

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    allowedHosts: [appUrl.hostname],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    hmr: hmrConfig,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  // Polaris ships CSS imports that Node cannot load during SSR.
  ssr: { noExternal: ["@shopify/polaris"] },
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
}) satisfies UserConfig;
