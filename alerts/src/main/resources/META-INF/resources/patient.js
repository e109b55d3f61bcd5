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
// Every chart's value axis (with its label's room) and padding are the same, so all plot areas, and so their
// time axes, start and end at the same pixels; uPlot would otherwise size each from its own labels.
const VALUE_AXIS_PX = 150;
const AXIS_LABEL_PX = 30;
const PLOT_PADDING = [10, 24, 0, 8];
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
    status.textContent = t('status.' + patient.status);
    status.className = 'status ' + patient.status;
    return true;
  } catch (error) {
    document.querySelector('main').replaceChildren(text('p', error.status === 404
      ? t('patient.notFound') : t('patient.unavailable', error.message), 'empty'));
    return false;
  }
}

// The range shown: the chosen one, or from a little before the first data when there is less than it.
function timeWindowOf(range, points, episodes) {
  const end = Date.now() / 1000;
  const start = end - RANGE_SECONDS[range];
  const firsts = [...points.slice(0, 1).map(p => p.time / 1000), ...episodes.map(e => Date.parse(e.openedAt) / 1000)];
  const first = Math.min(...firsts);
  if (!Number.isFinite(first) || first <= start) return { window: [start, end], since: null };
  const margin = Math.max(60, (end - first) * 0.03);
  return { window: [Math.max(start, first - margin), end], since: first };
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
    message.append(text('p', error.status === 503 ? t('patient.historyOff') : t('patient.trendsUnavailable', error.message),
      'empty'));
    document.getElementById('episodes').replaceChildren();
    return;
  }
  const points = trend.points;
  const shown = timeWindowOf(range, points, episodes);
  if (points.length === 0) message.append(text('p', t('patient.noMinute'), 'empty'));
  else if (shown.since) {
    message.append(text('p', t('patient.dataSince', dateTime(new Date(shown.since * 1000).toISOString())), 'since'));
  }
  const times = points.map(p => p.time / 1000);
  drawTrend('hr-chart', shown.window, [times, points.map(p => p.heartRateMin), points.map(p => p.heartRateMean),
    points.map(p => p.heartRateMax)], {
    series: [{}, { label: t('patient.hrMin'), stroke: '#c0392b', width: 1 },
      { label: t('patient.hrMean'), stroke: '#7b1d12', width: 2 },
      { label: t('patient.hrMax'), stroke: '#c0392b', width: 1 }],
    bands: [{ series: [3, 1], fill: 'rgba(192, 57, 43, 0.15)' }],
    axes: [{}, { label: t('unit.bpmAxis') }],
    emptyRange: [40, 160],
  });
  drawTrend('spo2-chart', shown.window, [times, points.map(p => p.spo2Mean)], {
    series: [{}, { label: t('patient.spo2Mean'), stroke: '#1f5fa8', width: 2, digits: 1 }],
    axes: [{}, { label: t('unit.spo2Axis') }],
    scales: { y: { range: [80, 100] } },
  });
  drawTrend('bp-chart', shown.window, [times, points.map(p => p.systolicMean), points.map(p => p.diastolicMean)], {
    series: [{}, { label: t('patient.systolic'), stroke: '#e65100', width: 2 },
      { label: t('patient.diastolic'), stroke: '#6d4c41', width: 2 }],
    axes: [{}, { label: t('unit.mmHgAxis') }],
    emptyRange: [60, 180],
  });
  drawTimeline(shown.window, episodes);
  renderEpisodes(episodes);
}

// The charts' time axes in the hospital's time zone, as every time on the page.
function inHospitalZone(seconds) {
  return uPlot.tzDate(new Date(seconds * 1000), displayTimeZone);
}

// The series' latest value, shown in the legend while the cursor is elsewhere (uPlot shows "--" there).
function latestIndex(u, seriesIndex) {
  const values = u.data[seriesIndex];
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return i;
  return null;
}

function legendValue(digits) {
  return (u, value, seriesIndex, index) => {
    const at = index === null ? latestIndex(u, seriesIndex) : index;
    const shown = at === null ? null : u.data[seriesIndex][at];
    return shown === null || shown === undefined ? '–' : number(shown, digits);
  };
}

