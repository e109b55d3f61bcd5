'use strict';
// The page a notification's link opens (after sign-in): that one alert, acknowledged with one click.

const alertId = new URLSearchParams(location.search).get('id');

async function showAlert() {
  const box = document.getElementById('alert');
  try {
    const alert = await api('/api/alerts/' + encodeURIComponent(alertId || ''));
    if (alert) box.replaceChildren(alertCard(alert, null, acknowledgeHere));
  } catch (error) {
    box.replaceChildren(text('p', t(error.status === 404 ? 'alertPage.notFound' : 'alertPage.unavailable'), 'empty'));
  }
}

async function acknowledgeHere(id) {
  const updated = await api('/api/alerts/' + encodeURIComponent(id) + '/ack', { method: 'POST' });
  if (updated) document.getElementById('alert').replaceChildren(alertCard(updated, null, acknowledgeHere));
}

showSignedInUser();
signedIn.then(showAlert);
