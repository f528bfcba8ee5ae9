/* Readmit: where the keyboard focus goes after an action (docs/user-guide.md, Accessibility).
 *
 * After a page load or a form posted through htmx: the first field marked invalid
 * (aria-invalid="true", which the server renders next to its error), else the first error
 * alert, else the message that reports the result. Nothing moves on a plain page load
 * without a message, nor while a filter reloads results (the search box keeps the focus).
 *
 * On a phone the navigation starts collapsed (the <details> menu in base.html is rendered
 * open, so that it works without JavaScript) and opens again when the window widens.
 * A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  function focusable(element) {
    if (!element.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return true;
  }

  function focusAfterAction(root) {
    var invalid = root.querySelector('[aria-invalid="true"]:not([type="hidden"]):not([disabled])');
    if (invalid) { return focusable(invalid); }
    var alert = root.querySelector('.alert-error, .field-error[role="alert"]');
    if (alert) { return focusable(alert); }
    var message = root.querySelector(".messages .message, .message[role='status']");
    if (message) { return focusable(message); }
    return false;
  }

  var narrow = window.matchMedia("(max-width: 40rem)");
  function collapseMenu() {
    var menu = document.getElementById("nav-menu");
    if (menu) { menu.open = !narrow.matches; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    collapseMenu();
    if (narrow.addEventListener) { narrow.addEventListener("change", collapseMenu); }
    if (!document.querySelector("[autofocus]")) { focusAfterAction(document); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (!config || config.verb === "get") { return; }
    // The event fires on the swapped-in content (an outerHTML swap replaces the old target).
    var swapped = event.target;
    if (swapped && swapped.isConnected && swapped.querySelector) { focusAfterAction(swapped); }
  });
})();
