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
  showTrend(patient);
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

let trendChart = null;

// The 24-hour trend from the history: the heart-rate band (min to max per bucket) around its mean,
// and SpO2 on its own axis, drawn with uPlot.
async function showTrend(patient) {
  document.getElementById('trend-patient').textContent = '— ' + patient.name;
  const box = document.getElementById('trend');
  const response = await fetch('/api/patients/' + encodeURIComponent(patient.id) + '/trends?range=24h',
    { credentials: 'same-origin' });
  if (response.status === 401) { location.href = '/login.html'; return; }
  if (trendChart) { trendChart.destroy(); trendChart = null; }
  box.replaceChildren();
  if (response.status === 503) { box.append(text('p', 'History is off on this installation.', 'empty')); return; }
  if (!response.ok) { box.append(text('p', 'Trend unavailable (' + response.status + ').', 'empty')); return; }
  const trend = await response.json();
  const points = trend.points;
  if (points.length === 0) box.append(text('p', 'No closed minute yet: the trend fills as minutes close.', 'empty'));
  const data = [points.map(p => p.time / 1000), points.map(p => p.heartRateMin), points.map(p => p.heartRateMean),
    points.map(p => p.heartRateMax), points.map(p => p.spo2Mean)];
  trendChart = new uPlot({
    width: Math.max(box.clientWidth, 320), height: 220,
    series: [{}, { label: 'HR min', stroke: '#c0392b', width: 1 }, { label: 'HR mean (bpm)', stroke: '#7b1d12', width: 2 },
      { label: 'HR max', stroke: '#c0392b', width: 1 }, { label: 'SpO2 mean (%)', stroke: '#1f5fa8', scale: '%' }],
    bands: [{ series: [3, 1], fill: 'rgba(192, 57, 43, 0.15)' }],
    axes: [{}, { label: 'bpm' }, { side: 1, scale: '%', label: 'SpO2 %', grid: { show: false } }],
    scales: { '%': { range: [80, 100] } },
  }, data, box);
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
