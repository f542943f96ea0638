// One EventSource per page (see realtime.rs): each `changement` event calls the
// callbacks registered by the page. The browser reconnects by itself after a
// network cut; a change missed meanwhile is caught by the next one.
let source = null;
const callbacks = [];

export function ecouterChangements(url, callback) {
  callbacks.push(callback);
  if (!source && typeof EventSource !== 'undefined') {
    source = new EventSource(url);
    source.addEventListener('changement', () => {
      for (const cb of callbacks) cb();
    });
  }
}
