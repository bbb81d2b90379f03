// Carries out one admin-writes job against Shopify: each job becomes a list of mutations, sent one
// after the other through the shop's AdminClient (which waits for the shared cost bucket and retries
// throttling and server errors). What Tenure last wrote (CustomerSync) is updated only after Shopify
// confirmed the write, and writes already confirmed are skipped, so a retried job converges.
//
// Outcomes per mutation: confirmed; refused for good (userErrors, or an error that retrying cannot
// fix) → one AdminWriteFailure row with its variables, and the job goes on; retryable failure →
// AdminWritesInterrupted, which the processor lets BullMQ retry (and records once attempts run out).
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import {
  FLOW_TRIGGER_RECEIVE,
  type FlowTriggerReceiveData,
  HIGH_VALUE_FLOW_TRIGGER_HANDLE,
  METAFIELDS_SET,
  METAFIELD_DEFINITION_DELETE,
  type MetafieldDefinitionDeleteData,
  type MetafieldsSetData,
  TAGS_ADD,
  TAGS_REMOVE,
  type TagsAddData,
  type TagsRemoveData,
  type UserError,
  gid,
} from "./admin-operations";
import { type AdminClient, AdminApiError } from "./admin-client.server";
import { APP_METAFIELD_NAMESPACE, CUSTOMER_METAFIELD_KEYS, type CustomerMetafieldKey, metafieldsSetInputs } from "./customer-metafields";
import { ensureMetafieldDefinitions, rememberMetafieldNamespace } from "./metafield-definitions.server";
import { METAFIELD_CALL_CUSTOMERS, type TAdminWriteJob, chunk } from "~/jobs/admin-writes.server";

export type PlannedWrite = {
  operation: "tagsAdd" | "tagsRemove" | "metafieldsSet" | "flowTriggerReceive" | "metafieldDefinitionDelete";
  variables: Record<string, unknown>;
  /** After Shopify confirmed it. */
  confirm?: (data: unknown) => Promise<void>;
};

const DOCUMENTS: Record<PlannedWrite["operation"], string> = {
  tagsAdd: TAGS_ADD,
  tagsRemove: TAGS_REMOVE,
  metafieldsSet: METAFIELDS_SET,
  flowTriggerReceive: FLOW_TRIGGER_RECEIVE,
  metafieldDefinitionDelete: METAFIELD_DEFINITION_DELETE,
};

function userErrorsOf(operation: PlannedWrite["operation"], data: unknown): UserError[] {
  switch (operation) {
    case "tagsAdd":
      return (data as TagsAddData).tagsAdd.userErrors;
    case "tagsRemove":
      return (data as TagsRemoveData).tagsRemove.userErrors;
    case "metafieldsSet":
      return (data as MetafieldsSetData).metafieldsSet.userErrors;
    case "flowTriggerReceive":
      return (data as FlowTriggerReceiveData).flowTriggerReceive.userErrors;
    case "metafieldDefinitionDelete":
      // Already gone (an earlier attempt, or the merchant's own cleanup) is what was asked for.
      return (data as MetafieldDefinitionDeleteData).metafieldDefinitionDelete.userErrors.filter((error) => error.code !== "NOT_FOUND");
  }
}

/** Writes not done because Shopify could not be reached in time; the job is retried. */
export class AdminWritesInterrupted extends Error {
  override name = "AdminWritesInterrupted";
  constructor(
    readonly pending: PlannedWrite[],
    problem: Error,
  ) {
    super(`${pending.length} writes pending: ${problem.message}`);
  }
}

export async function recordAdminWriteFailures(shop: string, failures: Array<{ operation: string; variables: Record<string, unknown>; error: string }>): Promise<void> {
  if (failures.length === 0) return;
  await prisma.adminWriteFailure.createMany({
    data: failures.map((failure) => ({ shopDomain: shop, operation: failure.operation, variables: failure.variables as Prisma.InputJsonValue, error: failure.error })),
  });
}

/** Sends the writes in order; returns how many Shopify confirmed and how many it refused. */
export async function sendWrites(shop: string, client: AdminClient, writes: PlannedWrite[]): Promise<{ confirmed: number; refused: number }> {
  let confirmed = 0;
  let refused = 0;
  for (const [index, write] of writes.entries()) {
    let data: unknown;
    try {
      data = await client.request(DOCUMENTS[write.operation], write.variables);
    } catch (error) {
      if (error instanceof AdminApiError && !error.retryable) {
        await recordAdminWriteFailures(shop, [{ operation: write.operation, variables: write.variables, error: error.message }]);
        refused += 1;
        continue;
      }
      throw new AdminWritesInterrupted(writes.slice(index), error as Error);
    }
    const userErrors = userErrorsOf(write.operation, data);
    if (userErrors.length > 0) {
      const detail = userErrors.map((userError) => `${userError.field?.join(".") ?? "(input)"}: ${userError.message}`).join("; ");
      await recordAdminWriteFailures(shop, [{ operation: write.operation, variables: write.variables, error: detail }]);
      refused += 1;
      continue;
    }
    await write.confirm?.(data);
    confirmed += 1;
  }
  return { confirmed, refused };
}

