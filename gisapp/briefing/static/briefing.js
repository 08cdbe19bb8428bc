/* gisapp briefing runtime: decodes the compact layers written by gisapp/briefing/encode.py
 * and draws them with Leaflet. Every text from data is inserted with textContent, never as
 * HTML, so a description holding <script> or <img onerror=...> shows as text and runs nothing.
 */
(function () {
  "use strict";

  var G = (window.gisappBrief = { layers: {}, legendOf: {}, incidentLayer: null });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  G.el = el;

  // ------------------------------------------------------------------ decoding

  function decodeLatLngs(geometry) {
    var c = geometry.coords, ox = geometry.origin[0], oy = geometry.origin[1], s = geometry.scale;
    var points = new Array(c.length / 2);
    for (var i = 0, k = 0; i < c.length; i += 2, k++) points[k] = L.latLng(oy + c[i + 1] / s, ox + c[i] / s);
    return points;
  }

  function slices(items, offsets) {
    var out = new Array(offsets.length - 1);
    for (var i = 0; i + 1 < offsets.length; i++) out[i] = items.slice(offsets[i], offsets[i + 1]);
    return out;
  }

  /* One Leaflet latlngs array per feature, from shapely's ragged arrays. */
  function decodeFeatures(geometry) {
    var points = decodeLatLngs(geometry), o = geometry.offsets;
    switch (geometry.type) {
      case "LINESTRING":
        return slices(points, o[0]);
      case "MULTILINESTRING":
        return slices(slices(points, o[0]), o[1]);
      case "POLYGON":
        return slices(slices(points, o[0]), o[1]);
      case "MULTIPOLYGON":
        return slices(slices(slices(points, o[0]), o[1]), o[2]);
      default:
        throw new Error("gisapp briefing: unknown geometry " + geometry.type);
    }
  }

  function pointLatLngs(points) {
    var n = points.x.length, out = new Array(n), ox = points.origin[0], oy = points.origin[1], s = points.scale;
    for (var i = 0; i < n; i++) out[i] = [oy + points.y[i] / s, ox + points.x[i] / s];
    return out;
  }

  function pad(v) { return v < 10 ? "0" + v : String(v); }

  /* The text of column `column` for row i (dictionary codes, plain text or minutes). */
  function cellText(column, i) {
    if (column.codes) return column.codes[i] < 0 ? "" : column.values[column.codes[i]];
    if (column.text) return column.text[i] === null ? "" : column.text[i];
    if (column.minutes) {
      var m = column.minutes[i];
      if (m < 0) return "";
      var t0 = column.start, d = new Date(Date.UTC(t0[0], t0[1] - 1, t0[2], t0[3], t0[4]) + m * 60000);
      return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
        pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    }
    if (column.numbers) return column.numbers[i] === null ? "" : column.numbers[i];
    return "";
  }
  G.cellText = cellText;

  /* A small table of label/value rows; values are text nodes. */
  function infoBox(title, rows) {
    var box = el("div", "gb-info");
    if (title) box.appendChild(el("div", "gb-info-title", title));
    var table = el("table");
    rows.forEach(function (row) {
      if (row[1] === "" || row[1] === null || row[1] === undefined) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function featureInfo(spec, i) {
    var title = spec.tooltip.title ? cellText(spec.props[spec.tooltip.title], i) : spec.label;
    var rows = spec.tooltip.rows.map(function (r) { return [r[0], cellText(spec.props[r[1]], i)]; });
    return infoBox(title || spec.label, rows);
  }

  // ------------------------------------------------------------------ layers

  G.vector = function (map, spec) {
    var group = L.featureGroup(), features = decodeFeatures(spec.geometry), renderer = G.renderer(map);
    var isLine = spec.geometry.type.indexOf("LINE") >= 0;
    features.forEach(function (latlngs, i) {
      var key = spec.classes ? spec.classes[i] : null;
      var style = Object.assign({ renderer: renderer }, spec.style, key === null ? {} : spec.classStyles[key]);
      if (spec.widths) style.weight = spec.widths[i];
      var layer = isLine ? L.polyline(latlngs, style) : L.polygon(latlngs, style);
      if (spec.casing) {
        var casing = L.polyline(latlngs, Object.assign({ renderer: renderer, interactive: false }, spec.casing));
        group.addLayer(casing);
      }
      if (spec.tooltip) layer.bindTooltip(function () { return featureInfo(spec, i); }, { sticky: true, className: "gb-tooltip" });
      group.addLayer(layer);
    });
    if (spec.marks) {
      // numbered marks (hotspot zones): the number in a disc, the name in the tooltip
      spec.marks.text.forEach(function (text, i) {
        var span = el("span", null, text);
        span.title = spec.marks.title ? spec.marks.title[i] : "";
        group.addLayer(L.marker([spec.marks.lat[i], spec.marks.lon[i]], {
          interactive: false, keyboard: false,
          icon: L.divIcon({ html: span, className: "gb-mark", iconSize: L.point(22, 22) }),
        }));
      });
    }
    if (spec.labels) {
      spec.labels.text.forEach(function (text, i) {
        if (!text) return;
        var span = el("span", null, text);
        var label = L.tooltip({ permanent: true, direction: "center", interactive: false,
          className: "gb-label gb-label-" + (spec.labels.kind ? spec.labels.kind[i] : "plain") })
          .setLatLng([spec.labels.lat[i], spec.labels.lon[i]]).setContent(span);
        group.addLayer(label);
      });
    }
    return group;
  };

  G.renderer = function (map) {
    if (!map._gbRenderer) map._gbRenderer = L.canvas({ padding: 0.3, tolerance: 4 });
    return map._gbRenderer;
  };

  function incidentPopup(spec, i) {
    var rows = spec.fields.map(function (f) { return [f.label, cellText(f, i)]; });
    return infoBox(spec.category ? cellText(spec.category, i) || spec.label : spec.label, rows);
  }

  G.clusters = function (map, spec) {
    var group = L.markerClusterGroup({
      chunkedLoading: false, showCoverageOnHover: false, maxClusterRadius: 50, spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount(), size = n < 100 ? "s" : n < 1000 ? "m" : "l";
        var inner = el("span", null, n >= 10000 ? Math.round(n / 1000) + "k" : n);
        var div = el("div"); div.appendChild(inner);
        return L.divIcon({ html: div, className: "gb-cluster gb-cluster-" + size, iconSize: L.point(40, 40) });
      },
    });
    var built = false, latlngs = pointLatLngs(spec.points), renderer = G.renderer(map);
    function build() {
      if (built) return;
      built = true;
      var markers = new Array(latlngs.length);
      for (var i = 0; i < latlngs.length; i++) {
        var code = spec.category ? spec.category.codes[i] : -1;
        markers[i] = L.circleMarker(latlngs[i], {
          renderer: renderer, radius: 5, weight: 1, color: "#ffffff", fillOpacity: 0.9,
          fillColor: code >= 0 ? spec.colours[code] : "#555555", gbIndex: i,
        });
      }
      group.addLayers(markers);
    }
    group.on("add", build);
    group.on("click", function (e) {
      var i = e.layer.options.gbIndex;
      if (i === undefined) return;
      L.popup({ maxWidth: 340, minWidth: 200, className: "gb-popup" }).setLatLng(e.layer.getLatLng()).setContent(incidentPopup(spec, i)).openOn(map);
    });
    G.incidentLayer = group;
    G.incidentPopup = function (i) { return incidentPopup(spec, i); };
    /* The popup of incident i, opened where it happened (the cluster layer need not be shown). */
    G.openIncident = function (i) {
      return L.popup({ maxWidth: 340, minWidth: 200, className: "gb-popup", autoPan: false }).setLatLng(latlngs[i]).setContent(incidentPopup(spec, i)).openOn(map);
    };
    return group;
  };

  G.heat = function (map, spec) {
    return L.heatLayer(pointLatLngs(spec.points), {
      // minOpacity low: with tens of thousands of points every cell would otherwise add up to full colour.
      // No maxZoom: the layer control would grey the layer out beyond it.
      radius: 10, blur: 14, minOpacity: 0.12,
      gradient: { 0.2: "#ffffb2", 0.4: "#fecc5c", 0.6: "#fd8d3c", 0.8: "#f03b20", 1.0: "#bd0026" },
    });
  };

  var BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";

  /* Tiles embedded from an MBTiles file, keyed "z/x/y" (XYZ rows). */
  G.embeddedTiles = function (map, spec) {
    var Embedded = L.TileLayer.extend({
      getTileUrl: function (c) { return spec.tiles[c.z + "/" + c.x + "/" + c.y] || BLANK_TILE; },
    });
    return new Embedded("", { minZoom: 0, maxZoom: 20, maxNativeZoom: spec.maxZoom, minNativeZoom: spec.minZoom,
      bounds: spec.bounds, attribution: spec.attribution || "" });
  };

  /* An intranet XYZ tile server the user configured. */
  G.xyzTiles = function (map, spec) {
    return L.tileLayer(spec.url, { maxZoom: 20, maxNativeZoom: 18, attribution: "内网底图" });
  };

  // ------------------------------------------------------------------ page

  G.register = function (layer, id, label) {
    G.layers[label] = layer;
    G.legendOf[L.stamp(layer)] = id;
  };

  function syncLegend(map) {
    Object.keys(G.layers).forEach(function (label) {
      var layer = G.layers[label], id = G.legendOf[L.stamp(layer)];
      var block = document.querySelector('[data-legend="' + id + '"]');
      if (block) block.classList.toggle("gb-off", !map.hasLayer(layer));
    });
  }

  /* A control holding a plain element (north arrow, the Gi* legend). */
  function boxControl(position, build) {
    var Control = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = build();
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      },
    });
    return new Control();
  }

  function northArrow() {
    var box = el("div", "gb-north");
    box.title = "北（地图上方为正北）";
    box.appendChild(el("span", "gb-north-arrow"));
    box.appendChild(el("span", "gb-north-label", "北"));
    return box;
  }

  /* The Gi* legend on the map, top left, where a reader looks first. */
  function mapLegend(legend, zoneOutline) {
    var box = el("div", "gb-map-legend");
    box.appendChild(el("div", "gb-map-legend-title", legend.title));
    legend.classes.forEach(function (c) {
      var row = el("div", "gb-map-legend-row"), sw = el("span", "gb-map-sw");
      if (c.colour) { sw.style.background = c.colour; sw.style.opacity = String(legend.opacity); }
      else sw.classList.add("gb-map-sw-empty");
      row.appendChild(sw);
      row.appendChild(el("span", null, c.label));
      box.appendChild(row);
    });
    if (zoneOutline) {
      var row = el("div", "gb-map-legend-row"), sw = el("span", "gb-map-sw gb-map-sw-zone");
      sw.style.borderColor = zoneOutline;
      row.appendChild(sw);
      row.appendChild(el("span", null, "热点区（编号见表）"));
      box.appendChild(row);
    }
    return box;
  }

  function townships(map, towns, maxZoom) {
    if (!towns || !towns.length) return;
    var group = L.layerGroup();
    towns.forEach(function (t) {
      group.addLayer(L.tooltip({ permanent: true, direction: "center", interactive: false, className: "gb-label gb-label-town" })
        .setLatLng([t.lat, t.lon]).setContent(el("span", null, t.text)));
    });
    function update() {
      if (map.getZoom() < maxZoom) { if (!map.hasLayer(group)) group.addTo(map); }
      else if (map.hasLayer(group)) map.removeLayer(group);
    }
    map.on("zoomend", update);
    update();
  }

  /* Narrow screens: the side panel is a drawer opened from the header button; the layer list folds up. */
  function drawer(map) {
    var narrow = window.matchMedia("(max-width: 760px)");
    var button = document.getElementById("gb-drawer-button");
    function setOpen(open) {
      document.body.classList.toggle("gb-drawer-open", open);
      if (button) { button.setAttribute("aria-expanded", open ? "true" : "false"); button.textContent = open ? "收起" : "简报内容"; }
    }
    if (button) button.addEventListener("click", function () { setOpen(!document.body.classList.contains("gb-drawer-open")); });
    map.on("click", function () { if (narrow.matches) setOpen(false); });
    var layers = document.querySelector(".leaflet-control-layers");
    if (layers && narrow.matches) {
      layers.classList.remove("leaflet-control-layers-expanded");
      var toggle = layers.querySelector(".leaflet-control-layers-toggle");
      if (toggle) {
        L.DomEvent.on(toggle, "click", function (e) { L.DomEvent.preventDefault(e); layers.classList.toggle("leaflet-control-layers-expanded"); });
      }
      map.on("click", function () { layers.classList.remove("leaflet-control-layers-expanded"); });
    }
    G.setDrawer = setOpen;
  }

  G.page = function (map, options) {
    L.control.scale({ imperial: false, maxWidth: 160, position: "bottomleft" }).addTo(map);
    L.control.zoom({ position: "bottomright", zoomInTitle: "放大", zoomOutTitle: "缩小" }).addTo(map);
    boxControl("topleft", northArrow).addTo(map);
    if (options.legend) boxControl("topleft", function () { return mapLegend(options.legend, options.zoneOutline); }).addTo(map);
    townships(map, options.townships, options.townZoom);
    drawer(map);
    var container = map.getContainer();
    function zoomClass() {
      var z = map.getZoom();
      container.classList.toggle("gb-zoom-far", z < options.labelZoom - 1);
      container.classList.toggle("gb-zoom-mid", z >= options.labelZoom - 1 && z < options.labelZoom);
    }
    map.on("zoomend", zoomClass);
    map.on("overlayadd overlayremove", function () { syncLegend(map); });
    if (options.bounds) map.fitBounds(options.bounds, { padding: [16, 16] });
    zoomClass();
    syncLegend(map);
    G.map = map;
    document.documentElement.classList.add("gb-ready");
  };
})();
