// Every Admin GraphQL operation Tenure sends, in one place: the app, the worker and the tests' fake
// Admin API (tests/support/fake-admin-api.ts) all read these documents. Each is a named operation so
// logs, the fake and Shopify's own request logs can tell them apart.

export const ADMIN_API_VERSION = "2026-10";

/** Shopify's calculated-cost extension, present on every response (shopify.dev rate limits). */
export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
export type QueryCost = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };

export type UserError = { field?: string[] | null; message: string; code?: string | null };

export const SHOP_QUERY = `#graphql
  query TenureShop { shop { name currencyCode ianaTimezone } }`;
export type ShopQueryData = { shop: { name: string; currencyCode: string; ianaTimezone: string | null } };

/** How many orders a backfill will import (progress = imported / this). `limit: null` counts all. */
export const ORDERS_COUNT_QUERY = `#graphql
  query TenureOrdersCount($query: String) { ordersCount(query: $query, limit: null) { count precision } }`;
export type OrdersCountData = { ordersCount: { count: number; precision: "EXACT" | "AT_LEAST" } | null };

/**
 * The bulk query that reads a shop's orders: one connection (line items) nested under orders.
 * Refunds are a list field, so they come inline with their order; line items come as their own lines
 * with `__parentId` (shopify.dev bulk-operations queries). `$SEARCH` is replaced by an orders search
 * (e.g. `updated_at:>='2026-11-24T03:00:00Z'`) or removed for the whole history.
 */
export function ordersBulkQuery(search: string | null): string {
  const argument = search ? `(query: ${JSON.stringify(search)})` : "";
  return `{
  orders${argument} {
    edges {
      node {
        id
        name
        createdAt
        processedAt
        updatedAt
        cancelledAt
        test
        currencyCode
        presentmentCurrencyCode
        displayFinancialStatus
        sourceName
        discountCodes
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        subtotalPriceSet { shopMoney { amount } }
        totalDiscountsSet { shopMoney { amount } }
        totalTaxSet { shopMoney { amount } }
        totalShippingPriceSet { shopMoney { amount } }
        customer { id email firstName lastName updatedAt }
        refunds { id createdAt totalRefundedSet { shopMoney { amount } presentmentMoney { amount currencyCode } } }
        lineItems {
          edges {
            node {
              id
              sku
              title
              quantity
              product { id }
              variant { id }
              discountedTotalSet { shopMoney { amount } }
            }
          }
        }
      }
    }
  }
}`;
}

/** One order line of the bulk result (the parent object), as Shopify writes it. */
export type BulkOrderLine = {
  id: string;
  name: string | null;
  createdAt: string;
  processedAt: string | null;
  updatedAt: string;
  cancelledAt: string | null;
  test: boolean;
  currencyCode: string;
  presentmentCurrencyCode: string | null;
  displayFinancialStatus: string | null;
  sourceName: string | null;
  discountCodes: string[];
  totalPriceSet: { shopMoney: { amount: string; currencyCode: string }; presentmentMoney: { amount: string; currencyCode: string } };
  subtotalPriceSet: { shopMoney: { amount: string } } | null;
  totalDiscountsSet: { shopMoney: { amount: string } } | null;
  totalTaxSet: { shopMoney: { amount: string } } | null;
  totalShippingPriceSet: { shopMoney: { amount: string } } | null;
  customer: { id: string; email: string | null; firstName: string | null; lastName: string | null; updatedAt: string | null } | null;
  refunds: { id: string; createdAt: string | null; totalRefundedSet: { shopMoney: { amount: string }; presentmentMoney: { amount: string; currencyCode: string } } }[];
};

/** One line item line of the bulk result: a child of its order through `__parentId`. */
export type BulkLineItemLine = {
  id: string;
  sku: string | null;
  title: string;
  quantity: number;
  product: { id: string } | null;
  variant: { id: string } | null;
  discountedTotalSet: { shopMoney: { amount: string } };
  __parentId: string;
};

export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation TenureBulkOperationRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;
export type BulkOperationRunQueryData = {
  bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: UserError[] };
};

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

/** Polling fallback when the bulk_operations/finish webhook does not come. */
export const BULK_OPERATION_QUERY = `#graphql
  query TenureBulkOperation($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl completedAt }
    }
  }`;
export type BulkOperationNode = {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
  completedAt: string | null;
};
export type BulkOperationQueryData = { node: BulkOperationNode | null };

export const TAGS_ADD = `#graphql
  mutation TenureTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
  }`;
export const TAGS_REMOVE = `#graphql
  mutation TenureTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } }
  }`;
export type TagsAddData = { tagsAdd: { node: { id: string } | null; userErrors: UserError[] } };
export type TagsRemoveData = { tagsRemove: { node: { id: string } | null; userErrors: UserError[] } };

/** At most 25 metafields per call (shopify.dev metafieldsSet). */
export const METAFIELDS_SET_LIMIT = 25;
/** Input arrays are capped at 250 items. */
export const INPUT_ARRAY_LIMIT = 250;

export const METAFIELDS_SET = `#graphql
  mutation TenureMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { ownerId namespace key }
      userErrors { field message code }
    }
  }`;
export type MetafieldsSetInput = { ownerId: string; namespace: string; key: string; type: string; value: string };
export type MetafieldsSetData = {
  metafieldsSet: { metafields: { ownerId: string; namespace: string; key: string }[] | null; userErrors: UserError[] };
};

export const METAFIELD_DEFINITION_CREATE = `#graphql
  mutation TenureMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id namespace key }
      userErrors { field message code }
    }
  }`;
export type MetafieldDefinitionInput = {
  name: string;
  namespace: string;
  key: string;
  description: string;
  type: string;
  ownerType: "CUSTOMER";
  access?: { admin?: "MERCHANT_READ" | "MERCHANT_READ_WRITE" };
};
export type MetafieldDefinitionCreateData = {
  metafieldDefinitionCreate: { createdDefinition: { id: string; namespace: string; key: string } | null; userErrors: UserError[] };
};

/** Deleting an `$app` definition must delete its metafields too (shopify.dev metafieldDefinitionDelete). */
export const METAFIELD_DEFINITION_DELETE = `#graphql
  mutation TenureMetafieldDefinitionDelete($identifier: MetafieldDefinitionIdentifierInput!) {
    metafieldDefinitionDelete(identifier: $identifier, deleteAllAssociatedMetafields: true) {
      deletedDefinition { namespace key }
      userErrors { field message code }
    }
  }`;
export type MetafieldDefinitionDeleteData = {
  metafieldDefinitionDelete: { deletedDefinition: { namespace: string; key: string } | null; userErrors: UserError[] };
};

export const SEGMENT_CREATE = `#graphql
  mutation TenureSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }`;
export type SegmentCreateData = {
  segmentCreate: { segment: { id: string; name: string; query: string } | null; userErrors: UserError[] };
};

export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation TenureFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
  }`;
export type FlowTriggerReceiveData = { flowTriggerReceive: { userErrors: UserError[] } };

/** The Flow trigger extension's handle (extensions/customer-became-high-value): fixed once deployed. */
export const HIGH_VALUE_FLOW_TRIGGER_HANDLE = "customer-became-high-value";

/** Shopify GIDs ↔ the numeric ids Tenure stores. */
export function gid(type: "Customer" | "Order" | "LineItem" | "Refund" | "Product", id: bigint | string): string {
  return `gid://shopify/${type}/${id}`;
}

export function idFromGid(value: string): bigint {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match) throw new Error(`not a Shopify GID: ${value}`);
  return BigInt(match[1]!);
}
