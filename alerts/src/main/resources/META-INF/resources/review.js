'use strict';
// The daily review worklist: every patient of the care team with the last 24 hours summarised,
// who needs attention first; a clinician marks a patient reviewed (audited on the server).

function figure(value, digits = 0) {
  return value === null || value === undefined ? '–' : number(value, digits);
}

// Each cell with its column's name, so the table can stack into one card per patient on a narrow screen.
const COLUMNS = ['review.patient', 'review.attention', 'review.heartRate', 'review.afBurden', 'review.pauses',
  'review.ventricularTachycardia', 'review.ectopicBurden', 'review.desaturation', 'review.data', 'review.alerts',
  'review.open', 'review.reviewed', 'review.action'];

function cells(row) {
  return [
    patientLink(row),
    text('td', row.attention, 'attention'),
    text('td', figure(row.heartRateMin) + ' / ' + figure(row.heartRateMean) + ' / ' + figure(row.heartRateMax)),
    text('td', row.afMinutes > 0 ? t('review.afValue', number(row.afBurdenPercent, 1), row.afMinutes) : '0'),
    text('td', row.pauses),
    text('td', row.ventricularTachycardias + (row.longestVentricularRun
      ? ' ' + t('review.longestRun', row.longestVentricularRun) : '')),
    text('td', row.ventricularBurdenPercent === null || row.ventricularBurdenPercent === undefined ? '–'
      : figure(row.ventricularBurdenPercent, 1) + ' % / ' + figure(row.supraventricularBurdenPercent, 1) + ' %',
    'ectopic-burden'),
    text('td', figure(row.desaturationMinutes)),
    text('td', row.hoursWithData === null || row.hoursWithData === undefined ? '–'
      : row.hoursWithData + ' / ' + row.hoursMonitored),
    text('td', row.alertsRaised + ' / ' + row.alertsAcknowledged),
    text('td', row.openAlerts + (row.openCritical > 0 ? ' ' + t('review.openCritical', row.openCritical) : '')),
    text('td', row.reviewedBy ? row.reviewedBy + ', ' + dateTime(row.reviewedAt) : t('review.notYet'), 'reviewed-by'),
  ];
}

function patientLink(row) {
  const cell = text('td', undefined, 'patient-name');
  const link = text('a', row.name);
  link.href = patientPage(row.patientId);
  cell.append(link);
  return cell;
}

async function loadReview() {
  const rows = await api('/api/review') || [];
  const box = document.getElementById('review');
  box.replaceChildren();
  if (rows.length === 0) { box.append(text('p', t('review.noPatients'), 'empty')); return; }
  const table = text('table', undefined, 'stacking');
  const head = table.createTHead().insertRow();
  COLUMNS.forEach(key => head.append(text('th', t(key))));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    tr.dataset.patientId = row.patientId;
    tr.className = row.reviewedToday ? 'reviewed' : '';
    const action = text('td', undefined, 'action');
    if (!row.reviewedToday) {
      const button = text('button', t('review.markReviewed'), 'mark-reviewed');
      button.setAttribute('aria-label', t('review.markReviewedLabel', row.name));
      button.addEventListener('click', () => markReviewed(row, tr, button));
      action.append(button);
    }
    [...cells(row), action].forEach((cell, column) => {
      cell.dataset.label = t(COLUMNS[column]);
      tr.append(cell);
    });
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
    ? t('review.noNotifications')
    : t('review.notifications', load.map(l => t('review.notificationsSent', l.clinician, l.sent)
      + (l.cancelled ? t('review.notificationsCancelled', l.cancelled) : '')
      + (l.failed ? t('review.notificationsFailed', l.failed) : '')).join('; '));
}

showSignedInUser();
signedIn.then(() => {
  loadReview();
  loadNotificationLoad();
});
