// category_interest: customers who bought in a category on two or more days. Only when the shop's
// products carry categories, and at least two of them were bought: with a single category, interest
// in it says no more than "repeat customer".
import { type ShopFacts, audienceOf, expectedUplift, idsOfMarked } from "./shop-facts";
import { compareStrings, share, toMinor } from "./stats";
import type { CategoryInterest, CategoryInterestPlaybook, SuggestionOptions, SuggestionProduct } from "./types";

/**
 * Categories with at least categoryMinCustomers repeat buyers, by repeat buyers (then name), at most
 * maxGroups; the audience is every listed category's repeat buyers.
 */
export function categoryInterestPlaybook(facts: ShopFacts, products: readonly SuggestionProduct[], options: SuggestionOptions): CategoryInterestPlaybook | null {
  const names: string[] = [];
  const indexOfName = new Map<string, number>();
  const categoryOf = new Int32Array(facts.productCount).fill(-1);
  for (let p = 0; p < facts.productCount; p++) {
    const name = (products[p] as SuggestionProduct).category;
    if (name === null || name === "") continue;
    let index = indexOfName.get(name);
    if (index === undefined) {
      index = names.length;
      indexOfName.set(name, index);
      names.push(name);
    }
    categoryOf[p] = index;
  }
  if (names.length < 2) return null;

  const categoryCount = names.length;
  const buyers = new Int32Array(categoryCount);
  const orders = new Int32Array(categoryCount);
  const amountMinor = new Float64Array(categoryCount);
  const repeatBuyers: number[][] = names.map(() => []);
  // Per category, the last order / customer seen, the customer's last day and distinct days in it.
  const orderSeen = new Int32Array(categoryCount).fill(-1);
  const buyerSeen = new Int32Array(categoryCount).fill(-1);
  const lastDay = new Int32Array(categoryCount);
  const days = new Int32Array(categoryCount);
  const touched = new Int32Array(categoryCount);
  const { ordersByCustomer, linesByOrder, orderDay, lineProduct, lineAmount } = facts;
  for (let c = 0; c < facts.customers.length; c++) {
    let touchedCount = 0;
    for (let k = ordersByCustomer.start[c] as number; k < (ordersByCustomer.start[c + 1] as number); k++) {
      const order = ordersByCustomer.items[k] as number;
      const day = orderDay[order] as number;
      for (let j = linesByOrder.start[order] as number; j < (linesByOrder.start[order + 1] as number); j++) {
        const line = linesByOrder.items[j] as number;
        const product = lineProduct[line] as number;
        const category = product < 0 ? -1 : (categoryOf[product] as number);
        if (category < 0) continue;
        amountMinor[category] = (amountMinor[category] as number) + (lineAmount[line] as number);
        if (orderSeen[category] !== order) {
          orderSeen[category] = order;
          orders[category] = (orders[category] as number) + 1;
        }
        if (buyerSeen[category] !== c) {
          buyerSeen[category] = c;
          lastDay[category] = day;
          days[category] = 1;
          touched[touchedCount++] = category;
        } else if (day > (lastDay[category] as number)) {
          lastDay[category] = day;
          days[category] = (days[category] as number) + 1;
        }
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const category = touched[t] as number;
      buyers[category] = (buyers[category] as number) + 1;
      if ((days[category] as number) >= 2) (repeatBuyers[category] as number[]).push(c);
    }
  }
  let categoriesBought = 0;
  for (let g = 0; g < categoryCount; g++) if ((buyers[g] as number) > 0) categoriesBought++;
  if (categoriesBought < 2) return null;

  const listed: Array<{ entry: CategoryInterest; customers: number[] }> = [];
  for (let g = 0; g < categoryCount; g++) {
    const customers = repeatBuyers[g] as number[];
    if (customers.length < options.categoryMinCustomers) continue;
    listed.push({
      customers,
      entry: {
        category: names[g] as string,
        buyers: buyers[g] as number,
        repeatBuyers: customers.length,
        repeatShare: share(customers.length, buyers[g] as number),
        averageOrderAmountMinor: toMinor(share(amountMinor[g] as number, orders[g] as number)),
        customerIds: customers.map((c) => facts.customers[c]?.id as string),
        customerCount: customers.length,
      },
    });
  }
  if (listed.length === 0) return null;
  listed.sort((a, b) => b.customers.length - a.customers.length || compareStrings(a.entry.category, b.entry.category));
  listed.length = Math.min(listed.length, options.maxGroups);
  const marked = new Uint8Array(facts.customers.length);
  let conversionValue = 0;
  for (const { entry, customers } of listed) {
    for (const c of customers) marked[c] = 1;
    conversionValue += customers.length * Math.max(0, entry.averageOrderAmountMinor);
  }
  return {
    kind: "category_interest",
    ...audienceOf(idsOfMarked(facts.customers, marked)),
    timing: { kind: "now" },
    valueAtStake: expectedUplift(conversionValue, options),
    evidence: { categories: listed.length },
    categories: listed.map(({ entry }) => entry),
  };
}
