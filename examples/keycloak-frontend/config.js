// Where the example finds its identity provider and the gateway: the demo's addresses (see README, "Wiring a
// frontend with Keycloak"). A deployment serves its own config.js.
window.FECIFY_CONFIG = {
  issuer: "http://localhost:8180/realms/shop",
  clientId: "shop-frontend",
  gateway: "http://localhost:8080",
};
