'use strict';
// "Tell me by": the clinician's own choice of personal channels (e-mail, push on their devices), within what
// their team's notification policy uses; the hospital's paging system is the policy's alone. Refusals show
// the server's reason.

async function setUpChannelChoice() {
  const section = document.getElementById('notifications');
  const boxes = [...document.querySelectorAll('#channel-choice input[name=channel]')];
  const status = document.getElementById('channels-status');
  let mine;
  try {
    mine = await api('/api/notifications/channels');
  } catch (notAClinician) {
    section.hidden = true; // an account that is told of no alert
    return;
  }
  boxes.forEach(box => { box.checked = mine.channels.includes(box.value); });
  document.getElementById('channels-save').addEventListener('click', async () => {
    const channels = boxes.filter(box => box.checked).map(box => box.value);
    const response = await fetch('/api/notifications/channels', {
      method: 'PUT', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channels })
    });
    const answer = await response.json().catch(() => ({}));
    status.textContent = response.ok ? t('channels.saved') : t('channels.refused', answer.error || response.status);
    status.className = response.ok ? 'push-status' : 'push-status refused';
  });
}

signedIn.then(setUpChannelChoice);
