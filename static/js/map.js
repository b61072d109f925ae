/* map.js — Leaflet maps drawn from our own GeoJSON, with no tile server.
 *
 *   linli.map(el, {layers: [...], fit: true, legend: true, attribution: "..."})
 *
 * Each layer: {kind, name, data | url, classes?}
 *   kind  "streets"   LineStrings, grey; properties.highway widens main roads
 *         "buildings" Polygons, light fills; properties.residential (bool) picks the fill
 *         "outlets"   Points as circle markers coloured by properties.format_class;
 *                     `classes` maps format_class -> legend label (order = colour order)
 *         "isochrone" Polygon(s), shaded primary (the 15-minute walk area)
 *         "area"      any other polygon, outlined
 *   name  legend label (already translated by the template)
 *   data  a GeoJSON FeatureCollection/Feature; or `url` returning one
 * Any feature may override its colour with properties.color; properties.name
 * (or .title) becomes the popup, plus properties.popup as a second line.
 *
 * Elements with [data-linli-map] are initialised automatically on page load and
 * after htmx swaps; the options come from a <script type="application/json"> whose
 * id is in data-layers-id, or from the URL in data-layers-url.
 */
(function () {
  "use strict";
  var linli = (window.linli = window.linli || {});

  // Kept in step with the CSS tokens in linli.css.
  var C = {
    street: "#b5bcc4", streetMain: "#98a1ab",
    resFill: "#f3e3c6", resLine: "#e0c89b",        // residential: warm sand
    bldFill: "#dde2e8", bldLine: "#c5ccd4",        // other buildings: cool grey
    iso: "#0e9f77",
    area: "#1677d2"
  };
  // Format-class palette: distinct, colour-blind-friendlier hues.
  var PALETTE = ["#ff6a00", "#1677d2", "#0e9f77", "#c0399d", "#7a5af8", "#d4a106", "#d4380d", "#3340b5", "#5b7083"];
  var MAIN_ROADS = /^(motorway|trunk|primary|secondary|tertiary)/;

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function popupFor(p) {
    var title = p.name || p.title;
    if (!title) return null;
    var html = "<strong>" + escapeHtml(title) + "</strong>";
    if (p.popup) html += "<br><span class='muted'>" + escapeHtml(p.popup) + "</span>";
    return html;
  }

  function bindPopup(feature, layer) {
    var html = popupFor(feature.properties || {});
    if (html) layer.bindPopup(html);
  }

  // Assigns colours to format classes: declared order first, then first-seen order.
  function classColours(spec, data) {
    var map = {}, i = 0;
    Object.keys(spec.classes || {}).forEach(function (k) { map[k] = PALETTE[i++ % PALETTE.length]; });
    (data.features || []).forEach(function (f) {
      var k = (f.properties || {}).format_class;
      if (k != null && !(k in map)) map[k] = PALETTE[i++ % PALETTE.length];
    });
    return map;
  }

  // Builds a Leaflet layer for one spec; returns {layer, legend: [html...]}.
  function build(spec, data, labels) {
    var kind = spec.kind || "area", legend = [];
    var label = spec.name ? escapeHtml(spec.name) : "";
    var layer;
    if (kind === "streets") {
      layer = L.geoJSON(data, {
        interactive: false,
        style: function (f) {
          var p = f.properties || {}, main = MAIN_ROADS.test(p.highway || "");
          return { color: p.color || (main ? C.streetMain : C.street), weight: main ? 4 : 2, opacity: 0.9, lineCap: "round" };
        }
      });
      if (label) legend.push("<i class='line' style='background:" + C.street + "'></i>" + label);
    } else if (kind === "buildings") {
      layer = L.geoJSON(data, {
        style: function (f) {
          var p = f.properties || {}, res = !!p.residential;
          return { color: res ? C.resLine : C.bldLine, weight: 1, fillColor: p.color || (res ? C.resFill : C.bldFill), fillOpacity: 1 };
        },
        onEachFeature: bindPopup
      });
      var lb = Object.assign({}, labels, spec.labels);
      legend.push("<i style='background:" + C.resFill + ";border:1px solid " + C.resLine + "'></i>" + escapeHtml(lb.residential || "Residential"));
      legend.push("<i style='background:" + C.bldFill + ";border:1px solid " + C.bldLine + "'></i>" + escapeHtml(lb.other || "Other buildings"));
    } else if (kind === "outlets") {
      var colours = classColours(spec, data);
      layer = L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          var p = f.properties || {};
          return L.circleMarker(latlng, {
            radius: p.radius || 7, color: "#fff", weight: 2, fillOpacity: 1,
            fillColor: p.color || colours[p.format_class] || PALETTE[0]
          });
        },
        onEachFeature: bindPopup
      });
      Object.keys(colours).forEach(function (k) {
        var name = (spec.classes && spec.classes[k]) || k;
        legend.push("<i class='dot' style='background:" + colours[k] + "'></i>" + escapeHtml(name));
      });
    } else if (kind === "isochrone") {
      layer = L.geoJSON(data, {
        interactive: false,
        style: function (f) {
          var c = (f.properties || {}).color || C.iso;
          return { color: c, weight: 2, dashArray: "6 4", fillColor: c, fillOpacity: 0.12 };
        }
      });
      if (label) legend.push("<i style='background:rgba(14,159,119,.18);border:1px dashed " + C.iso + "'></i>" + label);
    } else {
      layer = L.geoJSON(data, {
        style: function (f) {
          var c = (f.properties || {}).color || C.area;
          return { color: c, weight: 2, fillColor: c, fillOpacity: 0.08 };
        },
        onEachFeature: bindPopup
      });
      if (label) legend.push("<i style='border:2px solid " + C.area + "'></i>" + label);
    }
    return { layer: layer, legend: legend, kind: kind };
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
  }

  // Draw order so points stay clickable on top of polygons.
  var Z = { isochrone: 0, area: 1, buildings: 2, streets: 3, outlets: 4 };

  linli.map = function (el, opts) {
    if (typeof el === "string") el = document.getElementById(el);
    opts = opts || {};
    if (el._linliMap) el._linliMap.remove();    // re-init (e.g. after an htmx swap)

    var map = L.map(el, {
      zoomSnap: 0.25, maxZoom: 20, minZoom: 10,
      attributionControl: true, preferCanvas: (opts.layers || []).length > 0 && opts.canvas !== false
    });
    el._linliMap = map;
    map.attributionControl.setPrefix(false);
    if (opts.attribution) map.attributionControl.addAttribution(escapeHtml(opts.attribution));
    if (opts.center) map.setView(opts.center, opts.zoom || 16);

    var specs = (opts.layers || []).slice().sort(function (a, b) { return (Z[a.kind] || 1) - (Z[b.kind] || 1); });
    return Promise.all(specs.map(function (s) {
      return s.url ? fetchJson(s.url) : Promise.resolve(s.data || { type: "FeatureCollection", features: [] });
    })).then(function (datas) {
      var group = L.featureGroup(), focus = L.featureGroup(), legend = [];
      specs.forEach(function (s, i) {
        var built = build(s, datas[i], opts.labels || {});
        built.layer.addTo(group);
        // Streets and buildings are context: zoom to what the page is about
        // (isochrones, outlets, areas) when there is any.
        if (built.kind !== "streets" && built.kind !== "buildings") built.layer.addTo(focus);
        legend = legend.concat(built.legend);
      });
      group.addTo(map);
      var bounds = focus.getLayers().length && focus.getBounds().isValid() ? focus.getBounds() : group.getBounds();
      if (opts.fit !== false && bounds.isValid()) {
        map.fitBounds(bounds, { padding: [16, 16] });
      } else if (!opts.center) {
        map.setView([39.9042, 116.4074], 12);   // nothing to fit: show central Beijing
      }
      // The legend sits below the map (not over it) so small phone maps stay readable.
      if (el._linliLegend) el._linliLegend.remove();
      if (opts.legend !== false && legend.length) {
        var div = document.createElement("div");
        div.className = "map-legend";
        div.innerHTML = legend.map(function (h) { return "<span>" + h + "</span>"; }).join("");
        el.insertAdjacentElement("afterend", div);
        el._linliLegend = div;
      }
      return map;
    }).catch(function (err) {
      if (linli.toast) linli.toast((el.dataset.errorText || "Map failed to load"), "error", String(err.message || err));
      throw err;
    });
  };

  // Reads options for a [data-linli-map] element.
  function optionsFor(el) {
    var d = el.dataset;
    var opts = {
      fit: d.fit !== "false", legend: d.legend !== "false", attribution: d.attribution,
      // Translated legend labels rendered by partials/map.html.
      labels: { residential: d.labelResidential, other: d.labelOther }
    };
    if (el.dataset.layersId) {
      var node = document.getElementById(el.dataset.layersId);
      var parsed = node ? JSON.parse(node.textContent) : [];
      // Accept a bare list of layers, {layers: [...]}, or a single FeatureCollection.
      if (Array.isArray(parsed)) opts.layers = parsed;
      else if (parsed.layers) { opts.layers = parsed.layers; if (parsed.center) opts.center = parsed.center; }
      else opts.layers = [{ kind: "area", data: parsed }];
      return Promise.resolve(opts);
    }
    if (el.dataset.layersUrl) {
      return fetchJson(el.dataset.layersUrl).then(function (parsed) {
        opts.layers = Array.isArray(parsed) ? parsed : parsed.layers || [{ kind: "area", data: parsed }];
        return opts;
      });
    }
    return Promise.resolve(opts);
  }

  function initAll(root) {
    if (!window.L) return false;
    (root || document).querySelectorAll("[data-linli-map]").forEach(function (el) {
      if (el.dataset.linliReady) return;
      el.dataset.linliReady = "1";
      optionsFor(el).then(function (opts) { return linli.map(el, opts); }).catch(function (e) { console.error(e); });
    });
    return true;
  }

  // Leaflet may arrive after this file when both are inserted by an htmx swap,
  // so retry briefly instead of demanding a strict load order.
  function initWhenReady(root, tries) {
    if (!initAll(root) && (tries || 0) < 50) setTimeout(function () { initWhenReady(root, (tries || 0) + 1); }, 100);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { initWhenReady(); });
  else initWhenReady();
  document.addEventListener("htmx:load", function (evt) { initWhenReady(evt.target); });
})();
