// bcp serve: reload the page when the plan has been rendered again. The server sends the
// current generation on /events; a page built from another generation reloads itself.
// "building" events say when a rebuild runs (seconds, on a large plan).
// Pages in background tabs let go of their connection (browsers allow six per server) and
// catch up when shown again.
(function () {
  "use strict";
  var bar = document.getElementById("bcp-preview");
  if (!bar || !window.EventSource) {
    return;
  }
  var generation = bar.getAttribute("data-generation");
  var state = document.getElementById("bcp-preview-state");
  var source = null;
  function show(live) {
    bar.classList.toggle("bcp-offline", !live);
    if (state) {
      state.textContent = live ? "live" : "reconnecting\u2026";
    }
  }
  function connect() {
    source = new EventSource("/events");
    source.onmessage = function (event) {
      if (event.data !== generation) {
        source.close();
        location.reload();
      } else {
        show(true);
      }
    };
    source.addEventListener("building", function (event) {
      if (state) {
        state.textContent = event.data === "1" ? "rebuilding\u2026" : "live";
      }
    });
    source.onerror = function () {
      show(false);
    };
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && source) {
      source.close();
      source = null;
    } else if (!document.hidden && !source) {
      connect();
    }
  });
  if (!document.hidden) {
    connect();
  }
})();
