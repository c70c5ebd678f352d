import { listCustomerPhones, updateCustomerPhone } from "../db/customer-repository.js";
import { reparseStoredPhone } from "../domain/phone.js";
import type { ServiceDependencies } from "./service-dependencies.js";

const pageSize = 1000;

/**
 * Phones stored before the shop set shop.country were kept as "+" and the digits the shop typed
 * ("8 916 123-45-67" became "+89161234567"), so a customer sharing +79161234567 found nothing.
 * Once the country is known, each stored phone that is not a valid E.164 number is read again
 * as a national number of it. Idempotent: valid numbers, and ones that still do not parse, stay.
 * Reads only ids and phones, a page at a time; returns how many it fixed.
 */
export async function rereadStoredPhones(deps: Pick<ServiceDependencies, "db" | "logger">, country: string | null): Promise<number> {
  if (country === null) return 0;
  let fixed = 0;
  let after: string | null = null;
  for (;;) {
    const page = await listCustomerPhones(deps.db, after, pageSize);
    for (const { id, phone } of page) {
      const next = reparseStoredPhone(phone, country);
      if (next === null) continue;
      await updateCustomerPhone(deps.db, id, next);
      fixed += 1;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.id;
  }
  if (fixed) deps.logger.info({ country, fixed }, "stored phones read again with shop.country");
  return fixed;
}
