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
