/* linli.js — glue between Django, htmx and the page. No framework beyond htmx/Alpine.
 *
 * Provides window.linli.toast(message, kind, code) and wires htmx so that:
 *  - every htmx request carries Django's CSRF token (from <meta name="csrf-token">);
 *  - 422 responses with HTML are swapped (re-rendered forms with errors);
 *  - error responses with a JSON body {"code", "detail"} become a toast;
 *  - network failures and going offline are surfaced instead of failing silently.
 * Translated UI strings come from data-* attributes on #toasts (set in base.html),
 * so this file holds no user-facing text of its own.
 */
(function () {
  "use strict";

  var linli = (window.linli = window.linli || {});

  function text(key, fallback) {
    var box = document.getElementById("toasts");
    return (box && box.dataset[key]) || fallback;
  }

  /* ---- Toasts ---------------------------------------------------------- */
  // kind: "info" (default) | "success" | "warning" | "error". `code` is shown small,
  // so support staff can match a report to an API error code.
  linli.toast = function (message, kind, code) {
    var box = document.getElementById("toasts");
    if (!box) { box = document.createElement("div"); box.id = "toasts"; box.className = "toasts"; document.body.appendChild(box); }
    var el = document.createElement("div");
    el.className = "toast toast-" + (kind || "info");
    // Errors interrupt screen readers; everything else waits politely.
    el.setAttribute("role", kind === "error" ? "alert" : "status");
    el.textContent = String(message);
    if (code) {
      var small = document.createElement("small");
      small.className = "toast-code";
      small.textContent = code;
      el.appendChild(small);
    }
    box.appendChild(el);
    var ttl = kind === "error" ? 6000 : 3000;
    setTimeout(function () {
      el.classList.add("leaving");
      setTimeout(function () { el.remove(); }, 300);
    }, ttl);
    el.addEventListener("click", function () { el.remove(); });
    return el;
  };

  // Parse a {"code", "detail"} error body; null when the body is not that shape.
  linli.parseError = function (xhr) {
    var type = (xhr.getResponseHeader("Content-Type") || "").toLowerCase();
    if (type.indexOf("json") === -1) return null;
    try {
      var body = JSON.parse(xhr.responseText);
      if (body && typeof body === "object" && (body.detail || body.code)) return body;
    } catch (e) { /* not JSON after all */ }
    return null;
  };

  linli.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };

  /* ---- htmx wiring ----------------------------------------------------- */
  // Runs immediately (htmx.min.js is loaded just before this file) so the config is
  // in place before htmx processes the page; listeners sit on document because
  // htmx events bubble and <body> may not exist yet.
  function setupHtmx() {
    if (!window.htmx) return;
    // Our CSS styles .htmx-indicator; no need for htmx's injected <style>.
    htmx.config.includeIndicatorStyles = false;
    // Django convention here: invalid forms answer 422 with the re-rendered HTML.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "422", swap: true },
      { code: "[23]..", swap: true },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false }
    ];

    // Read the token per request: it can rotate after login without a full reload.
    document.addEventListener("htmx:configRequest", function (evt) {
      var token = linli.csrfToken();
      if (token) evt.detail.headers["X-CSRFToken"] = token;
    });

    // A JSON error body must never be swapped into the page, even on 422.
    document.addEventListener("htmx:beforeSwap", function (evt) {
      var xhr = evt.detail.xhr;
      if (xhr.status >= 400 && linli.parseError(xhr)) {
        evt.detail.shouldSwap = false;
        evt.detail.isError = true;
      }
    });

    document.addEventListener("htmx:responseError", function (evt) {
      var xhr = evt.detail.xhr;
      var err = linli.parseError(xhr);
      if (err) {
        linli.toast(err.detail || text("serverError", "Something went wrong"), "error", err.code);
      } else if (xhr.status === 403) {
        linli.toast(text("forbidden", "Not allowed"), "error", "HTTP 403");
      } else {
        linli.toast(text("serverError", "Something went wrong"), "error", "HTTP " + xhr.status);
      }
    });

    // No response at all: usually a dropped mobile connection.
    document.addEventListener("htmx:sendError", function () {
      linli.toast(text("networkError", "Network error, please retry"), "error");
    });
    document.addEventListener("htmx:timeout", function () {
      linli.toast(text("networkError", "Network error, please retry"), "error");
    });
  }

  /* ---- Offline friendliness (no service worker) ------------------------ */
  // Show a banner while offline and mark the <html> element so CSS can dim
  // actions that need the network; forms keep what the user typed.
  function setupOffline() {
    var banner;
    function update() {
      var offline = navigator.onLine === false;
      document.documentElement.classList.toggle("is-offline", offline);
      if (offline && !banner) {
        banner = document.createElement("div");
        banner.className = "offline-banner";
        banner.setAttribute("role", "status");
        banner.textContent = text("offline", "You are offline");
        document.body.prepend(banner);
      } else if (!offline && banner) {
        banner.remove();
        banner = null;
        linli.toast(text("online", "Back online"), "success");
      }
    }
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
  }

  /* ---- Small conveniences ---------------------------------------------- */
  // Dismiss buttons on server-rendered alerts (Django messages).
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest && evt.target.closest("[data-dismiss='alert']");
    if (btn) btn.closest(".alert").remove();
  });

  // Guard against double submission of ordinary (non-htmx) forms, e.g. "Place order"
  // tapped twice on a slow connection.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    // htmx (and hx-boost) cancel the native submit and manage their own requests.
    if (evt.defaultPrevented || form.hasAttribute("data-allow-resubmit")) return;
    if (form.dataset.submitted) { evt.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { delete form.dataset.submitted; }, 5000);
  });

  // Trigger server-sent toasts: a response header `HX-Trigger: {"toast": {"message": "...", "kind": "success"}}`.
  document.addEventListener("toast", function (evt) {
    var d = evt.detail || {};
    if (d.message) linli.toast(d.message, d.kind, d.code);
  });

  setupHtmx();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupOffline);
  } else {
    setupOffline();
  }
})();