function legendTime(u, value, seriesIndex, index) {
  if (index === null) {
    const last = u.data[0].length - 1;
    return last < 0 ? '–' : t('patient.latest', dateTime(new Date(u.data[0][last] * 1000).toISOString()));
  }
  return dateTime(new Date(value * 1000).toISOString());
}

// Every trend chart shares the range's time axis and the cursor, so a moment reads across all.
function drawTrend(boxId, timeWindow, data, options) {
  const box = document.getElementById(boxId);
  box.replaceChildren();
  // Without data uPlot would hide the value axis, and the plot would no longer start where the others do.
  const y = (options.scales && options.scales.y) || { range: (u, min, max) => (min === null || max === null
    ? options.emptyRange : uPlot.rangeNum(min, max, 0.1, true)) };
  const scales = { y, x: { time: true, range: () => timeWindow } };
  const series = [{ label: t('patient.time'), value: legendTime },
    ...options.series.slice(1).map(s => ({ ...s, value: legendValue(s.digits || 0) }))];
  const axes = [{ values: axisTimes }, { ...options.axes[1], size: VALUE_AXIS_PX, labelSize: AXIS_LABEL_PX }];
  trendCharts.push(new uPlot({ width: chartWidth(box), height: 170, padding: PLOT_PADDING,
    cursor: { sync: { key: 'patient' } },
    tzDate: inHospitalZone, ...options, scales, series, axes, hooks: { draw: [recordTimeTicks] } }, data, box));
}

// Time-axis labels on a 24-hour clock in the hospital's zone, the date under the first tick of each day.
function axisTimes(u, splits) {
  u.timeTicks = splits;
  // Ticks closer than a minute (a patient monitored for minutes) show their seconds.
  const seconds = splits.length > 1 && splits[1] - splits[0] < 60 ? { second: '2-digit' } : {};
  let lastDay = null;
  return splits.map(tick => {
    const at = new Date(tick * 1000);
    const day = at.toLocaleDateString(locale, { day: 'numeric', month: 'short', timeZone: displayTimeZone });
    const hours = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', ...seconds, hourCycle: 'h23',
      timeZone: displayTimeZone });
    const label = day === lastDay ? hours : hours + '\n' + day;
    lastDay = day;
    return label;
  });
}

// Where each time tick is on the page, in pixels: the charts and the timeline must agree (a browser test compares).
function recordTimeTicks(u) {
  const left = u.over.getBoundingClientRect().left + window.scrollX;
  const ticks = (u.timeTicks || []).map(seconds => Math.round(left + u.valToPos(seconds, 'x')));
  u.root.parentElement.dataset.timeTicks = JSON.stringify(ticks);
}

// The alert timeline: one row per alert kind, a thick bar from onset to end (or now, while open).
function drawTimeline(timeWindow, episodes) {
  const box = document.getElementById('timeline-chart');
  box.replaceChildren();
  delete box.dataset.timeTicks;
  if (episodes.length === 0) return;
  const kinds = [...new Set(episodes.map(e => e.kind))].sort();
  const spans = episodes.map(e => ({ kind: e.kind, from: Math.max(Date.parse(e.openedAt) / 1000, timeWindow[0]),
    to: e.resolvedAt ? Date.parse(e.resolvedAt) / 1000 : timeWindow[1] }));
  // Each span's end and the instant after it, so two episodes of one kind are not joined.
  const times = [...new Set(spans.flatMap(s => [s.from, s.to, s.to + 0.001]))].sort((a, b) => a - b);
  const rows = kinds.map((kind, row) => times.map(at =>
    spans.some(s => s.kind === kind && s.from <= at && at <= s.to) ? row + 1 : null));
  trendCharts.push(new uPlot({
    width: chartWidth(box), height: 60 + 28 * kinds.length, padding: PLOT_PADDING, cursor: { sync: { key: 'patient' } },
    legend: { show: false },
    tzDate: inHospitalZone,
    scales: { x: { time: true, range: () => timeWindow }, y: { range: () => [0.5, kinds.length + 0.5] } },
    series: [{}, ...kinds.map(kind => ({ label: kindLabel(kind), stroke: KIND_COLOURS[kind] || '#444', width: 12,
      points: { show: true, size: 12, fill: KIND_COLOURS[kind] || '#444' } }))],
    axes: [{ values: axisTimes }, { size: VALUE_AXIS_PX + AXIS_LABEL_PX, splits: () => kinds.map((k, i) => i + 1),
      values: (u, splits) => splits.map(v => kindLabel(kinds[v - 1] || '')) }],
    hooks: { draw: [recordTimeTicks] },
  }, [times, ...rows], box));
}

