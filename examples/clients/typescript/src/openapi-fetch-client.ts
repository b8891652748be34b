// openapi-typescript's types (generated/openapi.d.ts, made by npm run generate) with openapi-fetch.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/openapi.js";
import { customer, expect, gateway, key, lines, missing, storeExtra } from "./scenario.js";

type BatchLine = components["schemas"]["BatchLine"];

const client = createClient<paths>({ baseUrl: gateway, headers: { "X-API-Key": key } });
const path = "/v1/customers/{id}";

async function main(): Promise<void> {
  const updated = await client.PATCH(path, {
    params: { path: { id: customer } },
    body: { first_name: "Ada", payafteruse_status: 1 },
  });
  const customerAnswer = updated.data!;
  if ("dry_run" in customerAnswer) throw new Error("a real update answered as a dry run");
  expect("update: first name", customerAnswer.first_name, "Ada");
  expect("update: a field outside the old document", customerAnswer.payafteruse_status, 1);
  if (storeExtra) expect(`update: the store's own field ${storeExtra}`, customerAnswer[storeExtra] !== undefined, true);

  const dryRun = await client.PATCH(path, {
    params: { path: { id: customer }, query: { dry_run: true } },
    body: { accepts_marketing: 1, customervip_id: "" },
  });
  const dryRunAnswer = dryRun.data!;
  if (!("dry_run" in dryRunAnswer)) throw new Error("a dry run answered as a customer");
  expect("dry run: changes", dryRunAnswer.changes, { accepts_marketing: 1 });

  const refused = await client.PATCH(path, { params: { path: { id: customer } }, body: { accepts_marketing: 3 } });
  expect("refused: status and code", [refused.response.status, refused.error?.code], [400, "validation_failed"]);
  expect("refused: field", refused.error?.errors?.map((violation) => violation.field), ["accepts_marketing"]);

  // the batch's 200 is a stream of lines: openapi-fetch hands the body over unread, each line is a BatchLine
  const batch = await client.POST("/v1/customers/batch", {
    body: { updates: [{ id: customer, last_name: "Lovelace" }, { id: missing, note: "x" }] },
    parseAs: "stream",
  });
  const seen: string[] = [];
  for await (const text of lines(batch.data!)) {
    const line = JSON.parse(text) as BatchLine;
    if ("summary" in line) seen.push(`summary ${line.summary.total}/${line.summary.succeeded}`);
    else if ("problem" in line) seen.push(`failed ${line.id} ${line.status} ${line.problem.code}`);
    else if ("customer" in line) seen.push(`updated ${line.id} ${line.customer.last_name}`);
    else seen.push(`dry run ${line.id}`);
  }
  expect("batch: lines", seen.sort(), [
    `failed ${missing} 404 customer_not_found`,
    "summary 2/1",
    `updated ${customer} Lovelace`,
  ]);
}

main().catch((error) => {
  console.error("FAIL", error);
  process.exit(1);
});
