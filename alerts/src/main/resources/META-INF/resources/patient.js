'use strict';
// The patient page: trends over 24 hours, 7 or 30 days (heart-rate band, SpO2, blood pressure) with
// the alert timeline on the same time axis, each arrhythmia alert's ECG strip drawn like paper ECG,
// and the recent readings. Charts are uPlot; every figure comes from the JSON API.

const patientId = new URLSearchParams(location.search).get('id') || '';
const patientPath = '/api/patients/' + encodeURIComponent(patientId);
const RANGE_SECONDS = { '24h': 24 * 3600, '7d': 7 * 24 * 3600, '30d': 30 * 24 * 3600 };
const ARRHYTHMIAS = ['VENTRICULAR_TACHYCARDIA', 'BIGEMINY', 'FREQUENT_PVC', 'ATRIAL_FIBRILLATION', 'PAUSE', 'BRADYCARDIA',
  'TACHYCARDIA'];
const KIND_COLOURS = { VENTRICULAR_TACHYCARDIA: '#6d0010', BIGEMINY: '#a3462a', FREQUENT_PVC: '#c07a12',
  ATRIAL_FIBRILLATION: '#7b1fa2', PAUSE: '#b00020', BRADYCARDIA: '#1f5fa8',
  TACHYCARDIA: '#c0392b', LOW_SPO2: '#00838f', HIGH_SYSTOLIC: '#e65100', LOW_SYSTOLIC: '#6d4c41',
  SIGNAL_LOSS: '#5c6370', SOURCE_DISAGREEMENT: '#5c6370', DATA_NOT_ANALYSED: '#5c6370', UNKNOWN: '#444' };
const trendCharts = [];
let ecgChart = null;

function chartWidth(box) {
  return Math.max(box.clientWidth, 320);
}

async function loadPatient() {
  try {
    const patient = await api(patientPath);
    document.getElementById('patient-name').textContent = patient.name;
    document.title = 'CardioWatch — ' + patient.name;
    const status = document.getElementById('patient-status');
    status.textContent = patient.status;
    status.className = 'status ' + patient.status;
    return true;
  } catch (error) {
    document.querySelector('main').replaceChildren(text('p', error.status === 404
      ? 'No such patient in your care team.' : 'The patient could not be loaded (' + error.message + ').', 'empty'));
    return false;
  }
}

async function showRange(range) {
  document.querySelectorAll('.ranges button').forEach(button =>
    button.setAttribute('aria-pressed', String(button.dataset.range === range)));
  trendCharts.splice(0).forEach(chart => chart.destroy());
  const message = document.getElementById('trends-message');
  message.replaceChildren();
  let trend;
  let episodes;
  try {
    [trend, episodes] = await Promise.all([api(patientPath + '/trends?range=' + range),
      api(patientPath + '/alerts?range=' + range)]);
  } catch (error) {
    message.append(text('p', error.status === 503 ? 'History is off on this installation.'
      : 'Trends unavailable (' + error.message + ').', 'empty'));
    document.getElementById('episodes').replaceChildren();
    return;
  }
  const end = Date.now() / 1000;
  const timeWindow = [end - RANGE_SECONDS[range], end];
  const points = trend.points;
  if (points.length === 0) message.append(text('p', 'No closed minute in this range yet.', 'empty'));
  const t = points.map(p => p.time / 1000);
  drawTrend('hr-chart', timeWindow, [t, points.map(p => p.heartRateMin), points.map(p => p.heartRateMean),
    points.map(p => p.heartRateMax)], {
    series: [{}, { label: 'HR min', stroke: '#c0392b', width: 1 }, { label: 'HR mean (bpm)', stroke: '#7b1d12', width: 2 },
      { label: 'HR max', stroke: '#c0392b', width: 1 }],
    bands: [{ series: [3, 1], fill: 'rgba(192, 57, 43, 0.15)' }],
    axes: [{}, { label: 'bpm' }],
  });
  drawTrend('spo2-chart', timeWindow, [t, points.map(p => p.spo2Mean)], {
    series: [{}, { label: 'SpO2 mean (%)', stroke: '#1f5fa8', width: 2 }],
    axes: [{}, { label: 'SpO2 %' }],
    scales: { y: { range: [80, 100] } },
  });
  drawTrend('bp-chart', timeWindow, [t, points.map(p => p.systolicMean), points.map(p => p.diastolicMean)], {
    series: [{}, { label: 'Systolic (mmHg)', stroke: '#e65100', width: 2 }, { label: 'Diastolic (mmHg)', stroke: '#6d4c41', width: 2 }],
    axes: [{}, { label: 'mmHg' }],
  });
  drawTimeline(timeWindow, episodes);
  renderEpisodes(episodes);
}

