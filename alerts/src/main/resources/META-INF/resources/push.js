'use strict';
// "Notify me on this device": Web Push through this browser's push service. The page registers the
// service worker (sw.js), asks the browser for a subscription made with the server's VAPID key, and posts
// it to /api/push/subscriptions; the list shows the clinician's devices, each one removable. Alerts are
// then pushed here even when no CardioWatch page is open.

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4);
  return Uint8Array.from(atob(base64), character => character.charCodeAt(0));
}

// What the clinician sees to tell their devices apart: the browser and the system, nothing more.
function deviceLabel() {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox'
    : /Chrome\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : 'Browser';
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows'
    : /Mac OS/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : '';
  return system ? t('push.deviceLabel', browser, system) : browser;
}

// Stores a subscription (PushSubscription.toJSON()); the server's reason when it refuses one.
async function saveSubscription(subscription) {
  const response = await fetch('/api/push/subscriptions', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...subscription, label: subscription.label || deviceLabel() })
  });
  if (!response.ok) {
    const refusal = await response.json().catch(() => ({}));
    throw new Error(refusal.error || String(response.status));
  }
  return response.json();
}

async function listDevices() {
  const list = document.getElementById('push-devices');
  const devices = await api('/api/push/subscriptions') || [];
  list.replaceChildren();
  if (devices.length === 0) list.append(text('li', t('push.noDevices'), 'empty'));
  for (const device of devices) {
    const item = text('li', t('push.device', device.label || t('push.unnamed'), dateTime(device.since)), 'device');
    const remove = text('button', t('push.remove'), 'remove');
    remove.type = 'button';
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      await api('/api/push/subscriptions/' + encodeURIComponent(device.id), { method: 'DELETE' });
      setTimeout(listDevices, 500);
    });
    item.append(' ', remove);
    list.append(item);
  }
}

// A browser whose push service cannot be reached (a network that blocks it) never answers a subscription.
const PUSH_SERVICE_WAIT_MS = 15000;

function withinWait(promise) {
  return Promise.race([promise, new Promise((resolve, reject) =>
    setTimeout(() => reject(new Error(t('push.noAnswer'))), PUSH_SERVICE_WAIT_MS))]);
}

async function setUpPushNotifications() {
  const section = document.getElementById('push-part');
  const status = document.getElementById('push-status');
  const button = document.getElementById('push-subscribe');
  let key;
  try {
    key = (await api('/api/push/key')).publicKey;
  } catch (off) {
    document.getElementById('push-part').hidden = true; // Web Push is off on this server
    return;
  }
  await listDevices();
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    status.textContent = t('push.unsupported');
    button.disabled = true;
    return;
  }
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  section.dataset.worker = 'active';
  button.disabled = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (await Notification.requestPermission() !== 'granted') {
        status.textContent = t('push.denied');
        return;
      }
      const subscription = await withinWait(registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: fromBase64Url(key)
      }));
      await saveSubscription(subscription.toJSON());
      status.textContent = t('push.on');
    } catch (failure) {
      status.textContent = t('push.failed', failure.message || String(failure));
    } finally {
      button.disabled = false;
      setTimeout(listDevices, 500);
    }
  });
}

signedIn.then(setUpPushNotifications);
