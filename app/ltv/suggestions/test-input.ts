// For the tests: a SuggestionInput from readable orders (customer and product ids instead of
// positions). Customers and products named only in orders get default rows.
import type { Playbook, PlaybookKind, SuggestionCustomer, SuggestionInput, SuggestionOptions, SuggestionProduct, SuggestionReport } from "./types";

export type TestLine = { product: string | null; amount?: number };
export type TestOrder = { customer: string; day: number; amount?: number; lines?: TestLine[] };

export const DEFAULT_AMOUNT = 1000;

export function testCustomer(id: string, fields: Partial<Omit<SuggestionCustomer, "id">> = {}): SuggestionCustomer {
  return {
    id,
    netRevenueMinor: 0,
    probabilityAlive: null,
    probabilityAlivePrevious: null,
    predictedClvMinor: null,
    rfmGroup: null,
    valueTier: null,
    churnRisk: null,
    ...fields,
  };
}

export function testInput(spec: {
  asOfDay: number;
  orders?: TestOrder[];
  customers?: SuggestionCustomer[];
  products?: Array<Pick<SuggestionProduct, "id"> & Partial<SuggestionProduct>>;
  options?: Partial<SuggestionOptions>;
}): SuggestionInput {
  const customers = [...(spec.customers ?? [])];
  const customerIndex = new Map(customers.map((customer, index) => [customer.id, index]));
  const products: SuggestionProduct[] = (spec.products ?? []).map((product) => ({ title: product.id, category: null, ...product }));
  const productIndex = new Map(products.map((product, index) => [product.id, index]));
  const orders = { customerIndex: [] as number[], day: [] as number[], netAmountMinor: [] as number[] };
  const lines = { orderIndex: [] as number[], productIndex: [] as number[], amountMinor: [] as number[] };
  for (const order of spec.orders ?? []) {
    let c = customerIndex.get(order.customer);
    if (c === undefined) {
      c = customers.length;
      customerIndex.set(order.customer, c);
      customers.push(testCustomer(order.customer));
    }
    const o = orders.day.length;
    let lineTotal = 0;
    for (const line of order.lines ?? []) {
      let p = -1;
      if (line.product !== null) {
        p = productIndex.get(line.product) ?? -1;
        if (p < 0) {
          p = products.length;
          productIndex.set(line.product, p);
          products.push({ id: line.product, title: line.product, category: null });
        }
      }
      const amount = line.amount ?? DEFAULT_AMOUNT;
      lineTotal += amount;
      lines.orderIndex.push(o);
      lines.productIndex.push(p);
      lines.amountMinor.push(amount);
    }
    orders.customerIndex.push(c);
    orders.day.push(order.day);
    orders.netAmountMinor.push(order.amount ?? (order.lines?.length ? lineTotal : DEFAULT_AMOUNT));
  }
  return { asOfDay: spec.asOfDay, customers, orders, lines, products, ...(spec.options ? { options: spec.options } : {}) };
}

/** Orders of one customer buying `products` on each of `days`. */
export function purchasesOn(customer: string, days: readonly number[], products: readonly string[], amount = DEFAULT_AMOUNT): TestOrder[] {
  return days.map((day) => ({ customer, day, lines: products.map((product) => ({ product, amount })) }));
}

export function playbookOf<K extends PlaybookKind>(report: SuggestionReport, kind: K): Extract<Playbook, { kind: K }> | undefined {
  return report.playbooks.find((playbook): playbook is Extract<Playbook, { kind: K }> => playbook.kind === kind);
}
