// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
const error = document.getElementById('error');
if (new URLSearchParams(location.search).has('error')) {
  error.hidden = false;
}

// The form is sent by fetch so that a refusal of the throttle (429, Retry-After) can be shown; the
// form still works without script (the refusal is then a bare 429 page).
const form = document.querySelector('form');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const answer = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    });
    if (answer.status === 429) {
      const seconds = Number(answer.headers.get('Retry-After')) || 30;
      error.textContent = t('login.throttled', Math.ceil(seconds / 60));
      error.hidden = false;
      return;
    }
    location.href = answer.url;
  } catch (e) {
    error.textContent = t('login.unreachable');
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
