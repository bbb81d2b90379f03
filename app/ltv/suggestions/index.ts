// Retention suggestions ("playbooks"): from a shop's customers, orders and scores to ranked, ready
// audiences, each with the evidence in the shop's own numbers, when to act and what is at stake.
// Pure: the worker builds the input at refit time and stores the report (audiences for CSV export).
//
// A playbook with no audience, or without enough data behind it, is left out. Playbooks are ranked
// by value at stake, then audience size. Values at stake differ in basis (predicted CLV, CLV at
// risk, expected uplift, none) and each says which; see `ValueAtStake`.
import { categoryInterestPlaybook } from "./categories";
import { resolveOptions } from "./options";
import { crossSellPlaybook, productPurchases, replenishmentPlaybook } from "./products";
import { shopFacts } from "./shop-facts";
import { reviewRequestPlaybook, secondPurchasePlaybook, welcomePlaybook } from "./timing";
import type { Playbook, PlaybookKind, SuggestionInput, SuggestionReport } from "./types";
import { saveHighValuePlaybook, vipPlaybook, winBackPlaybook } from "./value";

export { HIGH_VALUE_TIERS, SAVE_CHURN_RISKS, SUGGESTION_DEFAULTS, VIP_VALUE_TIERS, WIN_BACK_RFM_GROUPS } from "./options";
export type * from "./types";

/** Every kind, in the order ties of value and audience are listed. */
export const PLAYBOOK_KINDS: readonly PlaybookKind[] = [
  "save_high_value",
  "win_back",
  "vip",
  "replenishment",
  "second_purchase",
  "cross_sell",
  "category_interest",
  "welcome",
  "review_request",
];

export function buildSuggestions(input: SuggestionInput): SuggestionReport {
  const options = resolveOptions(input.options);
  const facts = shopFacts(input);
  const purchases = productPurchases(facts);
  const candidates: Array<Playbook | null> = [
    welcomePlaybook(facts, options),
    secondPurchasePlaybook(facts, options),
    replenishmentPlaybook(facts, purchases, input.products, options),
    crossSellPlaybook(facts, purchases, input.products, options),
    categoryInterestPlaybook(facts, input.products, options),
    reviewRequestPlaybook(facts, options),
    winBackPlaybook(facts, options),
    vipPlaybook(facts),
    saveHighValuePlaybook(facts),
  ];
  return { asOfDay: input.asOfDay, playbooks: rankPlaybooks(candidates.filter((playbook): playbook is Playbook => playbook !== null)) };
}

/** By value at stake (highest first), then audience (largest first), then PLAYBOOK_KINDS order. */
export function rankPlaybooks(playbooks: readonly Playbook[]): Playbook[] {
  return [...playbooks].sort(
    (a, b) =>
      b.valueAtStake.amountMinor - a.valueAtStake.amountMinor || b.audienceCount - a.audienceCount || PLAYBOOK_KINDS.indexOf(a.kind) - PLAYBOOK_KINDS.indexOf(b.kind),
  );
}
