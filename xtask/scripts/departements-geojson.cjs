// Builds the map's département boundaries (GeoJSON, WGS84) from npm
// `jvectormap-content`'s `fr-merc.js` (Natural Earth, public domain): its SVG
// paths are in pixels of a Mercator projection split into insets (metropolitan
// France, overseas départements); each point is mapped back to longitude and
// latitude. Usage: node departements-geojson.cjs <fr-merc.js> <output.geojson>
'use strict';
const fs = require('fs');

const [source, output] = process.argv.slice(2);
if (!source || !output) {
  console.error('usage : node departements-geojson.cjs <fr-merc.js> <sortie.geojson>');
  process.exit(2);
}
const map = require(require('path').resolve(source));
const RADIUS = 6381372; // jvectormap's Mercator sphere
const DEG = 180 / Math.PI;

function toLonLat(px, py) {
  const inset = map.insets.find(
    (i) => px >= i.left - 1 && px <= i.left + i.width + 1 && py >= i.top - 1 && py <= i.top + i.height + 1,
  );
  if (!inset) return null;
  const [min, max] = inset.bbox;
  const x = min.x + ((px - inset.left) / inset.width) * (max.x - min.x);
  const y = min.y + ((py - inset.top) / inset.height) * (max.y - min.y);
  const lon = (x / RADIUS) * DEG + (map.projection.centralMeridian || 0);
  const lat = (2 * Math.atan(Math.exp(-y / RADIUS)) - Math.PI / 2) * DEG;
  // 3 decimals (about 100 m): finer than the source's drawing, and a third lighter.
  return [Math.round(lon * 1e3) / 1e3, Math.round(lat * 1e3) / 1e3];
}

// Paths use absolute M/L and relative m/l moves, closed by Z.
function rings(path) {
  const result = [];
  let ring = [];
  let x = 0;
  let y = 0;
  const re = /([MmLlZz])([^MmLlZz]*)/g;
  let match;
  while ((match = re.exec(path))) {
    const [, command, args] = match;
    const numbers = args.split(/[ ,]+/).filter((s) => s.length).map(Number);
    if (command === 'Z' || command === 'z') {
      if (ring.length > 2) result.push(ring);
      ring = [];
      continue;
    }
    for (let k = 0; k + 1 < numbers.length; k += 2) {
      if (command === 'M' || command === 'L') {
        x = numbers[k];
        y = numbers[k + 1];
      } else {
        x += numbers[k];
        y += numbers[k + 1];
      }
      if ((command === 'M' || command === 'm') && k === 0 && ring.length > 2) {
        result.push(ring);
        ring = [];
      }
      const point = toLonLat(x, y);
      const last = ring[ring.length - 1];
      // Rounding makes neighbouring points equal: keep one.
      if (point && !(last && last[0] === point[0] && last[1] === point[1])) ring.push(point);
    }
  }
  if (ring.length > 2) result.push(ring);
  return result.map((r) => {
    const closed = r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
    return closed ? r : r.concat([r[0]]);
  });
}

// jvectormap names overseas départements by ISO code; the product uses INSEE codes.
const OVERSEAS = { GP: '971', MQ: '972', GF: '973', RE: '974', YT: '976' };

const features = Object.entries(map.paths).map(([id, shape]) => ({
  type: 'Feature',
  properties: { code: OVERSEAS[id.replace(/^FR-/, '')] || id.replace(/^FR-/, ''), nom: shape.name },
  geometry: { type: 'MultiPolygon', coordinates: rings(shape.path).map((r) => [r]) },
}));
features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
fs.writeFileSync(output, JSON.stringify({ type: 'FeatureCollection', features }));
console.log(`${features.length} départements écrits dans ${output}`);
