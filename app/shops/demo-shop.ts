// The demo store's shop: `npm run demo` imports into it, the /demo pages show it, the benchmarks
// generate it. No I/O, so scripts can import it without the app's server modules.
export const DEMO_SHOP_DOMAIN = "tenure-demo.myshopify.com";
