'use strict';
// The teams' notification policies, for admins: pick a team (or type a new one), edit its rules, quiet hours
// and on-call roster, save. The server checks every field and its reason is shown when it refuses one.

const PRIORITIES = ['CRITICAL', 'WARNING', 'TECHNICAL'];
const CHANNELS = ['WEBHOOK', 'EMAIL', 'WEB_PUSH'];
let policies = [];

function ruleRow(priority) {
  const row = text('tr');
  row.dataset.priority = priority;
  row.append(text('td', t('policy.priority.' + priority), 'priority'));
  const notify = document.createElement('input');
  notify.type = 'checkbox';
  notify.name = 'notify';
  notify.setAttribute('aria-label', t('policy.notify') + ' — ' + priority);
  row.append(cell(notify));
  for (const channel of CHANNELS) {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'channel';
    box.value = channel;
    box.setAttribute('aria-label', t('policy.' + channel) + ' — ' + priority);
    row.append(cell(box));
  }
  const repeat = document.createElement('input');
  repeat.type = 'number';
  repeat.name = 'repeat';
  repeat.setAttribute('aria-label', t('policy.repeat') + ' — ' + priority);
  row.append(cell(repeat));
  return row;
}

function cell(input) {
  const td = text('td');
  td.append(input);
  return td;
}

// datetime-local shows and takes the browser's local time; the API takes instants.
function localInput(iso) {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function shiftRow(shift) {
  const row = text('tr', undefined, 'shift');
  const clinician = Object.assign(document.createElement('input'), { name: 'clinician', value: shift ? shift.clinician : '' });
  const from = Object.assign(document.createElement('input'), { type: 'datetime-local', name: 'from' });
  const to = Object.assign(document.createElement('input'), { type: 'datetime-local', name: 'to' });
  if (shift) { from.value = localInput(shift.from); to.value = localInput(shift.to); }
  clinician.setAttribute('aria-label', t('policy.clinician'));
  const remove = text('button', t('push.remove'), 'remove');
  remove.type = 'button';
  remove.addEventListener('click', () => row.remove());
  row.append(cell(clinician), cell(from), cell(to), cell(remove));
  return row;
}

function show(policy) {
  for (const row of document.querySelectorAll('#policy-rules tr')) {
    const rule = policy.rules.find(r => r.priority === row.dataset.priority);
    row.querySelector('input[name=notify]').checked = Boolean(rule);
    row.querySelectorAll('input[name=channel]').forEach(box => { box.checked = Boolean(rule) && rule.channels.includes(box.value); });
    row.querySelector('input[name=repeat]').value = rule && rule.repeatEveryMinutes ? rule.repeatEveryMinutes : '';
  }
  document.getElementById('quiet-on').checked = Boolean(policy.quietHours);
  if (policy.quietHours) {
    document.getElementById('quiet-from').value = policy.quietHours.from;
    document.getElementById('quiet-to').value = policy.quietHours.to;
  }
  document.getElementById('on-call-after').value = policy.onCallAfterMinutes || '';
  const roster = document.getElementById('roster');
  roster.replaceChildren(...(policy.onCall || []).map(shiftRow));
}

function read() {
  const rules = [...document.querySelectorAll('#policy-rules tr')]
    .filter(row => row.querySelector('input[name=notify]').checked)
    .map(row => {
      const repeat = row.querySelector('input[name=repeat]').value;
      return {
        priority: row.dataset.priority,
        channels: [...row.querySelectorAll('input[name=channel]:checked')].map(box => box.value),
        repeatEveryMinutes: repeat === '' ? null : Number(repeat)
      };
    });
  const onCallAfter = document.getElementById('on-call-after').value;
  return {
    rules,
    quietHours: document.getElementById('quiet-on').checked
      ? { from: document.getElementById('quiet-from').value, to: document.getElementById('quiet-to').value } : null,
    onCallAfterMinutes: onCallAfter === '' ? null : Number(onCallAfter),
    onCall: [...document.querySelectorAll('#roster tr')].map(row => ({
      clinician: row.querySelector('input[name=clinician]').value.trim(),
      from: row.querySelector('input[name=from]').value ? new Date(row.querySelector('input[name=from]').value).toISOString() : null,
      to: row.querySelector('input[name=to]').value ? new Date(row.querySelector('input[name=to]').value).toISOString() : null
    }))
  };
}

async function loadPolicies(selected) {
  policies = await api('/api/admin/notification-policies') || [];
  const teams = document.getElementById('policy-teams');
  teams.replaceChildren(...policies.map(policy => Object.assign(document.createElement('option'), { value: policy.team })));
  const team = document.getElementById('policy-team');
  team.value = selected || team.value || 'default';
  const policy = policies.find(p => p.team === team.value);
  if (policy) show(policy);
}

async function save(event) {
  event.preventDefault();
  const status = document.getElementById('policy-status');
  const team = document.getElementById('policy-team').value.trim();
  const response = await fetch('/api/admin/notification-policies/' + encodeURIComponent(team), {
    method: 'PUT', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(read())
  });
  const answer = await response.json().catch(() => ({}));
  status.textContent = response.ok ? t('policy.saved', answer.team) : t('channels.refused', answer.error || response.status);
  status.className = response.ok ? 'form-status' : 'form-status refused';
  if (response.ok) setTimeout(() => loadPolicies(team), 500);
}

document.getElementById('add-shift').addEventListener('click', () => document.getElementById('roster').append(shiftRow(null)));
document.getElementById('policy-team').addEventListener('change', event => {
  const policy = policies.find(p => p.team === event.target.value);
  if (policy) show(policy);
});
document.getElementById('policy-form').addEventListener('submit', save);
signedIn.then(() => {
  document.getElementById('policy-rules').replaceChildren(...PRIORITIES.map(ruleRow));
  loadPolicies();
});
showSignedInUser();
