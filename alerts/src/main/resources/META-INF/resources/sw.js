'use strict';
// The service worker: shows CardioWatch's push notifications when no page of it is open, and opens the
// alert when one is clicked. A message names no patient (WebPushMessage); the page it opens asks for
// sign-in, and only a page of this dashboard is opened, whatever the message says.

self.addEventListener('push', event => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (unreadable) {
    message = {};
  }
  event.waitUntil(self.registration.showNotification(message.title || 'CardioWatch', {
    body: message.body || '',
    tag: message.tag,
    renotify: Boolean(message.tag),
    requireInteraction: message.critical === true,
    data: { url: message.url || '/' }
  }));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  const link = new URL(event.notification.data && event.notification.data.url || '/', self.location.origin);
  event.waitUntil(self.clients.openWindow(new URL(link.pathname + link.search, self.location.origin).href));
});
