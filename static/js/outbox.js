/* The queue of forms saved on the phone while offline (issue #16): a small IndexedDB wrapper
 * and the sender, shared by the pages (static/js/offline.js) and the service worker (sw.js,
 * Background Sync). No DOM here.
 *
 * An item: { id (a UUID, sent as `client_id`), url (where the form posts), kind, label,
 *   formUrl (the page to fix it on), entries ([name, value] pairs), createdAt,
 *   state: "waiting" | "sending" | "failed" | "refused" | "login" | "forbidden", message,
 *   errors, tries }.
 * The server keeps `client_id` in a unique column, so a form sent twice is saved once and the
 * second send gets the first answer. An item leaves the queue only when the server says it
 * is saved; a refusal stays with its message until the person fixes or removes it.
 */
(function (global) {
  "use strict";
  var DB_NAME = "amp-offline";
  var STORE = "outbox";
  var LOCK = "amp-outbox";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : 1; });
    });
  }
  function get(id) { return run("readonly", function (store) { return store.get(id); }); }
  function put(item) { return run("readwrite", function (store) { store.put(item); }); }
  function remove(id) { return run("readwrite", function (store) { store.delete(id); }); }
  function clear() { return run("readwrite", function (store) { store.clear(); }); }
  function count() { return all().then(function (items) { return items.length; }); }

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) { return global.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // A fresh CSRF token for this session: the one in a stored page may be old.
  function token() {
    return fetch("/offline/token/", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.type === "opaqueredirect") { return null; }
        if (!response.ok) { throw new Error("token " + response.status); }
        return response.json();
      });
  }

  function update(item, changes) {
    Object.keys(changes).forEach(function (key) { item[key] = changes[key]; });
    return put(item);
  }

  function sendOne(item, csrf) {
    var body = new FormData();
    item.entries.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("client_id", item.id);
    body.append("csrfmiddlewaretoken", csrf);
    return update(item, { state: "sending", tries: (item.tries || 0) + 1 }).then(function () {
      return fetch(item.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-AMP-Queue": "1", "X-CSRFToken": csrf, Accept: "application/json" },
      });
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        return update(item, { state: "login", message: "", errors: [] });
      }
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.ok && json) {
        return response.json().then(function (data) {
          if (data.state === "sent") { return remove(item.id).then(function () { return "sent"; }); }
          return update(item, { state: "failed" });
        });
      }
      if (json && response.status >= 400 && response.status < 500) {
        return response.json().then(function (data) {
          return update(item, { state: "refused", message: data.message || "", errors: data.errors || [] });
        });
      }
      if (response.status === 403 || response.status === 404) {
        // No longer allowed here (a role ended), or the session's token is gone.
        return update(item, { state: response.status === 403 ? "forbidden" : "refused", message: "", errors: [] });
      }
      return update(item, { state: "failed" });
    }, function () {
      // No answer (no connection, or it dropped on the way back): try again later. The
      // server may have saved it; the next send with the same id creates nothing new.
      return update(item, { state: "failed" });
    });
  }

  function sendAllUnlocked() {
    return all().then(function (items) {
      var due = items.filter(function (item) {
        return item.state === "waiting" || item.state === "failed" || item.state === "sending" || item.state === "login" || item.state === "forbidden";
      });
      if (!due.length) { return { sent: 0, left: items.length }; }
      return token().then(function (session) {
        if (!session) {
          return Promise.all(due.map(function (item) { return update(item, { state: "login" }); }));
        }
        var csrf = session.csrf;
        var sent = 0;
        // Another person's forms (a shared phone) wait for them to log in.
        var others = due.filter(function (item) { return item.user && item.user !== session.user; });
        due = due.filter(function (item) { return others.indexOf(item) < 0; });
        others.forEach(function (item) { update(item, { state: "login" }); });
        return due.reduce(function (chain, item) {
          return chain.then(function () {
            return sendOne(item, csrf).then(function (result) { if (result === "sent") { sent += 1; } });
          });
        }, Promise.resolve()).then(function () { return sent; });
      }, function () {
        return Promise.all(due.map(function (item) { return update(item, { state: "failed" }); }));
      }).then(function () { return count(); }).then(function (left) { return { left: left }; });
    });
  }

  // One sender at a time across the pages and the service worker.
  function sendAll() {
    if (global.navigator && global.navigator.locks) {
      return global.navigator.locks.request(LOCK, sendAllUnlocked);
    }
    return sendAllUnlocked();
  }

  global.AmpOutbox = {
    all: all, get: get, put: put, remove: remove, clear: clear, count: count,
    uuid: uuid, sendAll: sendAll, sendOne: sendOne,
  };
})(self);
