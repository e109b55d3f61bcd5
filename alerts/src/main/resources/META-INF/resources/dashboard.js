'use strict';
// The dashboard: patient list, live alert inbox (WebSocket), acknowledge, recent vitals.
// Everything comes from the JSON API under /api with the session cookie of the login form.

const alerts = new Map();
let patients = [];

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', ...options });
  if (response.status === 401 || response.redirected) { location.href = '/login.html'; return null; }
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  if (content !== undefined) element.textContent = content;
  if (className) element.className = className;
  return element;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

async function loadPatients() {
  patients = await api('/api/patients') || [];
  const list = document.getElementById('patients');
  list.replaceChildren();
  if (patients.length === 0) list.append(text('li', 'No patients in your care team.', 'empty'));
  for (const patient of patients) {
    const item = text('li', undefined, 'patient');
    item.tabIndex = 0;
    item.dataset.patientId = patient.id;
    item.append(text('span', patient.name), text('span', patient.status, 'status ' + patient.status));
    item.addEventListener('click', () => showVitals(patient));
    item.addEventListener('keydown', event => { if (event.key === 'Enter') showVitals(patient); });
    list.append(item);
  }
}

async function loadAlerts() {
  const open = await api('/api/alerts') || [];
  alerts.clear();
  open.forEach(alert => alerts.set(alert.id, alert));
  renderInbox();
}

const SEVERITY_ORDER = { CRITICAL: 0, WARNING: 1, INFO: 2 };

function renderInbox(freshId) {
  const inbox = document.getElementById('inbox');
  inbox.replaceChildren();
  const open = [...alerts.values()].filter(alert => alert.state !== 'RESOLVED')
    .sort((a, b) => (SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]) || b.openedAt.localeCompare(a.openedAt));
  if (open.length === 0) inbox.append(text('p', 'No open alerts.', 'empty'));
  for (const alert of open) {
    const card = text('article', undefined, ['alert', alert.severity, alert.technical ? 'technical' : 'clinical',
      alert.acknowledgedBy ? 'acknowledged' : '', alert.id === freshId ? 'fresh' : ''].join(' '));
    card.dataset.alertId = alert.id;
    card.dataset.kind = alert.kind;
    card.append(text('div', (alert.technical ? 'Technical: ' : '') + alert.kind.replace('_', ' ') + ' — ' + alert.patientName, 'title'));
    card.append(text('div', alert.summary));
    const meta = ['opened ' + time(alert.openedAt), alert.severity];
    if (alert.acknowledgedBy) meta.push('acknowledged by ' + alert.acknowledgedBy + ' at ' + time(alert.acknowledgedAt));
    if (alert.escalatedTo) meta.push('escalated to ' + alert.escalatedTo + ' at ' + time(alert.escalatedAt));
    card.append(text('div', meta.join(' · '), 'meta'));
    if (!alert.acknowledgedBy) {
      const button = text('button', 'Acknowledge', 'ack');
      button.addEventListener('click', () => acknowledge(alert.id));
      card.append(button);
    }
    inbox.append(card);
  }
}

async function acknowledge(id) {
  const updated = await api('/api/alerts/' + encodeURIComponent(id) + '/ack', { method: 'POST' });
  if (updated) { alerts.set(updated.id, updated); renderInbox(); }
}

async function showVitals(patient) {
  document.getElementById('vitals-patient').textContent = '— ' + patient.name;
  const readings = (await api('/api/patients/' + encodeURIComponent(patient.id) + '/vitals') || []).slice(-20).reverse();
  const box = document.getElementById('vitals');
  box.replaceChildren();
  if (readings.length === 0) { box.append(text('p', 'No recent readings.', 'empty')); return; }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  ['Time', 'Heart rate (bpm)', 'SpO2 (%)', 'Blood pressure (mmHg)'].forEach(h => head.append(text('th', h)));
  const body = table.createTBody();
  for (const r of readings) {
    const row = body.insertRow();
    row.append(text('td', time(r.measuredAt)), text('td', r.heartRateBpm ?? '–'), text('td', r.spo2Percent ?? '–'),
      text('td', r.systolicMmHg ? Math.round(r.systolicMmHg) + '/' + Math.round(r.diastolicMmHg) : '–'));
  }
  box.append(table);
}

function connect() {
  const live = document.getElementById('live');
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/alerts');
  socket.onopen = () => { live.textContent = 'live'; live.className = 'live'; };
  socket.onmessage = event => {
    const message = JSON.parse(event.data);
    if (message.type === 'hello') document.getElementById('user').textContent = message.user;
    if (message.type === 'alert') {
      alerts.set(message.alert.id, message.alert);
      renderInbox(message.alert.id);
      loadPatients();
    }
  };
  socket.onclose = () => {
    live.textContent = 'offline — reconnecting'; live.className = 'live off';
    setTimeout(() => { loadAlerts(); connect(); }, 3000);
  };
}

loadPatients();
loadAlerts();
connect();
setInterval(loadPatients, 30000);
