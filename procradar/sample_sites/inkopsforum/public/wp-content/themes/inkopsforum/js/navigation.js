/* Toggles the mobile menu and remembers the cookie choice (no tracking is loaded). */
(function () {
  var toggle = document.querySelector('.menu-toggle');
  var menu = document.getElementById('primary-menu');
  if (toggle && menu) {
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      menu.style.display = open ? '' : 'block';
    });
  }
  var banner = document.querySelector('.cmplz-cookiebanner');
  if (!banner) { return; }
  if (document.cookie.indexOf('cmplz_choice=') !== -1) { banner.classList.add('cmplz-dismissed'); }
  banner.querySelectorAll('button').forEach(function (button) {
    button.addEventListener('click', function () {
      document.cookie = 'cmplz_choice=' + (button.classList.contains('cmplz-accept') ? 'all' : 'functional') + ';path=/;max-age=31536000';
      banner.classList.add('cmplz-dismissed');
    });
  });
})();
