/* govtrack's API page: names what Swagger UI leaves unnamed, as it draws it (WCAG 4.1.2, 2.1.1).
   A parameter's choice list is named after the parameter; a code example that scrolls can be reached
   and scrolled by keyboard. */
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root) {
    return;
  }
  const name = () => {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach((select) => {
      const row = select.closest("tr[data-param-name]");
      select.setAttribute("aria-label", row.getAttribute("data-param-name"));
    });
    root.querySelectorAll(".microlight:not([tabindex])").forEach((code) => {
      code.setAttribute("tabindex", "0");
      code.setAttribute("role", "region");
      code.setAttribute("aria-label", root.dataset.exampleLabel || "Example");
    });
  };
  new MutationObserver(name).observe(root, { childList: true, subtree: true });
  name();
})();
