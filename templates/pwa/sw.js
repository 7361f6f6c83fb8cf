{% load static %}// SupportNet's service worker. Version {{ version }}.
//
// What it keeps, and why:
// - "supportnet-public-*": the offline page, the stylesheets, scripts and icons. The same for everyone.
// - "supportnet-private": the crisis page and the crisis plan of the person signed in, and only when
//   they asked for it on the crisis page (crisis.js fills it). Emptied on sign-out and account deletion.
// Every other page goes to the network and is never stored.
const PUBLIC_CACHE = "supportnet-public-{{ version }}";
const PRIVATE_CACHE = "supportnet-private";
const OFFLINE_PAGE = "{% url 'dashboard:offline' %}";
const PUBLIC_FILES = [
  OFFLINE_PAGE,
  "{% static 'css/site.css' %}",
  "{% static 'css/crisis.css' %}",
  "{% static 'css/wellbeing.css' %}",
  "{% static 'js/site.js' %}",
  "{% static 'js/crisis.js' %}",
  "{% static 'icons/icon-192.png' %}",
];
// Posting to these signs the person out or deletes the account: the private copy goes first.
const FORGET_ON_POST = ["{% url 'account_logout' %}", "{% url 'privacy:delete_account' %}"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(PUBLIC_CACHE)
      .then((cache) => cache.addAll(PUBLIC_FILES.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("supportnet-public-") && name !== PUBLIC_CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "forget") event.waitUntil(caches.delete(PRIVATE_CACHE));
});

async function keptCopy(request) {
  if (!(await caches.has(PRIVATE_CACHE))) return undefined;
  const cache = await caches.open(PRIVATE_CACHE);
  return cache.match(request, { ignoreSearch: true, ignoreVary: true });
}

async function navigate(request) {
  const path = new URL(request.url).pathname;
  try {
    const response = await fetch(request);
    // A page the person keeps is refreshed on every visit, so the copy is never older than the last
    // look. Only a signed-in answer (never stored by browsers: no-store) replaces it.
    const signedIn = (response.headers.get("Cache-Control") || "").includes("no-store");
    if (response.ok && signedIn && !response.redirected && (await keptCopy(path))) {
      const cache = await caches.open(PRIVATE_CACHE);
      await cache.put(path, response.clone());
    }
    return response;
  } catch (error) {
    return (await keptCopy(path)) || (await caches.match(OFFLINE_PAGE)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && FORGET_ON_POST.includes(url.pathname)) {
    event.respondWith(caches.delete(PRIVATE_CACHE).then(() => fetch(request)));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (url.pathname.startsWith("{% get_static_prefix %}")) {
    event.respondWith(caches.match(request, { ignoreVary: true }).then((kept) => kept || fetch(request)));
  }
});

// Reminders as notifications (push/, issue 17). The payload is our own JSON (push/notifications.py):
// title, body, tag, the page a tap opens, and actions carrying the reminder email's signed one-click
// links. Only links on our own origin are followed.
const sameOrigin = (url) => {
  try {
    return new URL(url, self.location.origin).origin === self.location.origin;
  } catch (error) {
    return false;
  }
};

self.addEventListener("push", (event) => {
  let reminder = {};
  try {
    reminder = event.data ? event.data.json() : {};
  } catch (error) {
    reminder = {};
  }
  const actions = (reminder.actions || []).filter((action) => sameOrigin(action.url));
  event.waitUntil(
    self.registration.showNotification(reminder.title || "SupportNet", {
      body: reminder.body || "Someone might like to hear from you.",
      tag: reminder.tag || "supportnet-reminder",
      icon: "{% static 'icons/icon-192.png' %}",
      actions: actions.map(({ action, title }) => ({ action, title })),
      data: {
        url: sameOrigin(reminder.url) ? reminder.url : "/",
        links: Object.fromEntries(actions.map(({ action, url }) => [action, url])),
      },
    }),
  );
});

async function openPage(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const path = new URL(url, self.location.origin).pathname;
  const open = windows.find((client) => new URL(client.url).pathname === path);
  return open ? open.focus() : self.clients.openWindow(url);
}

// An action POSTs its one-click link (the signed token is the authority; it acts once). Should that
// fail (offline, an expired link), the link's own page opens, where the person can try again.
async function act(url) {
  try {
    const response = await fetch(url, { method: "POST", credentials: "same-origin" });
    if (response.ok) return undefined;
  } catch (error) {
    // Offline: fall through to the page.
  }
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  const { url, links } = event.notification.data || {};
  event.notification.close();
  const link = event.action && links ? links[event.action] : null;
  event.waitUntil(link ? act(link) : openPage(url || "/"));
});
