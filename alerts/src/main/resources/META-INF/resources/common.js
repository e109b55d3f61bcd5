'use strict';
// What every signed-in page shares: the JSON API with the session cookie, small DOM helpers,
// and the header's signed-in user.

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', ...options });
  if (response.status === 401 || response.redirected) { location.href = '/login.html'; return null; }
  if (!response.ok) {
    const error = new Error(path + ' answered ' + response.status);
    error.status = response.status;
    throw error;
  }
  const body = await response.text();
  return body ? JSON.parse(body) : null;
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  if (content !== undefined && content !== null) element.textContent = content;
  if (className) element.className = className;
  return element;
}

// The hospital's time zone (cardiowatch.alerts.display.time-zone), from /api/me: every time is shown
// in it with its date and the zone's name, day before month, on a 24-hour clock. Pages render once it is known.
let displayTimeZone;
const signedIn = api('/api/me').then(me => { if (me) displayTimeZone = me.timeZone; return me; });

function time(iso) {
  return iso ? new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit',
    minute: '2-digit', second: '2-digit', timeZone: displayTimeZone, timeZoneName: 'short' }) : '';
}

function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', timeZone: displayTimeZone, timeZoneName: 'short' }) : '';
}

// The unit of each measure an alert's worst value is given in; a measure not here has no worst value to show.
const MEASURE_UNITS = { heartRateBpm: 'bpm', spo2Percent: '%', systolicMmHg: 'mmHg', rrMillis: 'ms',
  ventricularRunBeats: 'beats', alternatingBeats: 'beats', pvcBurdenPercent: '% of beats' };

// "Worst 81.8 %" ("Longest run 12 beats"), or null when the alert has no worst value of a known measure.
function worstText(worstValue, measure) {
  if (worstValue === null || worstValue === undefined || !MEASURE_UNITS[measure]) return null;
  // A ventricular run is "worse" by its length.
  const label = measure === 'ventricularRunBeats' ? 'Longest run ' : 'Worst ';
  return label + (Math.round(worstValue * 10) / 10) + ' ' + MEASURE_UNITS[measure];
}

function kindLabel(kind) {
  return kind.replaceAll('_', ' ').toLowerCase();
}

// One alert as a card: what, whose, its evidence, who acknowledged it; the button calls onAcknowledge(id).
function alertCard(alert, freshId, onAcknowledge) {
  const card = text('article', undefined, ['alert', alert.severity, alert.technical ? 'technical' : 'clinical',
    alert.acknowledgedBy ? 'acknowledged' : '', alert.id === freshId ? 'fresh' : ''].join(' '));
  card.dataset.alertId = alert.id;
  card.dataset.kind = alert.kind;
  const title = text('div', undefined, 'title');
  const link = text('a', alert.patientName);
  link.href = patientPage(alert.patientId);
  title.append(text('span', (alert.technical ? 'Technical: ' : '') + alert.kind.replace('_', ' ') + ' — '), link);
  card.append(title);
  const worst = worstText(alert.worstValue, alert.measure);
  if (worst) card.append(text('div', worst, 'worst'));
  card.append(text('div', alert.summary));
  if (alert.sources && alert.sources.length > 0) card.append(text('div', 'Devices: ' + alert.sources.join(', '), 'sources'));
  if (alert.beats) {
    card.append(text('div', alert.beats.count + ' beats from ' + time(alert.beats.from) + ' to ' + time(alert.beats.to)
      + (alert.beats.rateBpm ? ', ' + Math.round(alert.beats.rateBpm) + ' bpm' : ''), 'beats'));
  }
  const meta = ['opened ' + time(alert.openedAt), alert.severity];
  if (alert.acknowledgedBy) meta.push('acknowledged by ' + alert.acknowledgedBy + ' at ' + time(alert.acknowledgedAt));
  if (alert.escalatedTo) meta.push('escalated to ' + alert.escalatedTo + ' at ' + time(alert.escalatedAt));
  if (!alert.acknowledgedBy && !alert.escalatedTo) meta.push('awaiting acknowledgement');
  card.append(text('div', meta.join(' · '), 'meta'));
  if (!alert.acknowledgedBy) {
    const button = text('button', 'Acknowledge', 'ack');
    button.setAttribute('aria-label', 'Acknowledge ' + kindLabel(alert.kind) + ' of ' + alert.patientName);
    button.addEventListener('click', () => onAcknowledge(alert.id));
    card.append(button);
  }
  return card;
}

function patientPage(patientId) {
  return '/patient.html?id=' + encodeURIComponent(patientId);
}

async function showSignedInUser() {
  addSignOut();
  const me = await signedIn;
  if (me) document.getElementById('user').textContent = me.username;
}

// Signing out ends the session on every instance and every browser, not only here.
function addSignOut() {
  const who = document.getElementById('user').parentElement;
  if (who.querySelector('button.sign-out')) return;
  const button = text('button', 'Sign out', 'sign-out');
  button.type = 'button';
  button.addEventListener('click', async () => {
    button.disabled = true;
    const answer = await fetch('/api/sign-out', { method: 'POST', credentials: 'same-origin' });
    // The login page, or the identity provider's sign-out when signed in through it.
    location.href = answer.ok ? (await answer.json()).next : '/login.html';
  });
  who.append(' · ', button);
}