// The charts' time axes in the hospital's time zone, as every time on the page.
function inHospitalZone(seconds) {
  return uPlot.tzDate(new Date(seconds * 1000), displayTimeZone);
}

// Every trend chart shares the range's time axis and the cursor, so a moment reads across all.
function drawTrend(boxId, timeWindow, data, options) {
  const box = document.getElementById(boxId);
  box.replaceChildren();
  const scales = { ...(options.scales || {}), x: { time: true, range: () => timeWindow } };
  const series = [{ value: (u, seconds) => seconds == null ? '–' : dateTime(new Date(seconds * 1000).toISOString()) },
    ...options.series.slice(1)];
  const axes = [{ values: axisTimes }, ...options.axes.slice(1)];
  trendCharts.push(new uPlot({ width: chartWidth(box), height: 170, cursor: { sync: { key: 'patient' } },
    tzDate: inHospitalZone, ...options, scales, series, axes }, data, box));
}

// Time-axis labels on a 24-hour clock in the hospital's zone, the date under the first tick of each day.
function axisTimes(u, splits) {
  let lastDay = null;
  return splits.map(seconds => {
    const at = new Date(seconds * 1000);
    const day = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: displayTimeZone });
    const hours = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: displayTimeZone });
    const label = day === lastDay ? hours : hours + '\n' + day;
    lastDay = day;
    return label;
  });
}

// The alert timeline: one row per alert kind, a thick bar from onset to end (or now, while open).
function drawTimeline(timeWindow, episodes) {
  const box = document.getElementById('timeline-chart');
  box.replaceChildren();
  if (episodes.length === 0) return;
  const kinds = [...new Set(episodes.map(e => e.kind))].sort();
  const spans = episodes.map(e => ({ kind: e.kind, from: Math.max(Date.parse(e.openedAt) / 1000, timeWindow[0]),
    to: e.resolvedAt ? Date.parse(e.resolvedAt) / 1000 : timeWindow[1] }));
  // Each span's end and the instant after it, so two episodes of one kind are not joined.
  const times = [...new Set(spans.flatMap(s => [s.from, s.to, s.to + 0.001]))].sort((a, b) => a - b);
  const rows = kinds.map((kind, row) => times.map(at =>
    spans.some(s => s.kind === kind && s.from <= at && at <= s.to) ? row + 1 : null));
  trendCharts.push(new uPlot({
    width: chartWidth(box), height: 60 + 28 * kinds.length, cursor: { sync: { key: 'patient' } }, legend: { show: false },
    tzDate: inHospitalZone,
    scales: { x: { time: true, range: () => timeWindow }, y: { range: () => [0.5, kinds.length + 0.5] } },
    series: [{}, ...kinds.map(kind => ({ label: kindLabel(kind), stroke: KIND_COLOURS[kind] || '#444', width: 12,
      points: { show: true, size: 12, fill: KIND_COLOURS[kind] || '#444' } }))],
    axes: [{ values: axisTimes }, { size: 150, splits: () => kinds.map((k, i) => i + 1),
      values: (u, splits) => splits.map(v => kindLabel(kinds[v - 1] || '')) }],
  }, [times, ...rows], box));
}

