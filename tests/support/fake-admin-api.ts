// A local stand-in for Shopify's Admin GraphQL API (Shopify cannot be reached from tests). It answers
// the operations in app/shopify/admin-operations.ts with Shopify's response shapes, keeps each shop's
// customer tags, metafields, definitions, segments and Flow trigger runs, serves bulk-operation JSONL,
// and enforces a calculated-cost bucket per shop: a call the bucket cannot pay for is answered
// THROTTLED, as Shopify does, and never run.
//
// The app reaches it through SHOPIFY_ADMIN_API_ORIGIN=<url>/shops/{shop}.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeCustomer = { tags: Set<string>; metafields: Map<string, { type: string; value: string }> };
export type FakeDefinition = { id: string; namespace: string; key: string; type: string; name: string };
export type FakeBulkOperation = {
  id: string;
  shop: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  lines: string[];
  createdAt: Date;
  completedAt: Date | null;
};
export type FakeCall = {
  shop: string;
  operation: string;
  variables: Record<string, unknown>;
  at: number;
  throttled: boolean;
  /** Points in the bucket when the call arrived (after refill). */
  availableBefore: number;
  cost: number;
};

type Bucket = { maximumAvailable: number; restoreRate: number; available: number; at: number };

export type FakeAdminApiOptions = {
  /** Bucket size and restore rate per second (Shopify standard: 1000 / 100 per the platform notes). */
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** The resolved form of `$app:` namespaces. */
  appNamespacePrefix?: string;
  /** How long a bulk operation stays RUNNING. */
  bulkOperationDelayMs?: number;
  /** Shopify's bulk_operations/finish webhook; the test decides how (signed, through the app). */
  onBulkOperationFinish?: (operation: FakeBulkOperation) => Promise<void>;
  /** Paces the result file's download (lines per second), so a test can stop a worker mid-import. */
  bulkFileLinesPerSecond?: number;
  /** Called for each call before it is answered: fault injection (return a status to fail it). */
  intercept?: (call: { shop: string; operation: string; variables: Record<string, unknown> }) => number | undefined;
};

/** Points each operation costs, as Shopify's calculator would charge for these selections. */
const OPERATION_COST: Record<string, number> = {
  TenureShop: 1,
  TenureOrdersCount: 1,
  TenureBulkOperationRunQuery: 10,
  TenureBulkOperation: 1,
  TenureTagsAdd: 10,
  TenureTagsRemove: 10,
  TenureMetafieldsSet: 10,
  TenureMetafieldDefinitionCreate: 10,
  TenureMetafieldDefinitionDelete: 10,
  TenureSegmentCreate: 10,
  TenureFlowTriggerReceive: 1,
};

const json = (response: http.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
};

export type OrderSource = (shop: string, search: string | null) => string[];

export class FakeAdminApi {
  readonly calls: FakeCall[] = [];
  readonly customers = new Map<string, Map<string, FakeCustomer>>();
  readonly definitions = new Map<string, FakeDefinition[]>();
  readonly segments = new Map<string, { id: string; name: string; query: string }[]>();
  readonly flowRuns = new Map<string, { handle: string; payload: Record<string, unknown> }[]>();
  readonly bulkOperations = new Map<string, FakeBulkOperation>();
  /** The JSONL lines a bulk query over orders returns for a shop; tests set it. */
  orderLines: OrderSource = () => [];
  shopCurrency = "EUR";
  private readonly buckets = new Map<string, Bucket>();
  private server!: http.Server;
  url = "";

