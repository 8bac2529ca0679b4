/* Turn Web Push on or off for this device (notification settings page). */
(function () {
  const box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  box.hidden = false;
  const status = box.querySelector("[data-push-status]");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const key = box.dataset.key;

  function urlBase64ToUint8Array(base64) {
    const padding = "=".repeat((4 - (base64.length % 4)) % 4);
    const raw = atob((base64 + padding).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from([...raw].map((c) => c.charCodeAt(0)));
  }

  async function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : "{}",
      credentials: "same-origin",
    });
  }

  box.querySelector("[data-push-on]").addEventListener("click", async () => {
    try {
      const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: urlBase64ToUint8Array(key),
      });
      const response = await post(box.dataset.subscribeUrl, subscription.toJSON());
      status.textContent = response.ok ? box.dataset.msgOn : box.dataset.msgError;
    } catch (e) {
      status.textContent = box.dataset.msgError;
    }
  });

  box.querySelector("[data-push-off]").addEventListener("click", async () => {
    const registration = await navigator.serviceWorker.getRegistration("/");
    const subscription = registration && (await registration.pushManager.getSubscription());
    if (subscription) await subscription.unsubscribe();
    await post(box.dataset.unsubscribeUrl);
    status.textContent = box.dataset.msgOff;
  });
})();