// What the alert showed: its worst value and when, what it rests on, and the devices that showed it.
function evidenceCell(episode) {
  const cell = text('td', undefined, 'evidence');
  const worst = worstText(episode.worstValue, episode.measure, episode.worstAt);
  if (worst) cell.append(text('strong', worst, 'worst'), document.createElement('br'));
  cell.append(document.createTextNode(recordedText(episode.summary)));
  if (episode.sources && episode.sources.length > 0) {
    cell.append(document.createElement('br'), text('small', t('alert.devices', episode.sources.join(', ')), 'sources'));
  }
  return cell;
}

const EPISODE_COLUMNS = ['patient.episodeKind', 'patient.onset', 'patient.end', 'patient.duration', 'patient.severity',
  'patient.evidence', 'patient.resolution', 'patient.ecgColumn'];

function renderEpisodes(episodes) {
  const box = document.getElementById('episodes');
  box.replaceChildren();
  if (episodes.length === 0) { box.append(text('p', t('patient.noEpisodes'), 'empty')); return; }
  const table = text('table', undefined, 'stacking');
  const head = table.createTHead().insertRow();
  EPISODE_COLUMNS.forEach(key => head.append(text('th', t(key))));
  const body = table.createTBody();
  for (const episode of [...episodes].reverse()) {
    const row = body.insertRow();
    row.dataset.kind = episode.kind;
    const ecg = text('td', undefined, 'action');
    if (ARRHYTHMIAS.includes(episode.kind)) {
      const button = text('button', t('patient.ecgButton'), 'strip');
      button.setAttribute('aria-label', t('patient.ecgButtonLabel', kindLabel(episode.kind), dateTime(episode.openedAt)));
      button.addEventListener('click', () => showStrip(episode));
      ecg.append(button);
    }
    [text('td', kindLabel(episode.kind), 'kind'), text('td', dateTime(episode.openedAt)),
      text('td', episode.resolvedAt ? dateTime(episode.resolvedAt) : t('patient.ongoing')),
      text('td', duration(episode.openedAt, episode.resolvedAt), 'duration'), text('td', severityLabel(episode.severity)),
      evidenceCell(episode),
      text('td', episode.resolution ? recordedText(episode.resolution) : (episode.resolvedAt ? '' : t('patient.ongoing')),
        'resolution'),
      ecg].forEach((cell, column) => {
      cell.dataset.label = t(EPISODE_COLUMNS[column]);
      row.append(cell);
    });
  }
  box.append(table);
}

const PX_PER_MM = 4;
const MM_PER_SECOND = 25;
const MM_PER_MILLIVOLT = 10;
const MILLIVOLTS = [-1.5, 2.5];
const CALIBRATION_PX = 64;

// Grid positions of an ECG axis: from..to in steps, computed in whole steps so they stay exact.
function steps(from, to, step) {
  const positions = [];
  for (let k = Math.round(from / step); k <= Math.round(to / step); k++) positions.push(Number((k * step).toFixed(3)));
  return positions;
}

