// The API docs page: Swagger UI on the schema whose address the page gives (no inline script).
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  root.textContent = "";
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: false,
    tryItOutEnabled: false,
  });
});
