/** Why a merchant's write to Shopify (tag customers, create a segment) was not done; pages show it. */
export class MerchantWriteError extends Error {
  override name = "MerchantWriteError";
  constructor(
    readonly code: "not_connected" | "invalid_tag" | "refused" | "not_ready",
    message: string,
  ) {
    super(message);
  }
}
