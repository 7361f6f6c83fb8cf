// Draws the API documentation with Swagger UI (static/vendor/swagger-ui). Kept out of the page so
// the strict Content-Security-Policy (no inline script) holds. "Try it out" from this page uses the
// signed-in session, so writes carry the CSRF token from the page.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("api-docs");
  if (!root || typeof SwaggerUIBundle !== "function") return;
  const csrfToken = root.dataset.csrfToken;
  root.textContent = "";
  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: false,
    requestInterceptor: (request) => {
      if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
      return request;
    },
  });
});
