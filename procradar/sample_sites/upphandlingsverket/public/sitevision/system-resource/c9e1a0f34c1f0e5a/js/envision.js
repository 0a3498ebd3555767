/* Minimal stand-in for Sitevision's Envision bundle: only the cookie banner behaviour. */
(function () {
  var banner = document.querySelector('.sv-cookie-consent-banner');
  if (!banner) { return; }
  if (document.cookie.indexOf('sv-cookie-consent=') !== -1) { banner.classList.add('uv-hidden'); }
  banner.querySelectorAll('[data-cookie-user-consent]').forEach(function (button) {
    button.addEventListener('click', function () {
      document.cookie = 'sv-cookie-consent=' + button.getAttribute('data-cookie-user-consent') + ';path=/;max-age=31536000';
      banner.classList.add('uv-hidden');
    });
  });
})();