// What the alert showed: its worst value first, what it rests on, and the devices that showed it.
function evidenceCell(episode) {
  const cell = text('td', undefined, 'evidence');
  const worst = worstText(episode.worstValue, episode.measure);
  if (worst) cell.append(text('strong', worst, 'worst'), document.createElement('br'));
  cell.append(document.createTextNode(episode.summary || ''));
  if (episode.sources && episode.sources.length > 0) {
    cell.append(document.createElement('br'), text('small', 'Devices: ' + episode.sources.join(', '), 'sources'));
  }
  return cell;
}

function renderEpisodes(episodes) {
  const box = document.getElementById('episodes');
  box.replaceChildren();
  if (episodes.length === 0) { box.append(text('p', 'No alerts in this range.', 'empty')); return; }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  ['Alert', 'Onset', 'End', 'Severity', 'Evidence', 'How it ended', 'ECG'].forEach(h => head.append(text('th', h)));
  const body = table.createTBody();
  for (const episode of [...episodes].reverse()) {
    const row = body.insertRow();
    row.dataset.kind = episode.kind;
    row.append(text('td', kindLabel(episode.kind)), text('td', dateTime(episode.openedAt)),
      text('td', episode.resolvedAt ? dateTime(episode.resolvedAt) : 'ongoing'), text('td', episode.severity),
      evidenceCell(episode), text('td', episode.resolution || (episode.resolvedAt ? '' : 'ongoing'), 'resolution'));
    const cell = text('td');
    if (ARRHYTHMIAS.includes(episode.kind)) {
      const button = text('button', 'ECG strip', 'strip');
      button.setAttribute('aria-label', 'ECG strip around the onset of ' + kindLabel(episode.kind) + ' at '
        + dateTime(episode.openedAt));
      button.addEventListener('click', () => showStrip(episode));
      cell.append(button);
    }
    row.append(cell);
  }
  box.append(table);
}

const PX_PER_MM = 4;
const MM_PER_SECOND = 25;
const MM_PER_MILLIVOLT = 10;
const MILLIVOLTS = [-1.5, 2.5];

// Grid positions of an ECG axis: from..to in steps, computed in whole steps so they stay exact.
function steps(from, to, step) {
  const positions = [];
  for (let k = Math.round(from / step); k <= Math.round(to / step); k++) positions.push(Number((k * step).toFixed(3)));
  return positions;
}

