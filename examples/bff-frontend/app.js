// A page that signs in through the gateway (/bff/login) and updates its own customer with the session cookie the
// browser holds and this script cannot read. Every state-changing call carries X-CSRF-Protection: 1.
"use strict";

const config = window.FECIFY_CONFIG;
const here = window.location.origin + window.location.pathname;

/** One call to the gateway with the session cookie; the answer's status, body and request id. */
async function call(method, path, body, base = config.gateway) {
  const headers = {};
  if (method !== "GET") headers["X-CSRF-Protection"] = "1";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    const answer = await fetch(base + path, {
      method,
      credentials: "include",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: answer.status, body: parsed, text, requestId: answer.headers.get("X-Request-Id") };
  } catch (error) {
    return { status: 0, error: String(error) };
  }
}

function show(result) {
  document.getElementById("status").textContent =
    result.status ? `HTTP ${result.status} (request ${result.requestId || "-"})` : `failed: ${result.error}`;
  document.getElementById("answer").textContent =
    typeof result.body === "string" ? result.body : JSON.stringify(result.body, null, 2);
}

async function session(base) {
  return call("GET", "/bff/session", undefined, base);
}

async function update(customerId, changes) {
  const result = await call("PATCH", `/v1/customers/${customerId}`, changes);
  show(result);
  return result;
}

async function signOut() {
  const result = await call("POST", "/bff/logout");
  show(result);
  await refresh();
  return result;
}

async function refresh() {
  const me = await session();
  const signedIn = me.status === 200;
  document.getElementById("who").textContent = signedIn
    ? `Signed in as ${me.body.subject}, customer ${me.body.customer_id}; may change ${me.body.fields.join(", ")}.`
    : "Not signed in.";
  document.getElementById("sign-in").hidden = signedIn;
  document.getElementById("sign-out").hidden = !signedIn;
  document.getElementById("update").hidden = !signedIn;
  if (signedIn) document.getElementById("customer").value = me.body.customer_id;
  const error = new URLSearchParams(window.location.search).get("login_error");
  if (error) document.getElementById("status").textContent = `Sign-in failed: ${error}`;
  return me;
}

document.getElementById("sign-in").addEventListener("click", () => {
  window.location.assign(`${config.gateway}/bff/login?return_to=${encodeURIComponent(here)}`);
});
document.getElementById("sign-out").addEventListener("click", signOut);
document.getElementById("update").addEventListener("submit", (event) => {
  event.preventDefault();
  const field = document.getElementById("field").value;
  const raw = document.getElementById("value").value;
  const value = field === "accepts_marketing" ? Number(raw) : raw;
  update(document.getElementById("customer").value, { [field]: value });
});

// for the end-to-end test
window.fecifyUpdate = update;
window.fecifySession = session;
window.fecifySignOut = signOut;
refresh().then(() => { document.body.dataset.ready = "true"; });
