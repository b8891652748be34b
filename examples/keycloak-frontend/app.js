// A single-page app that signs its user in with OpenID Connect (authorization code + PKCE, a public client: no
// secret in the browser) and updates the user's own customer through fecify-gateway with fetch. No library: what is
// here is all a frontend needs. The access token is kept in memory only (not in localStorage).
"use strict";

const config = window.FECIFY_CONFIG;
const redirectUri = window.location.origin + window.location.pathname;
let accessToken = null;

const $ = (id) => document.getElementById(id);

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem("pkce_verifier", verifier);
  sessionStorage.setItem("oidc_state", state);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const url = new URL(config.issuer + "/protocol/openid-connect/auth");
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  window.location.assign(url);
}

// Back from the login page with ?code=...: trade the code (and the verifier) for tokens.
async function finishSignIn() {
  const params = new URLSearchParams(window.location.search);
  const code = params.get("code");
  if (!code) {
    return;
  }
  history.replaceState(null, "", redirectUri);
  if (params.get("state") !== sessionStorage.getItem("oidc_state")) {
    $("who").textContent = "Sign-in refused: the state does not match.";
    return;
  }
  const response = await fetch(config.issuer + "/protocol/openid-connect/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: sessionStorage.getItem("pkce_verifier"),
    }),
  });
  sessionStorage.removeItem("pkce_verifier");
  sessionStorage.removeItem("oidc_state");
  if (!response.ok) {
    $("who").textContent = "Sign-in failed: " + response.status;
    return;
  }
  accessToken = (await response.json()).access_token;
  // the claims are read for display only; the gateway checks the signature
  const claims = JSON.parse(atob(accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  $("who").textContent = `Signed in as ${claims.preferred_username}, customer ${claims.customer_id}.`;
  $("who").dataset.customerId = claims.customer_id;
  $("customer").value = claims.customer_id;
  $("sign-in").hidden = true;
  $("update").hidden = false;
}

// One PATCH through the gateway; every answer, success or problem, is shown as it came, with the headers a page
// may read (X-Request-Id, Retry-After, WWW-Authenticate: the gateway exposes them to listed origins).
async function update(customerId, changes) {
  try {
    const response = await fetch(`${config.gateway}/v1/customers/${customerId}`, {
      method: "PATCH",
      headers: { "Authorization": `Bearer ${accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify(changes),
    });
    const body = await response.json();
    return {
      status: response.status,
      body,
      requestId: response.headers.get("X-Request-Id"),
      retryAfter: response.headers.get("Retry-After"),
    };
  } catch (e) {
    // what a page sees when the browser blocks the call (CORS): no status, no body, a TypeError
    return { status: 0, error: String(e) };
  }
}

function show(result) {
  $("status").textContent = result.status === 0
    ? "Blocked by the browser: " + result.error
    : `HTTP ${result.status}` + (result.requestId ? ` (request ${result.requestId})` : "");
  $("answer").textContent = result.body ? JSON.stringify(result.body, null, 2) : "";
  document.body.dataset.lastStatus = String(result.status);
}

$("sign-in").addEventListener("click", signIn);
$("update").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = $("field").value;
  const raw = $("value").value;
  const value = field === "accepts_marketing" ? Number(raw) : raw;
  show(await update($("customer").value, { [field]: value }));
});
window.fecifyUpdate = update; // for the end-to-end test
finishSignIn().then(() => { document.body.dataset.ready = "true"; });
