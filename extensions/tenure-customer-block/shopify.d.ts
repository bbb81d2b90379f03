// The `shopify` global of this extension's target, declared the way Shopify CLI generates it.
import '@shopify/ui-extensions';

//@ts-expect-error a module declaration naming a file by its path, as Shopify CLI generates it
declare module './src/BlockExtension.tsx' {
  const shopify: import('@shopify/ui-extensions/admin.customer-details.block.render').Api;
  const globalThis: { shopify: typeof shopify };
}
