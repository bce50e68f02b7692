// Progressive enhancement only: every page works without this file. Loaded as a file because the content security
// policy allows no inline script.
(function () {
  'use strict';
  // Ask before destructive actions: <form data-confirm="Really retire this key?">
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();
