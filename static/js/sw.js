/* Service worker (served at /sw.js, scope "/", by places.views.offline.service_worker,
 * which puts `self.AMP` – the version and the files to keep – in front of this file).
 *
 * 1. Web Push: shows alert pushes and opens their page.
 * 2. Offline (issue #16): keeps the static files, and a copy of the pages the server marks with
 *    the header "X-AMP-Offline: store" (forms with the place's choice lists, the home, the
 *    queue) – never anything else, so no restricted incident or other person's data is stored.
 *    Pages are fetched from the network first; the copy is used only without a connection.
 * 3. Background Sync: sends the queue of forms saved offline (static/js/outbox.js).
 */
var AMP = self.AMP || { version: "dev", precache: [], offlineUrl: "/offline/", outbox: "" };
var STATIC_CACHE = "amp-static-" + AMP.version;
var PAGE_CACHE = "amp-pages";
if (AMP.outbox) { importScripts(AMP.outbox); }

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(AMP.precache); })
      .catch(function () { /* a missing file must not stop push from working */ })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("amp-static-") === 0 && key !== STATIC_CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

function fromNetworkKeepingMarked(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.headers.get("X-AMP-Offline") === "store") {
      var copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  });
}

function storedPage(request) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request.url).then(function (hit) {
      // "?queued=…" (fixing a queued form) and "?kind=…" open the same stored form.
      return hit || cache.match(request.url, { ignoreSearch: true });
    }).then(function (hit) {
      return hit || cache.match(new URL(AMP.offlineUrl, self.location.origin).href);
    });
  }).then(function (hit) {
    return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (isStatic(url)) {
    event.respondWith(
      caches.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkKeepingMarked(request).catch(function () { return storedPage(request); }));
  }
});

// Background Sync: the browser wakes us when the connection is back.
self.addEventListener("sync", function (event) {
  if (event.tag === "amp-outbox" && self.AmpOutbox) {
    event.waitUntil(self.AmpOutbox.sendAll().then(function () {
      return self.clients.matchAll({ type: "window" }).then(function (clients) {
        clients.forEach(function (client) { client.postMessage({ type: "outbox-changed" }); });
      });
    }));
  }
});

// Logging out: the page asks us to forget every stored page.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "clear") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var title = data.title || "AMP";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    tag: data.tag || undefined,
    data: { url: data.url || "/notifications/" },
    requireInteraction: true,
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/notifications/";
  // Only our own pages: the payload's URL is a path.
  var target = new URL(url, self.location.origin);
  if (target.origin !== self.location.origin) { return; }
  event.waitUntil(self.clients.openWindow(target.href));
});
