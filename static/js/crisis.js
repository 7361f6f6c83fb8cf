// The service worker, and keeping the crisis pages on this device when the person asks for it.
// Every page works without this file; without it nothing is kept on the device.
(() => {
  // Our words come from Django's JavaScript catalog (/jsi18n/, loaded first); without it, English.
  const gettext = window.gettext || ((text) => text);
  const PRIVATE_CACHE = "supportnet-private";
  const OWNER_ENTRY = "/offline/owner";
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || "";
  const owner = meta("supportnet-device-owner");
  const pages = meta("supportnet-offline-pages").split(" ").filter(Boolean);
  const canKeep = "serviceWorker" in navigator && "caches" in window;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }

  async function keptOwner() {
    if (!(await caches.has(PRIVATE_CACHE))) return null;
    const entry = await (await caches.open(PRIVATE_CACHE)).match(OWNER_ENTRY);
    return entry ? entry.text() : "";
  }

  // Someone else signed in on this browser: the copy is not theirs to see.
  async function forgetOthersCopy() {
    const kept = await keptOwner();
    if (kept !== null && owner && kept !== owner) await caches.delete(PRIVATE_CACHE);
  }

  async function keepCopy() {
    const cache = await caches.open(PRIVATE_CACHE);
    for (const page of pages) {
      const response = await fetch(page, { credentials: "same-origin" });
      if (!response.ok || response.redirected) throw new Error(`Could not keep ${page}`);
      await cache.put(page, response);
    }
    await cache.put(OWNER_ENTRY, new Response(owner));
  }

  async function setUpChoice(section) {
    const button = section.querySelector("[data-offline-toggle]");
    const status = section.querySelector("[data-offline-status]");
    const show = async () => {
      const kept = (await keptOwner()) === owner;
      button.textContent = kept ? gettext("Remove the copy from this device") : gettext("Keep a copy on this device");
      button.setAttribute("aria-pressed", kept ? "true" : "false");
      return kept;
    };
    section.hidden = false;
    let kept = await show();
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        if (kept) {
          await caches.delete(PRIVATE_CACHE);
          status.textContent = gettext("Removed. Nothing from your account is kept on this device now.");
        } else {
          await keepCopy();
          status.textContent = gettext("Kept. Your crisis plan, crisis contacts and crisis lines now open on this device even with no connection.");
        }
      } catch (error) {
        await caches.delete(PRIVATE_CACHE);
        status.textContent = gettext("That did not work, so nothing was kept. Please try again when you have a connection.");
      }
      kept = await show();
      button.disabled = false;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!canKeep) return;
    if (owner) forgetOthersCopy();
    const section = document.querySelector("[data-offline-choice]");
    if (section && owner && pages.length) setUpChoice(section);
  });
})();
