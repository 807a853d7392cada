/* /cari/: "Near me" fills lat/lon from the phone's location and searches again. */
(function () {
  "use strict";
  var K = window.KLIK, button = document.getElementById("near-me");
  var status = document.getElementById("near-status"), form = document.getElementById("search-form");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = K.t("locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("lon").value = position.coords.longitude.toFixed(6);
      form.submit();
    }, function () {
      status.textContent = K.t("searchLocateFailed");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