async function syncRows(shop: string, customerIds: string[]) {
  const rows = await prisma.customerSync.findMany({
    where: { shopDomain: shop, customerId: { in: customerIds.map((id) => BigInt(id)) } },
    select: { customerId: true, highValueTag: true, metafieldsDigest: true },
  });
  return new Map(rows.map((row) => [row.customerId.toString(), row]));
}

async function confirmHighValueTag(shop: string, customerId: string, tag: string | null): Promise<void> {
  await prisma.customerSync.updateMany({ where: { shopDomain: shop, customerId: BigInt(customerId) }, data: { highValueTag: tag } });
}

/** The mutations a job stands for, leaving out what CustomerSync says Shopify already has. */
export async function planAdminWrite(job: TAdminWriteJob, client: AdminClient): Promise<PlannedWrite[]> {
  const { shop } = job;
  switch (job.kind) {
    case "high_value_tags": {
      const synced = await syncRows(shop, job.changes.map((change) => change.customerId));
      const writes: PlannedWrite[] = [];
      for (const change of job.changes) {
        const current = synced.get(change.customerId);
        if (!current || current.highValueTag === change.add) continue;
        const id = gid("Customer", change.customerId);
        // Remove the tag Shopify has from Tenure (CustomerSync), which may differ from the job's if a
        // later sync already moved it.
        const remove = current.highValueTag ?? change.remove;
        if (remove && remove !== change.add) {
          writes.push({ operation: "tagsRemove", variables: { id, tags: [remove] }, confirm: change.add ? undefined : () => confirmHighValueTag(shop, change.customerId, null) });
        }
        if (change.add) {
          const add = change.add;
          writes.push({ operation: "tagsAdd", variables: { id, tags: [add] }, confirm: () => confirmHighValueTag(shop, change.customerId, add) });
        }
      }
      return writes;
    }
    case "tag_customers":
      return job.customerIds.map((customerId) => ({ operation: "tagsAdd", variables: { id: gid("Customer", customerId), tags: [job.tag] } }));
    case "metafields": {
      const synced = await syncRows(shop, job.customers.map((customer) => customer.customerId));
      const due = job.customers.filter((customer) => synced.get(customer.customerId)?.metafieldsDigest !== customer.digest);
      if (due.length === 0) return [];
      await ensureMetafieldDefinitions(shop, client);
      return chunk(due, METAFIELD_CALL_CUSTOMERS).map((customers) => ({
        operation: "metafieldsSet",
        variables: {
          metafields: customers.flatMap((customer) =>
            metafieldsSetInputs(gid("Customer", customer.customerId), customer.values as Partial<Record<CustomerMetafieldKey, string>>),
          ),
        },
        confirm: async (data) => {
          const namespace = (data as MetafieldsSetData).metafieldsSet.metafields?.[0]?.namespace;
          if (namespace) await rememberMetafieldNamespace(shop, namespace);
          await prisma.$transaction(
            customers.map((customer) =>
              prisma.customerSync.updateMany({ where: { shopDomain: shop, customerId: BigInt(customer.customerId) }, data: { metafieldsDigest: customer.digest } }),
            ),
          );
        },
      }));
    }
    case "remove_metafields":
      return CUSTOMER_METAFIELD_KEYS.map((key, index) => ({
        operation: "metafieldDefinitionDelete",
        variables: { identifier: { ownerType: "CUSTOMER", namespace: APP_METAFIELD_NAMESPACE, key } },
        // Once the last definition is gone, nothing of Tenure's is left on the customers: the next
        // time metafields are turned on, every customer is written afresh.
        confirm:
          index === CUSTOMER_METAFIELD_KEYS.length - 1
            ? async () => {
                await prisma.$transaction([
                  prisma.shop.updateMany({ where: { domain: shop }, data: { metafieldNamespace: null } }),
                  prisma.customerSync.updateMany({ where: { shopDomain: shop, metafieldsDigest: { not: null } }, data: { metafieldsDigest: null } }),
                ]);
              }
            : undefined,
      }));
    case "high_value_flow":
      return job.customers.map((customer) => ({
        operation: "flowTriggerReceive",
        variables: {
          handle: HIGH_VALUE_FLOW_TRIGGER_HANDLE,
          // The shape the Flow trigger extension declares (extensions/customer-became-high-value).
          // Shopify customer ids are far below 2^53, so the id is exact as a JSON number.
          payload: {
            customer_id: Number(customer.customerId),
            "Historical LTV": Number(customer.historicalLtv),
            // 0 while the shop has too little data for predictions.
            "Predicted CLV": Number(customer.predictedClv ?? 0),
            "Value tier": customer.valueTier,
          },
        },
      }));
  }
}