// The lead's name and the calibration pulse (1 mV for 200 ms) beside the strip, at the strip's scale, so they
// stay in view however far the strip is scrolled.
function drawCalibration(u, lead) {
  const canvas = document.getElementById('ecg-calibration');
  canvas.hidden = false;
  const scale = devicePixelRatio || 1;
  const height = u.root.getBoundingClientRect().height;
  canvas.width = CALIBRATION_PX * scale;
  canvas.height = height * scale;
  canvas.style.width = CALIBRATION_PX + 'px';
  canvas.style.height = height + 'px';
  const top = u.over.getBoundingClientRect().top - canvas.getBoundingClientRect().top;
  const y = millivolts => top + u.valToPos(millivolts, 'mV');
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.strokeStyle = '#e08a8a';
  ctx.lineWidth = 1;
  for (const millivolts of steps(MILLIVOLTS[0], MILLIVOLTS[1], 0.5)) {
    ctx.beginPath();
    ctx.moveTo(0, y(millivolts));
    ctx.lineTo(CALIBRATION_PX, y(millivolts));
    ctx.stroke();
  }
  const rise = 14;
  const pulse = 0.2 * MM_PER_SECOND * PX_PER_MM;
  ctx.strokeStyle = '#111';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(4, y(0));
  ctx.lineTo(rise, y(0));
  ctx.lineTo(rise, y(1));
  ctx.lineTo(rise + pulse, y(1));
  ctx.lineTo(rise + pulse, y(0));
  ctx.lineTo(CALIBRATION_PX - 4, y(0));
  ctx.stroke();
  ctx.fillStyle = '#111';
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText(lead, 4, y(MILLIVOLTS[1]) + 16);
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText('1 mV', rise, y(1) - 4);
  canvas.dataset.lead = lead;
}

// Each RR interval in ms above its two beats.
function drawRrIntervals(u, beatTimes) {
  const ctx = u.ctx;
  const x = seconds => u.valToPos(seconds, 'x', true);
  const y = millivolts => u.valToPos(millivolts, 'mV', true);
  const scale = devicePixelRatio || 1;
  ctx.save();
  ctx.fillStyle = '#111';
  ctx.font = (10 * scale) + 'px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (let i = 1; i < beatTimes.length; i++) {
    const rr = Math.round((beatTimes[i] - beatTimes[i - 1]) * 1000);
    ctx.fillText(String(rr), x((beatTimes[i] + beatTimes[i - 1]) / 2), y(MILLIVOLTS[1] - 0.12));
  }
  ctx.restore();
}

