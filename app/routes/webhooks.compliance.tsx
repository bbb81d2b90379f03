import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive.server";

// Verify the signature, queue the delivery, answer. The worker does the rest (app/jobs/process-webhook.server.ts).
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
