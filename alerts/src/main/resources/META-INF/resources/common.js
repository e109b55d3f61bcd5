'use strict';
// What every signed-in page shares: the JSON API with the session cookie, small DOM helpers, times and
// values in the page's language (i18n.js), an alert's card, and the header's signed-in user.

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

// The hospital's time zone (cardiowatch.alerts.display.time-zone), from /api/me: every time is shown in it
// with its date and the zone's name, day before month, on a 24-hour clock. Pages render once it and the
// page's texts are known.
let displayTimeZone;
const signedIn = Promise.all([api('/api/me'), translated]).then(([me]) => {
  if (me) displayTimeZone = me.timeZone;
  return me;
});

function time(iso) {
  return iso ? new Date(iso).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit',
    minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: displayTimeZone, timeZoneName: 'short' }) : '';
}

function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString(locale, { day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: displayTimeZone, timeZoneName: 'short' }) : '';
}

// "2 h 05 min", "4 min 12 s", "35 s": how long from one instant to another (now when to is null).
function duration(fromIso, toIso) {
  const seconds = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso)) / 1000));
  const pad = value => String(value).padStart(2, '0');
  if (seconds >= 86400) return t('duration.days', Math.floor(seconds / 86400), Math.floor(seconds % 86400 / 3600));
  if (seconds >= 3600) return t('duration.hours', Math.floor(seconds / 3600), pad(Math.floor(seconds % 3600 / 60)));
  if (seconds >= 60) return t('duration.minutes', Math.floor(seconds / 60), pad(seconds % 60));
  return t('duration.seconds', seconds);
}

// The measures an alert's worst value can be in; a measure not here has no worst value to show.
const MEASURES = ['heartRateBpm', 'spo2Percent', 'systolicMmHg', 'rrMillis', 'ventricularRunBeats', 'alternatingBeats',
  'pvcBurdenPercent'];

// "Worst 81.8 % at 5 Dec, 18:03:11 CET" ("Longest run 12 beats"), or null without a worst value of a known measure.
function worstText(worstValue, measure, worstAt) {
  if (worstValue === null || worstValue === undefined || !MEASURES.includes(measure)) return null;
  const value = t('unit.' + measure, number(worstValue, Number.isInteger(worstValue) ? 0 : 1));
  // A ventricular run is "worse" by its length.
  const worst = t(measure === 'ventricularRunBeats' ? 'alert.longestRun' : 'alert.worst', value);
  return worstAt ? t('alert.worstAt', worst, time(worstAt)) : worst;
}

// What the stream processor wrote (a summary, a resolution) is stored text in English; in another language
// the page says so rather than pass it off as translated.
function recordedText(recorded) {
  return recorded ? t('alert.recorded', recorded) : '';
}

function kindLabel(kind) {
  return t('kind.' + kind);
}

function severityLabel(severity) {
  return t('severity.' + severity);
}

// One alert as a card: what, whose, its worst value and when, how long, the devices, who acknowledged it;
// the button calls onAcknowledge(id).
function alertCard(alert, freshId, onAcknowledge) {
  const card = text('article', undefined, ['alert', alert.severity, alert.technical ? 'technical' : 'clinical',
    alert.acknowledgedBy ? 'acknowledged' : '', alert.id === freshId ? 'fresh' : ''].join(' '));
  card.dataset.alertId = alert.id;
  card.dataset.kind = alert.kind;
  const title = text('div', undefined, 'title');
  const link = text('a', alert.patientName);
  link.href = patientPage(alert.patientId);
  title.append(text('span', t(alert.technical ? 'alert.technicalTitle' : 'alert.title', kindLabel(alert.kind))), link);
  card.append(title);
  const worst = worstText(alert.worstValue, alert.measure, alert.worstAt);
  if (worst) card.append(text('div', worst, 'worst'));
  card.append(text('div', recordedText(alert.summary), 'summary'));
  if (alert.sources && alert.sources.length > 0) {
    card.append(text('div', t('alert.devices', alert.sources.join(', ')), 'sources'));
  }
  if (alert.beats) {
    card.append(text('div', t(alert.beats.rateBpm ? 'alert.beatsWithRate' : 'alert.beats', alert.beats.count,
      time(alert.beats.from), time(alert.beats.to), alert.beats.rateBpm ? number(alert.beats.rateBpm) : ''), 'beats'));
  }
  const meta = [t('alert.opened', time(alert.openedAt)), t('alert.lasting', duration(alert.openedAt, alert.resolvedAt)),
    severityLabel(alert.severity)];
  if (alert.acknowledgedBy) meta.push(t('alert.acknowledgedBy', alert.acknowledgedBy, time(alert.acknowledgedAt)));
  if (alert.escalatedTo) meta.push(t('alert.escalatedTo', alert.escalatedTo, time(alert.escalatedAt)));
  if (!alert.acknowledgedBy && !alert.escalatedTo) meta.push(t('alert.awaiting'));
  card.append(text('div', meta.join(' · '), 'meta'));
  if (!alert.acknowledgedBy) {
    const button = text('button', t('alert.acknowledge'), 'ack');
    button.setAttribute('aria-label', t('alert.acknowledgeLabel', kindLabel(alert.kind), alert.patientName));
    button.addEventListener('click', () => onAcknowledge(alert.id));
    card.append(button);
  }
  return card;
}

function patientPage(patientId) {
  return '/patient.html?id=' + encodeURIComponent(patientId);
}

async function showSignedInUser() {
  const me = await signedIn;
  addSignOut();
  if (me) document.getElementById('user').textContent = me.username;
  addPolicyLink(me);
}

// Admins set the teams' notification policies; the link is theirs alone (the API refuses anyone else).
function addPolicyLink(me) {
  const nav = document.querySelector('header nav');
  if (!me || me.role !== 'admin' || !nav || nav.querySelector('a[href="/policy.html"]')) return;
  const link = text('a', t('nav.policy'));
  link.href = '/policy.html';
  nav.append(' ', link);
}

// Signing out ends the session on every instance and every browser, not only here.
function addSignOut() {
  const who = document.getElementById('user').parentElement;
  if (who.querySelector('button.sign-out')) return;
  const button = text('button', t('header.signOut'), 'sign-out');
  button.type = 'button';
  button.addEventListener('click', async () => {
    button.disabled = true;
    const answer = await fetch('/api/sign-out', { method: 'POST', credentials: 'same-origin' });
    // The login page, or the identity provider's sign-out when signed in through it.
    location.href = answer.ok ? (await answer.json()).next : '/login.html';
  });
  who.append(' · ', button);
}
