// What every example client does against a live gateway, and what it must read back. The gateway's address and key
// come from GATEWAY_URL and GATEWAY_KEY (the demo's defaults); STORE_EXTRA names a field the store adds that the client
// must keep (the fake store of the e2e test adds "loyalty_tier": "gold").
export const gateway = process.env.GATEWAY_URL ?? "http://localhost:8080";
export const key = process.env.GATEWAY_KEY ?? "demo-key";
export const storeExtra = process.env.STORE_EXTRA;

/** A customer the store has, one it does not, and one the batch sends a broken update for. */
export const customer = 574;
export const missing = 999;

/** Reads one NDJSON line at a time from a fetch body, as the gateway sends them. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.trim() !== "") yield line;
    }
  }
  if (pending.trim() !== "") yield pending;
}

export function expect(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    console.error(`FAIL ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    process.exit(1);
  }
  console.log(`ok   ${what}: ${JSON.stringify(actual)}`);
}
