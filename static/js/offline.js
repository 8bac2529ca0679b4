/* Offline-first logging on the pages (issue #16); the queue itself is static/js/outbox.js.
 *
 * - Registers the service worker (sw.js) and asks it to keep the forms the home lists.
 * - A form marked `data-offline` is saved to the queue instead of posted when there is no
 *   connection; the bar "Väntar på att skickas (n)" links to the queue page.
 * - The queue is sent when the connection returns (Background Sync where the browser has it,
 *   else the "online" event and the next page load) and from the queue page's button.
 * - A refused form opens again on its page (?queued=<id>) with the server's messages, to be
 *   fixed and sent again under the same id.
 * - Logging out with unsent forms asks first, then clears the queue and the stored pages.
 */
(function () {
  "use strict";
  var Outbox = window.AmpOutbox;
  var strings = document.getElementById("offline-strings");
  if (!Outbox || !strings || !("indexedDB" in window)) { return; }
  var t = strings.dataset;
  var PAGE_CACHE = "amp-pages";
  var openedOffline = !navigator.onLine;

  function format(text, n) { return String(text).replace("__count__", String(n)); }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(null); }
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { return null; });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register("amp-outbox"); }
    }).catch(function () { /* no Background Sync: the "online" event sends */ });
  }

  // --- The bar and the connection notice -----------------------------------------------------
  function refreshBar() {
    return Outbox.all().catch(function () { return []; }).then(function (items) {
      document.querySelectorAll("[data-outbox-bar]").forEach(function (bar) {
        bar.hidden = items.length === 0;
        var link = bar.querySelector("[data-outbox-count]");
        if (link) { link.textContent = format(t.waiting, items.length); }
      });
      document.querySelectorAll("[data-outbox-home]").forEach(function (link) {
        link.hidden = items.length === 0;
        link.textContent = format(t.waiting, items.length);
      });
      renderQueue(items);
      return items;
    });
  }

  function refreshConnection() {
    document.querySelectorAll("[data-offline-notice]").forEach(function (notice) {
      notice.hidden = navigator.onLine;
    });
  }

  function sendNow() {
    if (!navigator.onLine) { return refreshBar(); }
    return Outbox.sendAll().catch(function () { return null; }).then(refreshBar);
  }

  // --- Forms ------------------------------------------------------------------------------
  // The wall clock in Stockholm, as the server reads a typed time – whatever zone the phone is
  // set to.
  function nowLocal() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  }

  function setDefaultTimes(form) {
    form.querySelectorAll("input[data-default-now]").forEach(function (input) { input.value = nowLocal(); });
  }

  var SKIP = { csrfmiddlewaretoken: true, form_key: true, client_id: true };

  function entriesOf(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (SKIP[name]) { return; }
      if (typeof value !== "string" && value && value.size === 0) { return; }  // an empty file input
      entries.push([name, value]);
    });
    return entries;
  }

  function fill(form, entries) {
    var values = {};
    entries.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "file" || el.type === "submit" || el.type === "button") { return; }
      var given = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = given.indexOf(el.value) >= 0;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = given.indexOf(o.value) >= 0; });
      } else if (given.length) {
        el.value = given[0];
      } else if (el.tagName !== "SELECT" && el.type !== "hidden") {
        el.value = "";
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function say(form, text) {
    var box = form.parentNode.querySelector("[data-queued-notice]");
    if (!box) {
      box = document.createElement("p");
      box.className = "message message--success queued-notice";
      box.setAttribute("role", "status");
      box.setAttribute("data-queued-notice", "");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = text;
    box.scrollIntoView({ block: "center" });
  }

  function showErrors(form, item) {
    var box = document.createElement("div");
    box.className = "error-summary";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.textContent = t.refusedTitle;
    box.appendChild(heading);
    var intro = document.createElement("p");
    intro.textContent = item.message || t.refused;
    box.appendChild(intro);
    var list = document.createElement("ul");
    (item.errors || []).forEach(function (error) {
      (error.messages || []).forEach(function (message) {
        var li = document.createElement("li");
        li.textContent = error.label ? error.label + ": " + message : message;
        list.appendChild(li);
      });
    });
    if (list.childNodes.length) { box.appendChild(list); }
    form.insertBefore(box, form.firstChild);
    box.focus();
  }

  function queueForm(form) {
    var fixing = form.dataset.fixing;
    var ready = fixing ? Outbox.get(fixing) : Promise.resolve(null);
    return ready.then(function (existing) {
      var item = existing || {
        id: Outbox.uuid(),
        createdAt: new Date().toISOString(),
        kind: form.dataset.offline,
        label: form.dataset.offlineLabel || document.title,
        url: form.action || window.location.href.split("?")[0],
        formUrl: window.location.pathname,
        // Sent only in this person's session, never in someone else's on a shared phone.
        user: t.user,
      };
      item.entries = entriesOf(form);
      item.state = "waiting";
      item.message = "";
      item.errors = [];
      item.savedAt = new Date().toISOString();
      return Outbox.put(item).then(function () { return item; });
    });
  }

  function setUpForm(form) {
    var params = new URLSearchParams(window.location.search);
    var fixId = params.get("queued");
    if (fixId) {
      Outbox.get(fixId).then(function (item) {
        if (!item) { return; }
        form.dataset.fixing = item.id;
        fill(form, item.entries);
        if (item.state === "refused") { showErrors(form, item); }
      });
    } else if (openedOffline && !form.querySelector(".error-summary")) {
      // The stored copy shows the time it was stored; the page from the server is current.
      setDefaultTimes(form);
    }
    form.addEventListener("submit", function (event) {
      // Posted as usual when online – unless the page is the stored copy (opened offline): its
      // token may be old, so it goes through the queue, which fetches a fresh one.
      if (navigator.onLine && !form.dataset.fixing && !openedOffline) { return; }
      event.preventDefault();
      queueForm(form).then(function (item) {
        askForSync();
        if (form.dataset.fixing || navigator.onLine) {
          // Fixed: send it now when possible, and show the queue with the answer.
          return sendNow().then(function () { window.location.href = t.queueUrl; });
        }
        form.reset();
        setDefaultTimes(form);
        say(form, String(t.queued).replace("__label__", item.label));
        return refreshBar();
      }).catch(function () {
        say(form, t.storeFailed);
      });
    });
  }

  // --- The queue page -------------------------------------------------------------------------
  var STATE_TEXT = {
    waiting: "stateWaiting", sending: "stateSending", failed: "stateFailed",
    refused: "stateRefused", login: "stateLogin", forbidden: "stateForbidden",
  };

  function renderQueue(items) {
    var page = document.querySelector("[data-outbox-page]");
    if (!page) { return; }
    var list = page.querySelector("[data-outbox-list]");
    var empty = page.querySelector("[data-outbox-empty]");
    var heading = page.querySelector("[data-outbox-heading]");
    var retry = page.querySelector("[data-outbox-retry]");
    heading.textContent = format(t.waiting, items.length);
    empty.hidden = items.length > 0;
    retry.hidden = items.length === 0;
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "card outbox-item outbox-item--" + item.state;
      li.setAttribute("data-outbox-item", item.id);
      var title = document.createElement("h2");
      title.className = "outbox-item__title";
      title.textContent = item.label;
      li.appendChild(title);
      var meta = document.createElement("p");
      meta.className = "muted";
      meta.textContent = t.savedAt + " " + new Date(item.savedAt || item.createdAt).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "short", timeStyle: "short" });
      li.appendChild(meta);
      var state = document.createElement("p");
      state.className = "outbox-item__state";
      var strong = document.createElement("strong");
      strong.textContent = t[STATE_TEXT[item.state] || "stateWaiting"];
      state.appendChild(strong);
      li.appendChild(state);
      if (item.state === "refused") {
        if (item.message) {
          var message = document.createElement("p");
          message.className = "error";
          message.textContent = item.message;
          li.appendChild(message);
        }
        var errors = document.createElement("ul");
        errors.className = "outbox-item__errors";
        (item.errors || []).forEach(function (error) {
          (error.messages || []).forEach(function (text) {
            var e = document.createElement("li");
            e.className = "error";
            e.textContent = error.label ? error.label + ": " + text : text;
            errors.appendChild(e);
          });
        });
        if (errors.childNodes.length) { li.appendChild(errors); }
      }
      var actions = document.createElement("p");
      actions.className = "actions";
      var fix = document.createElement("a");
      fix.className = "button button--secondary";
      fix.href = item.formUrl + "?queued=" + encodeURIComponent(item.id);
      fix.textContent = item.state === "refused" ? t.fix : t.open;
      actions.appendChild(fix);
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "link-button";
      drop.textContent = t.remove;
      drop.addEventListener("click", function () {
        if (window.confirm(t.removeConfirm)) { Outbox.remove(item.id).then(refreshBar); }
      });
      actions.appendChild(drop);
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  function setUpQueuePage() {
    var page = document.querySelector("[data-outbox-page]");
    if (!page) { return; }
    page.querySelector("[data-outbox-js]").hidden = false;
    var retry = page.querySelector("[data-outbox-retry]");
    var status = page.querySelector("[data-outbox-status]");
    retry.addEventListener("click", function () {
      if (!navigator.onLine) { status.textContent = t.stillOffline; return; }
      retry.disabled = true;
      status.textContent = t.sending;
      sendNow().then(function (items) {
        retry.disabled = false;
        status.textContent = items && items.length ? t.someLeft : t.allSent;
      });
    });
  }

  // --- Logging out ----------------------------------------------------------------------------
  function clearDevice() {
    window.sessionStorage.removeItem("amp-kept");
    var jobs = [Outbox.clear()];
    if ("caches" in window) { jobs.push(caches.delete(PAGE_CACHE)); }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear" });
    }
    return Promise.all(jobs).catch(function () { return null; });
  }

  function setUpLogout() {
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.cleared) { return; }
        event.preventDefault();
        Outbox.count().catch(function () { return 0; }).then(function (n) {
          if (n > 0 && !window.confirm(format(t.logoutWarning, n))) { return; }
          clearDevice().then(function () {
            form.dataset.cleared = "1";
            form.submit();
          });
        });
      });
    });
  }

  // --- Keeping the forms for offline use -------------------------------------------------------
  function keepPages() {
    var node = document.getElementById("offline-urls");
    if (!node || !navigator.onLine || !("caches" in window)) { return; }
    var urls = [];
    try { urls = JSON.parse(node.textContent) || []; } catch (e) { urls = []; }
    // Once every few minutes is enough: the home is opened often.
    var last = parseInt(window.sessionStorage.getItem("amp-kept") || "0", 10);
    if (Date.now() - last < 5 * 60 * 1000) { return; }
    window.sessionStorage.setItem("amp-kept", String(Date.now()));
    // One at a time, after the page has settled: the person's own clicks come first.
    caches.open(PAGE_CACHE).then(function (cache) {
      return urls.reduce(function (chain, url) {
        return chain.then(function () {
          return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
            if (response.ok && response.headers.get("X-AMP-Offline") === "store") {
              return cache.put(new URL(url, window.location.origin).href, response);
            }
          }).catch(function () { /* kept next time */ });
        });
      }, new Promise(function (resolve) { window.setTimeout(resolve, 800); }));
    }).catch(function () { /* no storage: nothing kept */ });
  }

  // Someone else logged in on this phone (without logging out): the stored pages were theirs.
  function forgetOtherPersonsPages() {
    var before = window.localStorage.getItem("amp-user");
    if (before && before !== t.user && "caches" in window) {
      window.sessionStorage.removeItem("amp-kept");
      return caches.delete(PAGE_CACHE).then(function () {
        window.localStorage.setItem("amp-user", t.user);
      });
    }
    window.localStorage.setItem("amp-user", t.user);
    return Promise.resolve();
  }

  function init() {
    registerWorker();
    refreshConnection();
    window.addEventListener("online", function () { refreshConnection(); sendNow(); });
    window.addEventListener("offline", refreshConnection);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "outbox-changed") { refreshBar(); }
      });
    }
    document.querySelectorAll("form[data-offline]").forEach(setUpForm);
    setUpQueuePage();
    setUpLogout();
    refreshBar().then(function (items) {
      if (items.length && navigator.onLine) { sendNow(); }
    });
    forgetOtherPersonsPages().then(keepPages).catch(function () { return null; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