async function showStrip(episode) {
  const box = document.getElementById('ecg');
  document.getElementById('ecg-caption').textContent = '— ' + kindLabel(episode.kind) + ', onset ' + dateTime(episode.openedAt);
  if (ecgChart) { ecgChart.destroy(); ecgChart = null; }
  box.replaceChildren(text('p', 'Loading…', 'empty'));
  const strip = await api(patientPath + '/ecg?at=' + encodeURIComponent(episode.openedAt));
  box.replaceChildren();
  if (!strip || strip.samplesMicroVolts.length === 0) {
    box.append(text('p', 'No ECG was recorded around this onset, or it is older than the ECG topic keeps.', 'empty'));
    return;
  }
  document.getElementById('ecg-caption').textContent += ', lead ' + strip.lead + ', device ' + strip.deviceId;
  const onset = Date.parse(episode.openedAt) / 1000;
  const from = Date.parse(strip.from) / 1000 - onset;
  const to = Date.parse(strip.to) / 1000 - onset;
  const rate = strip.sampleRateHz;
  const xs = strip.samplesMicroVolts.map((v, i) => from + i / rate);
  const millivolts = strip.samplesMicroVolts.map(v => (v === null ? null : v / 1000));
  // Each detected beat marked above the trace; ventricular (V) beats in red, lower, so they stand out.
  const beatMarks = xs.map(() => null);
  const ventricularMarks = xs.map(() => null);
  for (const beat of strip.beats) {
    const index = Math.round((Date.parse(beat.at) / 1000 - onset - from) * rate);
    if (index < 0 || index >= beatMarks.length) continue;
    if (beat.beatClass === 'V') ventricularMarks[index] = MILLIVOLTS[1] - 0.6;
    else beatMarks[index] = MILLIVOLTS[1] - 0.3;
  }
  const minor = { stroke: '#f6c9c9', width: 0.5 };
  const major = { stroke: '#e08a8a', width: 1 };
  const blank = (u, splits) => splits.map(() => '');
  const axisSpace = 50;
  ecgChart = new uPlot({
    width: Math.round((to - from) * MM_PER_SECOND * PX_PER_MM) + axisSpace,
    height: Math.round((MILLIVOLTS[1] - MILLIVOLTS[0]) * MM_PER_MILLIVOLT * PX_PER_MM) + axisSpace,
    legend: { show: false }, cursor: { show: false },
    scales: { x: { time: false, range: () => [from, to] }, mV: { range: () => MILLIVOLTS } },
    series: [{}, { label: 'ECG lead ' + strip.lead + ' (mV)', scale: 'mV', stroke: '#111', width: 1.2, spanGaps: false },
      { label: 'Detected beat', scale: 'mV', stroke: '#1f5fa8', paths: () => null,
        points: { show: true, size: 9, stroke: '#1f5fa8', fill: '#1f5fa8' } },
      { label: 'Ventricular beat (V)', scale: 'mV', stroke: '#c00018', paths: () => null,
        points: { show: true, size: 12, stroke: '#c00018', fill: '#c00018' } }],
    axes: [
      { scale: 'x', side: 2, splits: () => steps(from, to, 0.04), values: blank, grid: minor, ticks: { show: false },
        size: 0 },
      { scale: 'x', side: 2, splits: () => steps(from, to, 0.2), grid: major, ticks: { show: false },
        values: (u, splits) => splits.map(v => (Math.abs(v - Math.round(v)) < 1e-6 ? Math.round(v) + ' s' : '')) },
      { scale: 'mV', side: 3, splits: () => steps(MILLIVOLTS[0], MILLIVOLTS[1], 0.1), values: blank, grid: minor,
        ticks: { show: false }, size: 0 },
      { scale: 'mV', side: 3, splits: () => steps(MILLIVOLTS[0], MILLIVOLTS[1], 0.5), grid: major, ticks: { show: false },
        values: (u, splits) => splits.map(v => v.toFixed(1)), size: axisSpace },
    ],
  }, [xs, millivolts, beatMarks, ventricularMarks], box);
  box.dataset.beats = String(strip.beats.length);
  box.dataset.ventricularBeats = String(strip.beats.filter(beat => beat.beatClass === 'V').length);
  // Open the strip at two seconds before the onset, where the clinician looks first.
  requestAnimationFrame(() => { box.scrollLeft = Math.max(0, (-from - 2) * MM_PER_SECOND * PX_PER_MM); });
}

async function showRecentVitals() {
  const readings = (await api(patientPath + '/vitals') || []).slice(-20).reverse();
  const box = document.getElementById('vitals');
  box.replaceChildren();
  if (readings.length === 0) { box.append(text('p', 'No recent readings.', 'empty')); return; }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  ['Time', 'Device', 'Heart rate (bpm)', 'SpO2 (%)', 'Blood pressure (mmHg)'].forEach(h => head.append(text('th', h)));
  const body = table.createTBody();
  for (const r of readings) {
    const row = body.insertRow();
    row.append(text('td', time(r.measuredAt)), text('td', r.deviceId), text('td', r.heartRateBpm ?? '–'), text('td', r.spo2Percent ?? '–'),
      text('td', r.systolicMmHg ? Math.round(r.systolicMmHg) + '/' + Math.round(r.diastolicMmHg) : '–'));
  }
  box.append(table);
}

document.querySelectorAll('.ranges button').forEach(button =>
  button.addEventListener('click', () => showRange(button.dataset.range)));
showSignedInUser();
signedIn.then(loadPatient).then(found => {
  if (!found) return;
  showRange('24h');
  showRecentVitals();
});
