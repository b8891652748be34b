// openapi-generator's typescript-fetch client (target/clients/typescript, made by ./mvnw -Pclients generate-resources).
import {
  BatchLineFromJSON,
  Configuration,
  CustomerFromJSON,
  CustomersApi,
  DryRunFromJSON,
  ProblemFromJSON,
  ResponseError,
  instanceOfBatchLineFailed,
  instanceOfBatchLineSummary,
  instanceOfBatchLineUpdated,
  type Customer,
  type CustomerChanges,
  type DryRun,
  type Problem,
} from "fecify-gateway-client";
import { customer, expect, gateway, key, lines, missing, storeExtra } from "./scenario.js";

const api = new CustomersApi(new Configuration({ basePath: gateway, headers: { "X-API-Key": key } }));

/**
 * The 200 of PATCH is a customer or, with dry_run=true, a dry run. The generated union tries Customer first, and an
 * open Customer with no required field matches a dry run too; so the answer is read once, and told apart by the one
 * property only a dry run has (the document says the same: a Customer never has dry_run).
 */
async function update(id: number, changes: CustomerChanges, dryRun = false): Promise<Customer | DryRun> {
  const answer = await api.updateCustomerRaw({ id, customerChanges: changes, dryRun });
  const json = await answer.raw.json();
  return "dry_run" in json ? DryRunFromJSON(json) : CustomerFromJSON(json);
}

async function problemOf(call: Promise<unknown>): Promise<Problem> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ResponseError) return ProblemFromJSON(await error.response.json());
    throw error;
  }
  throw new Error("expected a refusal");
}

async function main(): Promise<void> {
  const updated = (await update(customer, { firstName: "Ada", payafteruseStatus: 1 })) as Customer;
  expect("update: first name", updated.firstName, "Ada");
  expect("update: a field outside the old document", updated.payafteruseStatus, 1);
  if (storeExtra) expect(`update: the store's own field ${storeExtra}`, updated[storeExtra] !== undefined, true);

  const dryRun = (await update(customer, { acceptsMarketing: 1, customervipId: "" }, true)) as DryRun;
  expect("dry run: dryRun", dryRun.dryRun, true);
  expect("dry run: changes", dryRun.changes, { acceptsMarketing: 1 });

  const refused = await problemOf(api.updateCustomer({ id: customer, customerChanges: { acceptsMarketing: 3 } }));
  expect("refused: status and code", [refused.status, refused.code], [400, "validation_failed"]);
  expect("refused: field", refused.errors?.map((violation) => violation.field), ["accepts_marketing"]);

  // the batch's 200 is a stream of lines (binary for the generator): the raw answer's body, read a line at a time
  const batch = await api.updateCustomersBatchRaw({
    batchRequest: { updates: [{ id: customer, lastName: "Lovelace" }, { id: missing, note: "x" }] },
  });
  const seen: string[] = [];
  for await (const text of lines(batch.raw.body!)) {
    const line = BatchLineFromJSON(JSON.parse(text));
    if (instanceOfBatchLineUpdated(line)) seen.push(`updated ${line.id} ${line.customer.lastName}`);
    else if (instanceOfBatchLineFailed(line)) seen.push(`failed ${line.id} ${line.status} ${line.problem.code}`);
    else if (instanceOfBatchLineSummary(line)) seen.push(`summary ${line.summary.total}/${line.summary.succeeded}`);
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
