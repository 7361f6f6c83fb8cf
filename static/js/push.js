// Turn this device's reminder notifications on or off (account page). Needs the app's service
// worker (registered by site.js); without it, or without push support, the switch stays hidden.
(() => {
  const gettext = window.gettext || ((text) => text);
  const keyBytes = (base64url) => {
    const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  };

  const postJson = async (form, url, data) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(data),
    });
    const answer = await response.json().catch(() => ({}));
    return { ok: response.ok, answer };
  };

  const start = async (form) => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
    const registration = await navigator.serviceWorker.getRegistration("/");
    if (!registration || !registration.pushManager) return;
    const status = form.querySelector("[data-push-status]");
    const onButton = form.querySelector("[data-push-on]");
    const offButton = form.querySelector("[data-push-off]");
    const show = (subscribed, message) => {
      onButton.hidden = subscribed;
      offButton.hidden = !subscribed;
      status.textContent = message;
    };
    document.querySelector("[data-push-unsupported]")?.setAttribute("hidden", "");
    form.hidden = false;
    const current = await registration.pushManager.getSubscription();
    show(Boolean(current), current ? gettext("Notifications are on for this device.") : "");

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      onButton.disabled = true;
      try {
        if ((await Notification.requestPermission()) !== "granted") {
          show(false, gettext("This browser blocks notifications from SupportNet. You can allow them in its site settings."));
          return;
        }
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(form.dataset.vapidKey),
        });
        const { ok, answer } = await postJson(form, form.action, { subscription: subscription.toJSON() });
        if (!ok) {
          await subscription.unsubscribe();
          show(false, answer.error || gettext("Notifications could not be turned on. Please try again."));
          return;
        }
        window.location.reload();
      } catch (error) {
        show(false, gettext("Notifications could not be turned on in this browser. Please try again later."));
      } finally {
        onButton.disabled = false;
      }
    });

    offButton.addEventListener("click", async () => {
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await postJson(form, form.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      window.location.reload();
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-push-switch]");
    if (form) start(form);
  });
})();
