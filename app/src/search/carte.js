// The search map: Leaflet (npm `leaflet`, copied into the site at build time and
// loaded only when a map is shown), département boundaries from the product's
// own file, one marker per professional of the current result page.
// Called from the hydrated page (see map.rs); the list below the map carries the
// same information as text.

let leafletLoading = null;

// Where the site's static files are served (`/static/<hash>`, or '' at the root).
let base = '';

function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (!leafletLoading) {
    leafletLoading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = `${base}/leaflet/leaflet.css`;
      document.head.appendChild(css);
      const script = document.createElement('script');
      script.src = `${base}/leaflet/leaflet.js`;
      script.onload = () => resolve(window.L);
      script.onerror = () => reject(new Error('Leaflet introuvable'));
      document.head.appendChild(script);
    });
  }
  return leafletLoading;
}

let boundaries = null;
function loadBoundaries() {
  if (!boundaries) {
    boundaries = fetch(`${base}/carte/departements.geojson`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return boundaries;
}

const COLOURS = {
  Disponible: '#18753c',
  Complet: '#b34000',
  Surcapacite: '#ce0500',
  Suspendu: '#666666',
};

function escapeHtml(text) {
  const div = document.createElement('div');
  div.textContent = text;
  return div.innerHTML;
}

const state = { map: null, layer: null, markers: new Map(), elementId: null };

function card(id) {
  return document.querySelector(`.emjpm-carte-resultat[data-id="${id}"]`);
}

/// Shows a marker (and its card) as the selected one.
export function carteSurligner(id) {
  document.querySelectorAll('.emjpm-carte-resultat--active').forEach((el) => el.classList.remove('emjpm-carte-resultat--active'));
  const el = card(id);
  if (el) el.classList.add('emjpm-carte-resultat--active');
  state.markers.forEach((marker, markerId) => {
    marker.setStyle({ weight: markerId === id ? 4 : 1, radius: markerId === id ? 11 : 8 });
    if (markerId === id) marker.bringToFront();
  });
}

/// Draws the map in `elementId` for `points` (JSON array of
/// {id, nom, commune, etat, etat_label, disponibles, disponibles_label, latitude, longitude, href}),
/// with the searched commune (or null), an optional tile URL template, and where
/// the site's static files are served.
export async function carteAfficher(elementId, pointsJson, origineJson, tilesUrl, ressources) {
  base = ressources || '';
  const L = await loadLeaflet();
  const element = document.getElementById(elementId);
  if (!element) return;
  const points = JSON.parse(pointsJson);
  const origine = origineJson ? JSON.parse(origineJson) : null;
  if (!state.map || state.elementId !== elementId || !document.body.contains(state.map.getContainer())) {
    if (state.map) state.map.remove();
    state.map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    state.elementId = elementId;
    // The markers double the list, whose cards carry the same facts and links
    // (focusing a card lights its marker): assistive technologies skip them.
    ['overlayPane', 'markerPane', 'tooltipPane', 'popupPane'].forEach((pane) => state.map.getPane(pane).setAttribute('aria-hidden', 'true'));
    if (tilesUrl) {
      L.tileLayer(tilesUrl, { maxZoom: 18, attribution: 'Fond de carte : IGN Géoplateforme' }).addTo(state.map);
    }
    const geo = await loadBoundaries();
    if (geo) {
      L.geoJSON(geo, { style: { color: '#6a6af4', weight: 1, fillColor: '#e3e3fd', fillOpacity: tilesUrl ? 0 : 0.35 }, interactive: false }).addTo(state.map);
    }
  }
  if (state.layer) state.layer.remove();
  state.layer = L.layerGroup().addTo(state.map);
  state.markers.clear();
  const bounds = [];
  if (origine) {
    L.circleMarker([origine.latitude, origine.longitude], { radius: 6, color: '#000091', fillColor: '#ffffff', fillOpacity: 1, weight: 3, className: 'emjpm-origine' })
      .bindTooltip(`Commune de la personne : ${escapeHtml(origine.nom)}`)
      .addTo(state.layer);
    bounds.push([origine.latitude, origine.longitude]);
  }
  for (const p of points) {
    const colour = COLOURS[p.etat] || '#000091';
    const marker = L.circleMarker([p.latitude, p.longitude], { radius: 8, color: '#ffffff', weight: 1, fillColor: colour, fillOpacity: 0.9, className: 'emjpm-marqueur' });
    marker.bindTooltip(`${escapeHtml(p.nom)} — ${escapeHtml(p.etat_label)}`);
    marker.bindPopup(
      `<p class="fr-text--bold fr-mb-1v">${escapeHtml(p.nom)}</p>` +
        `<p class="fr-text--sm fr-mb-1v">${escapeHtml(p.commune)} — ${escapeHtml(p.etat_label)} (disponibles : ${escapeHtml(p.disponibles_label)})</p>` +
        `<a class="fr-link" href="${encodeURI(p.href)}">Voir la fiche</a>`,
    );
    marker.on('click', () => {
      carteSurligner(p.id);
      const el = card(p.id);
      if (el) el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    });
    marker.addTo(state.layer);
    state.markers.set(p.id, marker);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length > 0) {
    state.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
  } else {
    state.map.setView([46.6, 2.4], 5);
  }
  // Hovering or focusing a card shows its marker.
  document.querySelectorAll('.emjpm-carte-resultat').forEach((el) => {
    const id = Number(el.dataset.id);
    el.onmouseenter = () => carteSurligner(id);
    el.onfocusin = () => carteSurligner(id);
  });
  setTimeout(() => state.map && state.map.invalidateSize(), 0);
}
