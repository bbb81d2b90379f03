// The shop's latest model fit, as the customer pages need it: whether predictions exist, and if not why.
import { prisma } from "~/db.server";
import { type ModelStatus, modelStatus } from "./explanation";

export async function readModelStatus(shop: string): Promise<ModelStatus> {
  const fit = await prisma.modelFit.findFirst({
    where: { shopDomain: shop },
    orderBy: { fittedAt: "desc" },
    select: { fittedAt: true, insufficient: true, converged: true, customers: true, repeatCustomers: true, horizonMonths: true },
  });
  return modelStatus(fit && { ...fit, fittedAt: fit.fittedAt.toISOString() });
}
