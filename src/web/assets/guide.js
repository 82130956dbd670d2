// The guide's small enhancements; every page works without them. Shows the print button, filters the list of places
// as the person types (the search form still works by GET), and registers the service worker that keeps the guide
// answering offline.
(function () {
  'use strict';
  var print = document.querySelector('[data-print]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
  var normalize = function (s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  };
  var search = document.getElementById('place-search');
  var radios = document.querySelectorAll('input[name="actor.jurisdiction"]');
  if (search && radios.length) {
    search.addEventListener('input', function () {
      var words = normalize(search.value).split(' ').filter(Boolean);
      radios.forEach(function (radio) {
        var label = document.querySelector('label[for="' + radio.id + '"]');
        var name = normalize(label ? label.textContent : '');
        var shown = words.every(function (w) { return name.indexOf(w) >= 0; }) || words.length === 0;
        radio.parentElement.hidden = !shown && !radio.checked;
      });
    });
  }
  // The service worker keeps the guide answering offline; registered after the page has loaded, so it never
  // competes with the page for the network.
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register('/sw.js', { updateViaCache: 'none' }).catch(function () {});
    });
  }
})();