async function showStrip(episode) {
  const box = document.getElementById('ecg');
  const caption = document.getElementById('ecg-caption');
  const hint = document.getElementById('ecg-scroll-hint');
  caption.textContent = t('patient.ecgCaption', kindLabel(episode.kind), dateTime(episode.openedAt));
  if (ecgChart) { ecgChart.destroy(); ecgChart = null; }
  hint.hidden = true;
  document.getElementById('ecg-calibration').hidden = true;
  box.replaceChildren(text('p', t('loading'), 'empty'));
  const strip = await api(patientPath + '/ecg?at=' + encodeURIComponent(episode.openedAt));
  box.replaceChildren();
  if (!strip || strip.samplesMicroVolts.length === 0) {
    box.append(text('p', t('patient.ecgNone'), 'empty'));
    return;
  }
  const onset = Date.parse(episode.openedAt) / 1000;
  const from = Date.parse(strip.from) / 1000 - onset;
  const to = Date.parse(strip.to) / 1000 - onset;
  const rate = strip.sampleRateHz;
  const xs = strip.samplesMicroVolts.map((v, i) => from + i / rate);
  const millivolts = strip.samplesMicroVolts.map(v => (v === null ? null : v / 1000));
  // Each detected beat marked above the trace; ventricular (V) beats in red, lower, so they stand out.
  const beatMarks = xs.map(() => null);
  const ventricularMarks = xs.map(() => null);
  const beatTimes = [];
  for (const beat of strip.beats) {
    const at = Date.parse(beat.at) / 1000 - onset;
    const index = Math.round((at - from) * rate);
    if (index < 0 || index >= beatMarks.length) continue;
    beatTimes.push(at);
    if (beat.beatClass === 'V') ventricularMarks[index] = MILLIVOLTS[1] - 0.6;
    else beatMarks[index] = MILLIVOLTS[1] - 0.3;
  }
  beatTimes.sort((a, b) => a - b);
  const meanRr = beatTimes.length > 1 ? (beatTimes[beatTimes.length - 1] - beatTimes[0]) / (beatTimes.length - 1) : null;
  caption.textContent = t('patient.ecgCaptionFull', kindLabel(episode.kind), dateTime(episode.openedAt), strip.lead,
    strip.deviceId, meanRr ? number(60 / meanRr) : '–');
  const minor = { stroke: '#f6c9c9', width: 0.5 };
  const major = { stroke: '#e08a8a', width: 1 };
  const blank = (u, splits) => splits.map(() => '');
  const axisSpace = 50;
  ecgChart = new uPlot({
    width: Math.round((to - from) * MM_PER_SECOND * PX_PER_MM) + axisSpace,
    height: Math.round((MILLIVOLTS[1] - MILLIVOLTS[0]) * MM_PER_MILLIVOLT * PX_PER_MM) + axisSpace,
    legend: { show: false }, cursor: { show: false },
    scales: { x: { time: false, range: () => [from, to] }, mV: { range: () => MILLIVOLTS } },
    series: [{}, { label: 'ECG ' + strip.lead + ' (mV)', scale: 'mV', stroke: '#111', width: 1.2, spanGaps: false },
      { label: t('patient.ecgBeat'), scale: 'mV', stroke: '#1f5fa8', paths: () => null,
        points: { show: true, size: 9, stroke: '#1f5fa8', fill: '#1f5fa8' } },
      { label: t('patient.ecgVentricularBeat'), scale: 'mV', stroke: '#c00018', paths: () => null,
        points: { show: true, size: 12, stroke: '#c00018', fill: '#c00018' } }],
    axes: [
      { scale: 'x', side: 2, splits: () => steps(from, to, 0.04), values: blank, grid: minor, ticks: { show: false },
        size: 0 },
      { scale: 'x', side: 2, splits: () => steps(from, to, 0.2), grid: major, ticks: { show: false },
        values: (u, splits) => splits.map(v => (Math.abs(v - Math.round(v)) < 1e-6 ? Math.round(v) + ' s' : '')) },
      { scale: 'mV', side: 3, splits: () => steps(MILLIVOLTS[0], MILLIVOLTS[1], 0.1), values: blank, grid: minor,
        ticks: { show: false }, size: 0 },
      { scale: 'mV', side: 3, splits: () => steps(MILLIVOLTS[0], MILLIVOLTS[1], 0.5), grid: major, ticks: { show: false },
        values: (u, splits) => splits.map(v => number(v, 1)), size: axisSpace },
    ],
    // Drawn with the strip, once uPlot has laid it out.
    hooks: { draw: [u => drawRrIntervals(u, beatTimes), u => drawCalibration(u, strip.lead)] },
  }, [xs, millivolts, beatMarks, ventricularMarks], box);
  box.dataset.beats = String(strip.beats.length);
  box.dataset.ventricularBeats = String(strip.beats.filter(beat => beat.beatClass === 'V').length);
  // Open the strip at two seconds before the onset, where the clinician looks first; say that it scrolls.
  requestAnimationFrame(() => {
    box.scrollLeft = Math.max(0, (-from - 2) * MM_PER_SECOND * PX_PER_MM);
    hint.hidden = box.scrollWidth <= box.clientWidth + 1;
  });
}

async function showRecentVitals() {
  const readings = (await api(patientPath + '/vitals') || []).slice(-20).reverse();
  const box = document.getElementById('vitals');
  box.replaceChildren();
  if (readings.length === 0) { box.append(text('p', t('patient.noReadings'), 'empty')); return; }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  ['patient.readingTime', 'patient.readingDevice', 'patient.readingHeartRate', 'patient.readingSpo2',
    'patient.readingPressure'].forEach(key => head.append(text('th', t(key))));
  const body = table.createTBody();
  const optional = (value, digits = 0) => (value === null || value === undefined ? '–' : number(value, digits));
  for (const r of readings) {
    const row = body.insertRow();
    row.append(text('td', time(r.measuredAt)), text('td', r.deviceId), text('td', optional(r.heartRateBpm)),
      text('td', optional(r.spo2Percent, 1)),
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