  constructor(private readonly options: FakeAdminApiOptions = {}) {}

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => json(response, 500, { errors: [{ message: String(error) }] }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The value for SHOPIFY_ADMIN_API_ORIGIN. */
  get origin(): string {
    return `${this.url}/shops/{shop}`;
  }

  customer(shop: string, customerGid: string): FakeCustomer {
    const shopCustomers = this.customers.get(shop) ?? new Map<string, FakeCustomer>();
    this.customers.set(shop, shopCustomers);
    let customer = shopCustomers.get(customerGid);
    if (!customer) {
      customer = { tags: new Set(), metafields: new Map() };
      shopCustomers.set(customerGid, customer);
    }
    return customer;
  }

  /** Customers of the shop carrying a tag, as GIDs, sorted. */
  taggedWith(shop: string, tag: string): string[] {
    return [...(this.customers.get(shop) ?? new Map<string, FakeCustomer>()).entries()]
      .filter(([, customer]) => customer.tags.has(tag))
      .map(([id]) => id)
      .sort();
  }

  /** Another app (or the merchant's own scripts) spending the shop's points. */
  drain(shop: string, points: number): void {
    const bucket = this.bucket(shop);
    bucket.available = Math.max(0, bucket.available - points);
  }

  throttledCalls(shop?: string): number {
    return this.calls.filter((call) => call.throttled && (!shop || call.shop === shop)).length;
  }

  private bucket(shop: string): Bucket {
    const now = Date.now();
    let bucket = this.buckets.get(shop);
    if (!bucket) {
      const { maximumAvailable, restoreRate } = this.options.bucket ?? { maximumAvailable: 1000, restoreRate: 100 };
      bucket = { maximumAvailable, restoreRate, available: maximumAvailable, at: now };
      this.buckets.set(shop, bucket);
    }
    bucket.available = Math.min(bucket.maximumAvailable, bucket.available + ((now - bucket.at) * bucket.restoreRate) / 1000);
    bucket.at = now;
    return bucket;
  }

  private throttleStatus(bucket: Bucket) {
    return { maximumAvailable: bucket.maximumAvailable, currentlyAvailable: Math.floor(bucket.available), restoreRate: bucket.restoreRate };
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const bulkFile = /^\/bulk\/([^/]+)\.jsonl$/.exec(url.pathname);
    if (request.method === "GET" && bulkFile) return this.serveBulkFile(decodeURIComponent(bulkFile[1]!), response);


    const match = /^\/shops\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    if (request.method !== "POST" || !match) return json(response, 404, { errors: "Not Found" });
    if (!request.headers["x-shopify-access-token"]) return json(response, 401, { errors: "[API] Invalid API key or access token" });
    const shop = decodeURIComponent(match[1]!);
    let body = "";
    for await (const chunk of request) body += chunk;
    const { query, variables = {} } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
    const cost = OPERATION_COST[operation];
    if (cost === undefined) return json(response, 200, { errors: [{ message: `Unknown operation ${operation}`, extensions: { code: "undefinedField" } }] });

    const injected = this.options.intercept?.({ shop, operation, variables });
    if (injected) return json(response, injected, { errors: [{ message: "injected failure" }] });

    const bucket = this.bucket(shop);
    const availableBefore = bucket.available;
    if (bucket.available < cost) {
      this.calls.push({ shop, operation, variables, at: Date.now(), throttled: true, availableBefore, cost });
      return json(response, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: this.throttleStatus(bucket) } },
      });
    }
    bucket.available -= cost;
    this.calls.push({ shop, operation, variables, at: Date.now(), throttled: false, availableBefore, cost });
    const data = await this.execute(shop, operation, variables);
    return json(response, 200, {
      data,
      extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: this.throttleStatus(bucket) } },
    });
  }

  private resolveNamespace(namespace: string): string {
    return namespace.startsWith("$app:") ? `${this.options.appNamespacePrefix ?? "app--4242"}--${namespace.slice(5)}` : namespace;
  }

  private async execute(shop: string, operation: string, variables: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case "TenureShop":
        return { shop: { name: shop.replace(".myshopify.com", ""), currencyCode: this.shopCurrency, ianaTimezone: "Europe/Rome" } };
      case "TenureOrdersCount": {
        const search = (variables.query as string | null | undefined) ?? null;
        const count = this.orderLines(shop, search).filter((line) => !line.includes('"__parentId"')).length;
        return { ordersCount: { count, precision: "EXACT" } };
      }
      case "TenureBulkOperationRunQuery":
        return this.startBulkOperation(shop, String(variables.query));
      case "TenureBulkOperation": {
        const operation = this.bulkOperations.get(String(variables.id));
        if (!operation || operation.shop !== shop) return { node: null };
        return {
          node: {
            id: operation.id,
            status: operation.status,
            errorCode: null,
            objectCount: String(operation.status === "COMPLETED" ? operation.lines.length : 0),
            rootObjectCount: String(operation.status === "COMPLETED" ? operation.lines.filter((line) => !line.includes('"__parentId"')).length : 0),
            url: operation.status === "COMPLETED" && operation.lines.length > 0 ? `${this.url}/bulk/${encodeURIComponent(operation.id)}.jsonl` : null,
            partialDataUrl: null,
            completedAt: operation.completedAt?.toISOString() ?? null,
          },
        };
      }
      case "TenureTagsAdd":
      case "TenureTagsRemove": {
        const field = operation === "TenureTagsAdd" ? "tagsAdd" : "tagsRemove";
        const id = String(variables.id);
        const tags = (variables.tags as string[]) ?? [];
        if (!/^gid:\/\/shopify\/Customer\/\d+$/.test(id)) return { [field]: { node: null, userErrors: [{ field: ["id"], message: "Invalid id" }] } };
        if (tags.length > 250) return { [field]: { node: null, userErrors: [{ field: ["tags"], message: "Too many tags (maximum 250)" }] } };
        const customer = this.customer(shop, id);
        for (const tag of tags) {
          if (operation === "TenureTagsAdd") customer.tags.add(tag);
          else customer.tags.delete(tag);
        }
        return { [field]: { node: { id }, userErrors: [] } };
      }
      case "TenureMetafieldsSet": {
        const metafields = variables.metafields as { ownerId: string; namespace: string; key: string; type: string; value: string }[];
        if (metafields.length > 25) {
          return { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO" }] } };
        }
        const definitions = this.definitions.get(shop) ?? [];
        for (const [index, metafield] of metafields.entries()) {
          const namespace = this.resolveNamespace(metafield.namespace);
          const definition = definitions.find((candidate) => candidate.namespace === namespace && candidate.key === metafield.key);
          if (definition && definition.type !== metafield.type) {
            return { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields", String(index), "type"], message: `Type must be ${definition.type}`, code: "INVALID_TYPE" }] } };
          }
          if (metafield.type === "number_decimal" && !/^-?\d+(\.\d+)?$/.test(metafield.value)) {
            return { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields", String(index), "value"], message: "Value must be a decimal", code: "INVALID_VALUE" }] } };
          }
        }
        // Atomic: all or nothing, as Shopify documents.
        for (const metafield of metafields) {
          this.customer(shop, metafield.ownerId).metafields.set(`${this.resolveNamespace(metafield.namespace)}.${metafield.key}`, { type: metafield.type, value: metafield.value });
        }
        return {
          metafieldsSet: {
            metafields: metafields.map((metafield) => ({ ownerId: metafield.ownerId, namespace: this.resolveNamespace(metafield.namespace), key: metafield.key })),
            userErrors: [],
          },
        };
      }
      case "TenureMetafieldDefinitionCreate": {
        const definition = variables.definition as { namespace: string; key: string; type: string; name: string; ownerType: string };
        const namespace = this.resolveNamespace(definition.namespace);
        const definitions = this.definitions.get(shop) ?? [];
        this.definitions.set(shop, definitions);
        if (definitions.some((candidate) => candidate.namespace === namespace && candidate.key === definition.key)) {
          return { metafieldDefinitionCreate: { createdDefinition: null, userErrors: [{ field: ["definition", "key"], message: "Key is in use for Customer metafields on the 'tenure' namespace.", code: "TAKEN" }] } };
        }
        const created = { id: `gid://shopify/MetafieldDefinition/${definitions.length + 1}`, namespace, key: definition.key, type: definition.type, name: definition.name };
        definitions.push(created);
        return { metafieldDefinitionCreate: { createdDefinition: { id: created.id, namespace, key: created.key }, userErrors: [] } };
      }
      case "TenureMetafieldDefinitionDelete": {
        const identifier = variables.identifier as { ownerType: string; namespace: string; key: string };
        const namespace = this.resolveNamespace(identifier.namespace);
        const definitions = this.definitions.get(shop) ?? [];
        const index = definitions.findIndex((candidate) => candidate.namespace === namespace && candidate.key === identifier.key);
        if (index < 0) {
          return { metafieldDefinitionDelete: { deletedDefinition: null, userErrors: [{ field: ["identifier"], message: "Definition not found.", code: "NOT_FOUND" }] } };
        }
        definitions.splice(index, 1);
        // deleteAllAssociatedMetafields: every customer's value under the definition goes too.
        for (const customer of (this.customers.get(shop) ?? new Map<string, FakeCustomer>()).values()) customer.metafields.delete(`${namespace}.${identifier.key}`);
        return { metafieldDefinitionDelete: { deletedDefinition: { namespace, key: identifier.key }, userErrors: [] } };
      }
      case "TenureSegmentCreate": {
        const name = String(variables.name);
        const query = String(variables.query);
        const problem = this.segmentQueryProblem(shop, query);
        const segments = this.segments.get(shop) ?? [];
        this.segments.set(shop, segments);
        if (problem) return { segmentCreate: { segment: null, userErrors: [{ field: ["query"], message: problem }] } };
        if (segments.some((segment) => segment.name === name)) return { segmentCreate: { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] } };
        const segment = { id: `gid://shopify/Segment/${segments.length + 1}`, name, query };
        segments.push(segment);
        return { segmentCreate: { segment, userErrors: [] } };
      }
      case "TenureFlowTriggerReceive": {
        const handle = String(variables.handle);
        const payload = variables.payload as Record<string, unknown>;
        if (JSON.stringify(payload).length > 50_000) return { flowTriggerReceive: { userErrors: [{ field: ["payload"], message: "Payload exceeds 50KB" }] } };
        const runs = this.flowRuns.get(shop) ?? [];
        this.flowRuns.set(shop, runs);
        runs.push({ handle, payload });
        return { flowTriggerReceive: { userErrors: [] } };
      }
      default:
        throw new Error(`unhandled ${operation}`);
    }
  }

  /** ShopifyQL as Tenure writes it: `customer_tags CONTAINS '…'` or a filter on a defined metafield. */
  private segmentQueryProblem(shop: string, query: string): string | null {
    if (/^customer_tags CONTAINS '[^']+'$/.test(query)) return null;
    const metafield = /^metafields\.([\w-]+)\.(\w+) (=|>=|<=|>|<) ('[^']*'|-?\d+(\.\d+)?)$/.exec(query);
    if (!metafield) return `Invalid segment query: ${query}`;
    const defined = (this.definitions.get(shop) ?? []).some((definition) => definition.namespace === metafield[1] && definition.key === metafield[2]);
    return defined ? null : `Metafield ${metafield[1]}.${metafield[2]} has no definition`;
  }

  private startBulkOperation(shop: string, query: string) {
    const running = [...this.bulkOperations.values()].filter((operation) => operation.shop === shop && (operation.status === "CREATED" || operation.status === "RUNNING"));
    if (running.length >= 5) {
      return { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: null, message: "A bulk query operation for this app and shop is already in progress", code: "OPERATION_IN_PROGRESS" }] } };
    }
    const search = /orders\(query:\s*("(?:[^"\\]|\\.)*")\)/.exec(query);
    const operation: FakeBulkOperation = {
      id: `gid://shopify/BulkOperation/${randomUUID().replace(/-/g, "").slice(0, 12).replace(/[a-f]/g, "7")}`,
      shop,
      query,
      status: "CREATED",
      lines: [],
      createdAt: new Date(),
      completedAt: null,
    };
    this.bulkOperations.set(operation.id, operation);
    setTimeout(() => {
      operation.status = "RUNNING";
      setTimeout(() => {
        operation.lines = this.orderLines(shop, search ? (JSON.parse(search[1]!) as string) : null);
        operation.status = "COMPLETED";
        operation.completedAt = new Date();
        void this.options.onBulkOperationFinish?.(operation);
      }, this.options.bulkOperationDelayMs ?? 50);
    }, 10);
    return { bulkOperationRunQuery: { bulkOperation: { id: operation.id, status: "CREATED" }, userErrors: [] } };
  }

  private async serveBulkFile(id: string, response: http.ServerResponse): Promise<void> {
    const operation = this.bulkOperations.get(id);
    if (!operation || operation.status !== "COMPLETED") return json(response, 404, { errors: "Not Found" });
    response.writeHead(200, { "Content-Type": "application/jsonl" });
    const pace = this.options.bulkFileLinesPerSecond;
    const linesPerChunk = pace ? Math.max(1, Math.round(pace / 20)) : operation.lines.length;
    for (let start = 0; start < operation.lines.length; start += linesPerChunk) {
      const text = operation.lines.slice(start, start + linesPerChunk).map((line) => `${line}\n`).join("");
      // Written in pieces that cut lines in half, as any HTTP body may arrive.
      for (let offset = 0; offset < text.length; offset += 997) response.write(text.slice(offset, offset + 997));
      if (pace) await new Promise((resolve) => setTimeout(resolve, 50));
      if (response.destroyed) return;
    }
    response.end();
  }
}

export async function startFakeAdminApi(options: FakeAdminApiOptions = {}): Promise<FakeAdminApi> {
  return new FakeAdminApi(options).start();
}

/** Keeps the orders search Tenure sends (`updated_at:>='…'`) honest in the fake's order source. */
export function updatedSinceOf(search: string | null): Date | null {
  const match = search ? /updated_at:>='([^']+)'/.exec(search) : null;
  return match ? new Date(match[1]!) : null;
}
