'use strict';
// The daily review worklist: every patient of the care team with the last 24 hours summarised,
// who needs attention first; a clinician marks a patient reviewed (audited on the server).

function figure(value, digits = 0) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

async function loadReview() {
  const rows = await api('/api/review') || [];
  const box = document.getElementById('review');
  box.replaceChildren();
  if (rows.length === 0) { box.append(text('p', 'No patients in your care team.', 'empty')); return; }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  ['Patient', 'Attention', 'HR min / mean / max', 'AF burden', 'Pauses', 'VT episodes (longest run)',
    'PVC / SVEB burden', 'Desaturation (min)', 'Data (h with data / h monitored)',
    'Alerts raised / acknowledged', 'Open', 'Reviewed', ''].forEach(h => head.append(text('th', h)));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    tr.dataset.patientId = row.patientId;
    tr.className = row.reviewedToday ? 'reviewed' : '';
    const name = text('td');
    const link = text('a', row.name);
    link.href = patientPage(row.patientId);
    name.append(link);
    tr.append(name, text('td', row.attention, 'attention'),
      text('td', figure(row.heartRateMin) + ' / ' + figure(row.heartRateMean) + ' / ' + figure(row.heartRateMax)),
      text('td', row.afMinutes > 0 ? row.afBurdenPercent.toFixed(1) + ' % (' + row.afMinutes + ' min)' : '0'),
      text('td', row.pauses),
      text('td', row.ventricularTachycardias + (row.longestVentricularRun ? ' (' + row.longestVentricularRun + ' beats)' : '')),
      text('td', row.ventricularBurdenPercent === null || row.ventricularBurdenPercent === undefined ? '–'
        : figure(row.ventricularBurdenPercent, 1) + ' % / ' + figure(row.supraventricularBurdenPercent, 1) + ' %',
        'ectopic-burden'),
      text('td', figure(row.desaturationMinutes)), text('td', row.hoursWithData === null || row.hoursWithData === undefined ? '–'
        : row.hoursWithData + ' / ' + row.hoursMonitored),
      text('td', row.alertsRaised + ' / ' + row.alertsAcknowledged),
      text('td', row.openAlerts + (row.openCritical > 0 ? ' (' + row.openCritical + ' critical)' : '')),
      text('td', row.reviewedBy ? row.reviewedBy + ', ' + dateTime(row.reviewedAt) : 'not yet', 'reviewed-by'));
    const action = text('td');
    if (!row.reviewedToday) {
      const button = text('button', 'Mark reviewed', 'mark-reviewed');
      button.setAttribute('aria-label', 'Mark ' + row.name + ' reviewed');
      button.addEventListener('click', () => markReviewed(row, tr, button));
      action.append(button);
    }
    tr.append(action);
  }
  box.append(table);
}

async function markReviewed(row, tr, button) {
  button.disabled = true;
  const mark = await api('/api/review/' + encodeURIComponent(row.patientId) + '/reviewed', { method: 'POST' });
  if (!mark) return;
  tr.className = 'reviewed';
  tr.querySelector('.reviewed-by').textContent = mark.reviewedBy + ', ' + dateTime(mark.reviewedAt);
  button.remove();
}

// Who was paged how often about these patients in the last 24 hours (alarm fatigue shows here first).
async function loadNotificationLoad() {
  const load = await api('/api/review/notifications') || [];
  document.getElementById('notification-load').textContent = load.length === 0
    ? 'No notifications sent about these patients in the last 24 hours.'
    : 'Notifications in the last 24 hours: ' + load.map(l => l.clinician + ' ' + l.sent + ' sent'
      + (l.cancelled ? ', ' + l.cancelled + ' cancelled by an acknowledgement' : '')
      + (l.failed ? ', ' + l.failed + ' failed' : '')).join('; ') + '.';
}

showSignedInUser();
signedIn.then(() => {
  loadReview();
  loadNotificationLoad();
});
