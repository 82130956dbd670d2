// The guide's service worker: keeps the guide answering offline. It caches the built assets and the server's
// offline data (/guide/offline.json: the corpus, vocabulary and catalogs the server decides with), asks the network
// first for every /guide page, and when the network or the server is gone renders the page itself with the same
// engine and page code, bundled as /assets/guide-offline.js.
/* global TrustrulesOffline */
'use strict';
self.importScripts('/assets/guide-offline.js');

var CACHE = 'trustrules-guide';
var DATA = '/guide/offline.json';
// Where the worker keeps the place last answered (the server's cookie is out of its reach), to preselect it offline.
var PLACE = '/guide/remembered-place';
var guide = null;

function assetUrls(data) {
  return ['site.css', 'guide.js'].filter(function (f) { return data.assets[f]; })
    .map(function (f) { return '/assets/' + f + '?v=' + data.assets[f]; });
}

// Fetches the data and the assets it names, and keeps them; the offline guide is rebuilt from it on next use.
function refresh() {
  return fetch(DATA, { cache: 'no-cache' }).then(function (res) {
    if (!res.ok) throw new Error('offline data: HTTP ' + res.status);
    return res.clone().json().then(function (data) {
      return caches.open(CACHE).then(function (cache) {
        return cache.put(DATA, res).then(function () { return cache.addAll(assetUrls(data)); });
      }).then(function () {
        if (!guide || guide.policyVersion !== data.policyVersion) guide = null;
      });
    });
  });
}

function offlineGuide() {
  if (guide) return Promise.resolve(guide);
  return caches.open(CACHE).then(function (cache) { return cache.match(DATA); }).then(function (res) {
    if (!res) throw new Error('the guide has not been loaded on this device yet');
    return res.json();
  }).then(function (data) {
    guide = TrustrulesOffline.offlineGuide(data);
    return guide;
  });
}

// Keeps the place a guide address answers (its last actor.jurisdiction), as the server's cookie does online.
function rememberPlace(url) {
  var places = url.searchParams.getAll('actor.jurisdiction').filter(function (p) { return p; });
  if (!places.length) return Promise.resolve();
  return caches.open(CACHE).then(function (cache) {
    return cache.put(PLACE, new Response(places[places.length - 1], { headers: { 'content-type': 'text/plain' } }));
  });
}

function rememberedPlace() {
  return caches.open(CACHE).then(function (cache) { return cache.match(PLACE); })
    .then(function (res) { return res ? res.text() : undefined; }, function () { return undefined; });
}

function renderOffline(request, url) {
  return Promise.all([offlineGuide(), rememberedPlace()]).then(function (both) {
    var g = both[0];
    var page = g.render(url.pathname + url.search, request.headers.get('accept-language') || undefined, TrustrulesOffline.today(), both[1] || undefined);
    return new Response(page.html, {
      status: page.status,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-language': page.lang, 'x-trustrules-offline': '1' },
    });
  });
}

self.addEventListener('install', function (event) {
  event.waitUntil(refresh().then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/guide') {
    event.waitUntil(rememberPlace(url).catch(function () {}));
    event.respondWith(fetch(request).then(function (res) {
      // A page from the server whose policy version changed: refresh the offline copy in the background.
      if (res.ok && guide && res.headers.get('x-policy-version') && res.headers.get('x-policy-version') !== guide.policyVersion) refresh().catch(function () {});
      return res;
    }, function () { return renderOffline(request, url); }));
  } else if (url.pathname.indexOf('/assets/') === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});
