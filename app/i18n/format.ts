// Numbers, money and dates as the merchant's language writes them. Display only: amounts arrive as
// exact decimal strings and are converted to numbers here, at the last moment, for Intl.
import type { Locale } from "./locales";

export type Formatter = {
  locale: Locale;
  number: (value: number, maximumFractionDigits?: number) => string;
  /** Money in the shop's currency; `null` currency (unknown yet) formats as a plain decimal. */
  money: (amount: string | number | null | undefined, options?: { compact?: boolean }) => string;
  percent: (ratio: number | null | undefined, maximumFractionDigits?: number) => string;
  date: (iso: string | null | undefined) => string;
  month: (isoMonth: string) => string;
};

const DASH = "—";

export function createFormatter(locale: Locale, currency: string | null): Formatter {
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let format = numberFormats.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
      numberFormats.set(digits, format);
    }
    return format;
  };
  const moneyFormat = currency
    ? new Intl.NumberFormat(locale, { style: "currency", currency })
    : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const compactMoneyFormat = currency
    ? new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 })
    : new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const monthFormat = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });

  return {
    locale,
    number: (value, digits = 0) => (Number.isFinite(value) ? numberFormat(digits).format(value) : DASH),
    money: (amount, options) => {
      if (amount === null || amount === undefined || amount === "") return DASH;
      const value = Number(amount);
      if (!Number.isFinite(value)) return DASH;
      return (options?.compact ? compactMoneyFormat : moneyFormat).format(value);
    },
    percent: (ratio, digits = 1) => {
      if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
      return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(ratio);
    },
    date: (iso) => (iso ? dateFormat.format(new Date(iso)) : DASH),
    month: (isoMonth) => monthFormat.format(new Date(`${isoMonth.slice(0, 7)}-01T00:00:00Z`)),
  };
}
