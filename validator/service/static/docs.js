// Swagger UI over this server's OpenAPI document: no validator badge (it calls a public
// service), nothing fetched from anywhere but this server.
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/docs/openapi.json",  // the document in OpenAPI 3.0, which this Swagger UI reads
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    tryItOutEnabled: false,
  });
});
