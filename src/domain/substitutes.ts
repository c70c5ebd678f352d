import type { OrderLine, Substitute } from "./order.js";

/** What the shop allows in place of a missing item (config `substitutes`), in minor units. */
export interface SubstituteRules {
  allowMoreExpensive: boolean;
  /** The most a substitute may cost above the original, per unit; null: no limit of this kind. */
  maxIncreaseMinor: bigint | null;
  /** The currency of maxIncreaseMinor: the limit applies to orders in it only (amounts do not convert). */
  maxIncreaseCurrency: string | null;
  maxIncreasePercent: number | null;
  offerPartial: boolean;
}

export interface OfferedSubstitute extends Substitute {
  /** In stock, when the shop told us; undefined: assumed available. */
  available?: number;
  /** Price difference to the original, per unit (negative: cheaper). */
  differencePerUnitMinor: bigint;
}

/**
 * The substitutes of a line that the shop's rules let the bot offer: not dearer than allowed,
 * and in stock for the whole quantity when the stock is known.
 */
export function allowedSubstitutes(
  line: OrderLine,
  rules: SubstituteRules,
  stock?: ReadonlyMap<string, number>,
  orderCurrency?: string,
): OfferedSubstitute[] {
  const amountLimit =
    rules.maxIncreaseMinor !== null && (orderCurrency === undefined || rules.maxIncreaseCurrency === orderCurrency)
      ? rules.maxIncreaseMinor
      : null;
  return line.substitutes.flatMap((substitute) => {
    const difference = substitute.unitPriceMinor - line.unitPriceMinor;
    if (difference > 0n) {
      if (!rules.allowMoreExpensive) return [];
      if (amountLimit !== null && difference > amountLimit) return [];
      // percent of the original, compared exactly in integers (×100 to keep two decimals of percent)
      if (
        rules.maxIncreasePercent !== null &&
        difference * 10_000n > line.unitPriceMinor * BigInt(Math.round(rules.maxIncreasePercent * 100))
      )
        return [];
    }
    const available = stock?.get(substitute.sku) ?? substitute.available;
    if (available !== undefined && available < line.quantity) return [];
    return [{ ...substitute, ...(available !== undefined ? { available } : {}), differencePerUnitMinor: difference }];
  });
}
