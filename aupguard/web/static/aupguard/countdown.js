// The ICO clock, ticking. The server has already written the time left into each
// <time class="countdown" data-deadline="UNIX" data-now="UNIX">, so the page reads correctly without
// this script; here it is brought up to date every second, in the same words as
// aupguard/web/incidents/clock.py ("47 h 05 min 09 s left", "Overdue by 1 h 00 min 02 s").
// data-now is the server's clock when the page was made: the difference from this device's clock is
// taken off, so a computer whose clock is wrong still counts down to the right moment.
(function () {
  "use strict";
  var URGENT_SECONDS = 24 * 3600;

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function hoursText(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    return hours + " h " + pad(minutes) + " min " + pad(seconds % 60) + " s";
  }

  function start() {
    var clocks = Array.prototype.slice.call(document.querySelectorAll("time.countdown[data-deadline]"));
    if (!clocks.length) {
      return;
    }
    var loadedAt = Date.now() / 1000;
    var skew = 0;
    var serverNow = Number(clocks[0].getAttribute("data-now"));
    if (serverNow) {
      skew = serverNow - loadedAt;
    }

    function tick() {
      var now = Date.now() / 1000 + skew;
      clocks.forEach(function (clock) {
        var left = Number(clock.getAttribute("data-deadline")) - now;
        var text = left >= 0 ? hoursText(left) + " left" : "Overdue by " + hoursText(-left);
        if (clock.textContent !== text) {
          clock.textContent = text;
        }
        clock.classList.toggle("error", left < URGENT_SECONDS);
      });
    }

    tick();
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
