// Where the gateway is, as this page's browser reaches it. The page holds no token and no client id: the gateway
// signs the user in (GATEWAY_SESSIONS_*) and gives the browser an HttpOnly session cookie only.
window.FECIFY_CONFIG = { gateway: "http://localhost:8080" };
