'use strict';
// The dashboard: patient list and the live alert inbox (WebSocket), acknowledged with one click.
// Everything comes from the JSON API under /api with the session cookie of the login form.

const alerts = new Map();
let patients = [];

async function loadPatients() {
  patients = await api('/api/patients') || [];
  const list = document.getElementById('patients');
  list.replaceChildren();
  if (patients.length === 0) list.append(text('li', t('dashboard.noPatients'), 'empty'));
  for (const patient of patients) {
    const item = text('li', undefined, 'patient');
    item.tabIndex = 0;
    item.setAttribute('role', 'link');
    item.dataset.patientId = patient.id;
    item.append(text('span', patient.name), text('span', t('status.' + patient.status), 'status ' + patient.status));
    item.addEventListener('click', () => { location.href = patientPage(patient.id); });
    item.addEventListener('keydown', event => { if (event.key === 'Enter') location.href = patientPage(patient.id); });
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

// Clinical alerts first, technical ones (signal loss) apart below them; in each, most severe and
// newest first.
function renderInbox(freshId) {
  const inbox = document.getElementById('inbox');
  inbox.replaceChildren();
  const open = [...alerts.values()].filter(alert => alert.state !== 'RESOLVED')
    .sort((a, b) => (SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]) || b.openedAt.localeCompare(a.openedAt));
  const clinical = open.filter(alert => !alert.technical);
  const technical = open.filter(alert => alert.technical);
  if (clinical.length === 0) inbox.append(text('p', t('dashboard.noClinicalAlerts'), 'empty'));
  clinical.forEach(alert => inbox.append(alertCard(alert, freshId, acknowledge)));
  if (technical.length > 0) {
    inbox.append(text('h3', t('dashboard.technical'), 'technical-title'));
    technical.forEach(alert => inbox.append(alertCard(alert, freshId, acknowledge)));
  }
}

async function acknowledge(id) {
  const updated = await api('/api/alerts/' + encodeURIComponent(id) + '/ack', { method: 'POST' });
  if (updated) { alerts.set(updated.id, updated); renderInbox(); }
}

function connect() {
  const live = document.getElementById('live');
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/alerts');
  socket.onopen = () => { live.textContent = t('live.on'); live.className = 'live'; };
  socket.onmessage = event => {
    const message = JSON.parse(event.data);
    if (message.type === 'hello') {
      document.getElementById('user').textContent = message.user;
      addSignOut();
    }
    if (message.type === 'alert') {
      alerts.set(message.alert.id, message.alert);
      renderInbox(message.alert.id);
      loadPatients();
    }
  };
  socket.onclose = () => {
    live.textContent = t('live.off'); live.className = 'live off';
    setTimeout(() => { loadAlerts(); connect(); }, 3000);
  };
}

signedIn.then(me => {
  addPolicyLink(me);
  loadPatients();
  loadAlerts();
  connect();
});
setInterval(loadPatients, 30000);
