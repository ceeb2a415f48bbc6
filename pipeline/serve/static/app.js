// Netra dashboard: plain JS + SVG over the read-only API. The view (types, period, province,
// selected region) lives in the URL query, so a view can be shared or bookmarked.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const DEFAULT_TYPES = ["rakor", "pledge"];
const TYPE_LABELS = {
  rakor: "Rakor", pledge: "Ikrar", directive: "Surat edaran", socialization: "Sosialisasi",
  monitoring: "Pengawasan", violation: "Pelanggaran", sanction: "Sanksi",
};
const STATUS_LABELS = { mentioned: "Disebut", threatened: "Diancamkan", recommended: "Direkomendasikan", imposed: "Dijatuhkan" };
const STATUSES = Object.keys(STATUS_LABELS);
const OFFICE_LABELS = {
  gubernur: "Gubernur", wakil_gubernur: "Wakil Gubernur", bupati: "Bupati", wakil_bupati: "Wakil Bupati",
  wali_kota: "Wali Kota", wakil_wali_kota: "Wakil Wali Kota", sekda: "Sekda", asisten_sekda: "Asisten Sekda",
  kepala_opd: "Kepala OPD", camat: "Camat", lurah: "Lurah", kepala_desa: "Kepala Desa", menteri: "Menteri",
  mendagri: "Mendagri", menpan_rb: "MenPAN-RB", presiden: "Presiden", dirjen: "Dirjen", dirjen_otda: "Dirjen Otda",
  ketua_bawaslu: "Ketua Bawaslu", anggota_bawaslu: "Anggota Bawaslu", ketua_kasn: "Ketua KASN", kepala_bkn: "Kepala BKN",
  other: "",
};
// Colour classes by number of events: 0, 1, 2-3, 4-9, 10+.
const BUCKETS = [[0, 0, "0"], [1, 1, "1"], [2, 3, "2–3"], [4, 9, "4–9"], [10, Infinity, "≥ 10"]];

const state = { types: [], from: "", to: "", province: "", region: "" };
const ui = {};
let regionsByCode = {};
let requestSeq = 0;

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function pad(n) { return String(n).padStart(2, "0"); }
function isoDay(d) { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; }
function monthRange(month) {  // "2024-03" -> ["2024-03-01", "2024-03-31"]
  const [y, m] = month.split("-").map(Number);
  return [`${y}-${pad(m)}-01`, isoDay(new Date(Date.UTC(y, m, 0)))];
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let message = `${response.status}`;
    try {
      const body = await response.json();
      if (Array.isArray(body.detail)) message = body.detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ");
      else if (body.detail) message = body.detail;
    } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response.json();
}

function setStatus(text, isError) {
  ui.status.textContent = text || "";
  ui.status.classList.toggle("error", Boolean(isError));
}

// ---- URL state ---------------------------------------------------------------------------

function readURL() {
  const params = new URLSearchParams(window.location.search);
  const types = params.getAll("type").filter((t) => t in TYPE_LABELS);
  state.types = types.length ? types : DEFAULT_TYPES.slice();
  state.from = params.get("from") || "";
  state.to = params.get("to") || "";
  state.province = params.get("province") || "";
  state.region = params.get("region") || "";
}

function stateQuery() {
  const params = new URLSearchParams();
  for (const t of state.types) params.append("type", t);
  params.set("from", state.from);
  params.set("to", state.to);
  if (state.province) params.set("province", state.province);
  if (state.region) params.set("region", state.region);
  return params;
}

function writeURL(push) {
  const url = `${window.location.pathname}?${stateQuery().toString()}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

function syncForm() {
  for (const box of ui.typeBoxes) box.checked = state.types.includes(box.value);
  ui.from.value = state.from;
  ui.to.value = state.to;
  const [mf, mt] = state.from ? monthRange(state.from.slice(0, 7)) : ["", ""];
  ui.month.value = state.from && state.from === mf && state.to === mt ? state.from.slice(0, 7) : "";
  ui.province.value = state.province;
}

// ---- API URLs ----------------------------------------------------------------------------

function coverageURL(extra) {
  const params = new URLSearchParams();
  for (const t of state.types) params.append("type", t);
  params.set("from", state.from);
  params.set("to", state.to);
  params.set("level", "regency");
  if (state.province) params.set("province", state.province);
  for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
  return `/api/coverage?${params}`;
}

function regionEventsURL(extra) {
  const params = new URLSearchParams();
  params.set("region", state.region);
  for (const t of state.types) params.append("type", t);
  params.set("since", state.from);
  params.set("until", state.to);
  params.set("sort", "-date");
  params.set("limit", "200");
  for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
  return `/api/events?${params}`;
}

function sanctionsURL(path, extra) {
  const params = new URLSearchParams();
  params.set("since", state.from);
  params.set("until", state.to);
  if (state.province) params.set("region", state.province);
  for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
  return `${path}?${params}`;
}

// ---- Map ---------------------------------------------------------------------------------

function bucketOf(count) {
  return BUCKETS.findIndex(([lo, hi]) => count >= lo && count <= hi);
}

async function drawMap() {
  const data = await getJSON("/static/map.json");
  ui.map.setAttribute("viewBox", data.viewBox.join(" "));
  ui.fullViewBox = data.viewBox.join(" ");
  const regencies = document.createElementNS(SVG_NS, "g");
  regencies.setAttribute("id", "regencies");
  for (const r of data.regencies) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", r.d);
    path.setAttribute("class", "region");
    path.setAttribute("data-code", r.code);
    path.setAttribute("data-province", r.code.slice(0, 2));
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", r.name);
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = r.name;
    path.append(title);
    regencies.append(path);
  }
  const provinces = document.createElementNS(SVG_NS, "g");
  provinces.setAttribute("id", "provinces");
  for (const p of data.provinces) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", p.d);
    path.setAttribute("class", "province");
    path.setAttribute("data-code", p.code);
    provinces.append(path);
  }
  ui.map.append(regencies, provinces);
  regencies.addEventListener("click", (e) => {
    const code = e.target.closest("path.region")?.getAttribute("data-code");
    if (code) selectRegion(code);
  });
  regencies.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const code = e.target.closest("path.region")?.getAttribute("data-code");
    if (code) { e.preventDefault(); selectRegion(code); }
  });
  ui.legend.replaceChildren(...BUCKETS.map(([, , label], i) => el("li", {}, el("span", { class: `swatch q${i}` }), ` ${label}`)));
  ui.legend.append(el("li", {}, el("span", { class: "swatch outside" }), " di luar provinsi"));
}

function zoomMap() {
  if (!state.province) { ui.map.setAttribute("viewBox", ui.fullViewBox); return; }
  const paths = ui.map.querySelectorAll(`path.region[data-province="${state.province}"]`);
  let box = null;
  for (const p of paths) {
    const b = p.getBBox();
    box = box ? {
      x1: Math.min(box.x1, b.x), y1: Math.min(box.y1, b.y),
      x2: Math.max(box.x2, b.x + b.width), y2: Math.max(box.y2, b.y + b.height),
    } : { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height };
  }
  if (!box) return;
  const margin = Math.max(box.x2 - box.x1, box.y2 - box.y1) * 0.06 + 5;
  ui.map.setAttribute("viewBox", [box.x1 - margin, box.y1 - margin, box.x2 - box.x1 + 2 * margin, box.y2 - box.y1 + 2 * margin].join(" "));
}

function paintMap(coverage) {
  const counts = {};
  for (const r of coverage.regions) counts[r.code] = r.count;
  for (const path of ui.map.querySelectorAll("path.region")) {
    const code = path.getAttribute("data-code");
    const name = regionsByCode[code]?.name || path.getAttribute("aria-label");
    const inside = code in counts;
    const count = counts[code] || 0;
    path.setAttribute("class", `region ${inside ? `q${bucketOf(count)}` : "outside"}${code === state.region ? " selected" : ""}`);
    path.setAttribute("data-count", inside ? String(count) : "");
    path.querySelector("title").textContent = inside ? `${name}: ${count} kegiatan` : name;
  }
}

// ---- Panels ------------------------------------------------------------------------------

function describePeriod() {
  return state.from === state.to ? state.from : `${state.from} s.d. ${state.to}`;
}

function renderSummary(coverage) {
  const t = coverage.totals;
  const where = state.province ? (regionsByCode[state.province]?.name || state.province) : "Indonesia";
  const types = state.types.map((x) => TYPE_LABELS[x]).join(", ");
  ui.summary.textContent = `${where}, ${describePeriod()} (${types}): ${t.with_events} dari ${t.regions} kabupaten/kota ` +
    `mengadakan kegiatan, ${t.without_events} tidak ada beritanya.`;
}

function renderWithout(coverage) {
  const rows = coverage.regions.filter((r) => r.count === 0);
  ui.withoutBody.replaceChildren(...rows.map((r) => el("tr", { "data-code": r.code },
    el("td", {}, r.code), el("td", {}, r.name), el("td", {}, r.province || ""))));
  ui.withoutTitle.textContent = `Wilayah tanpa kegiatan pada periode ini (${rows.length})`;
}

function officialText(o) {
  const title = [(o.acting || "").toUpperCase(), OFFICE_LABELS[o.office] ?? o.office ?? ""].filter(Boolean).join(" ");
  const where = o.region && regionsByCode[o.region] ? ` ${regionsByCode[o.region].name.replace(/^(Kabupaten|Kota) /, "")}` : "";
  return title ? `${o.name} (${title}${where})` : o.name;
}

function renderEvent(item) {
  const officials = item.officials.length ? item.officials.map(officialText).join("; ") : "—";
  const evidence = item.evidence.length ? item.evidence[0] : "";
  const link = item.url ? el("a", { href: item.url, target: "_blank", rel: "noopener noreferrer" }, "Baca artikel") : null;
  return el("li", { class: "event", "data-id": String(item.id) },
    el("p", { class: "event-head" },
      el("span", { class: "date" }, item.date || "tanpa tanggal"), " · ",
      el("span", { class: `type t-${item.type}` }, TYPE_LABELS[item.type] || item.type),
      item.source ? ` · ${item.source}` : ""),
    el("p", { class: "title" }, item.title || item.doc_key),
    el("p", { class: "officials" }, el("strong", {}, "Pejabat: "), officials),
    evidence ? el("blockquote", { class: "evidence" }, evidence) : null,
    el("p", { class: "links" }, link, " ", el("a", { href: `/api/events/${item.id}`, target: "_blank" }, "Data & provenans (JSON)")));
}

async function loadRegion(seq) {
  if (!state.region) {
    ui.regionTitle.textContent = "Pilih kabupaten/kota di peta";
    ui.regionSummary.textContent = "Klik wilayah untuk melihat kegiatannya: tanggal, pejabat, kalimat bukti dan tautan berita.";
    ui.regionEvents.replaceChildren();
    ui.downloadEvents.hidden = true;
    return;
  }
  const name = regionsByCode[state.region]?.name || state.region;
  ui.regionTitle.textContent = name;
  const page = await getJSON(regionEventsURL());
  if (seq !== requestSeq) return;
  ui.regionSummary.textContent = page.items.length
    ? `${page.items.length}${page.next_cursor ? "+" : ""} kegiatan, ${describePeriod()}.`
    : `Tidak ada kegiatan yang diberitakan pada ${describePeriod()}.`;
  ui.regionEvents.replaceChildren(...page.items.map(renderEvent));
  ui.downloadEvents.href = regionEventsURL({ format: "csv", limit: "10000" });
  ui.downloadEvents.hidden = false;
}

function drawSanctionsChart(items) {
  const months = [...new Set(items.filter((i) => i.month).map((i) => i.month))].sort();
  const svg = ui.sanctionsChart;
  svg.replaceChildren();
  const width = 720, height = 160, left = 28, bottom = 22;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!months.length) {
    const t = document.createElementNS(SVG_NS, "text");
    t.setAttribute("x", "10"); t.setAttribute("y", "30");
    t.textContent = "Tidak ada sanksi bertanggal pada periode ini.";
    svg.append(t);
    return;
  }
  const per = {};
  for (const i of items) {
    if (!i.month) continue;
    per[i.month] = per[i.month] || {};
    per[i.month][i.status] = (per[i.month][i.status] || 0) + i.count;
  }
  const max = Math.max(...months.map((m) => STATUSES.reduce((s, st) => s + (per[m][st] || 0), 0)));
  const slot = (width - left) / months.length;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  months.forEach((m, k) => {
    let y = height - bottom;
    for (const st of STATUSES) {
      const n = per[m][st] || 0;
      if (!n) continue;
      const h = ((height - bottom - 10) * n) / max;
      const rect = document.createElementNS(SVG_NS, "rect");
      rect.setAttribute("x", String(left + k * slot + (slot - barW) / 2));
      rect.setAttribute("y", String(y - h));
      rect.setAttribute("width", String(barW));
      rect.setAttribute("height", String(h));
      rect.setAttribute("class", `s-${st}`);
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = `${m}: ${n} ${STATUS_LABELS[st].toLowerCase()}`;
      rect.append(title);
      svg.append(rect);
      y -= h;
    }
    if (months.length <= 24 || k % Math.ceil(months.length / 24) === 0) {
      const label = document.createElementNS(SVG_NS, "text");
      label.setAttribute("x", String(left + k * slot + slot / 2));
      label.setAttribute("y", String(height - 6));
      label.setAttribute("class", "axis");
      label.textContent = m.slice(2);
      svg.append(label);
    }
  });
  const top = document.createElementNS(SVG_NS, "text");
  top.setAttribute("x", "2"); top.setAttribute("y", "12"); top.setAttribute("class", "axis");
  top.textContent = String(max);
  svg.append(top);
}

function renderSanctions(summary) {
  const byKind = {};
  for (const i of summary.items) {
    byKind[i.kind] = byKind[i.kind] || {};
    byKind[i.kind][i.status] = (byKind[i.kind][i.status] || 0) + i.count;
  }
  const kinds = Object.keys(byKind).sort();
  ui.sanctionsBody.replaceChildren(...kinds.map((k) => {
    const total = STATUSES.reduce((s, st) => s + (byKind[k][st] || 0), 0);
    return el("tr", {}, el("td", {}, k.replaceAll("_", " ")), ...STATUSES.map((st) => el("td", {}, String(byKind[k][st] || 0))),
      el("td", {}, String(total)));
  }));
  if (!kinds.length) ui.sanctionsBody.replaceChildren(el("tr", {}, el("td", { colspan: "6" }, "Tidak ada sanksi yang diberitakan.")));
  drawSanctionsChart(summary.items);
  ui.downloadSanctions.href = sanctionsURL("/api/sanctions/summary", { format: "csv" });
}

// ---- Refresh -----------------------------------------------------------------------------

async function refresh() {
  const seq = ++requestSeq;
  syncForm();
  if (!state.types.length) { setStatus("Pilih minimal satu jenis kegiatan.", true); return; }
  if (!state.from || !state.to || state.from > state.to) { setStatus("Periode tidak valid.", true); return; }
  setStatus("Memuat…");
  document.body.classList.add("loading");
  try {
    zoomMap();
    const [coverage, sanctions] = await Promise.all([getJSON(coverageURL()), getJSON(sanctionsURL("/api/sanctions/summary"))]);
    if (seq !== requestSeq) return;
    paintMap(coverage);
    renderSummary(coverage);
    renderWithout(coverage);
    renderSanctions(sanctions);
    ui.downloadCoverage.href = coverageURL({ format: "csv" });
    ui.downloadWithout.href = coverageURL({ format: "csv", only: "without" });
    await loadRegion(seq);
    if (seq !== requestSeq) return;
    setStatus("");
    document.body.classList.remove("loading");
    document.body.setAttribute("data-ready", String(seq));
  } catch (err) {
    if (seq !== requestSeq) return;
    document.body.classList.remove("loading");
    setStatus(`Gagal memuat data: ${err.message}`, true);
  }
}

function update(changes) {
  Object.assign(state, changes);
  if (state.region && state.province && !state.region.startsWith(`${state.province}.`)) state.region = "";
  writeURL(true);
  refresh();
}

function selectRegion(code) {
  update({ region: code });
}

async function defaultPeriod() {
  // Twelve months up to the end of the month of the latest event in the store (today's month in a live store).
  let last = new Date();
  try {
    const health = await getJSON("/api/health");
    if (health.event_dates && health.event_dates.last) last = new Date(`${health.event_dates.last}T00:00:00Z`);
  } catch (_) { /* keep today */ }
  const end = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 0));
  const start = new Date(Date.UTC(last.getUTCFullYear() - 1, last.getUTCMonth() + 1, 1));
  return [isoDay(start), isoDay(end)];
}

async function init() {
  Object.assign(ui, {
    status: $("status"), map: $("map"), legend: $("legend"), summary: $("summary"),
    from: $("from"), to: $("to"), month: $("month"), province: $("province"),
    typeBoxes: [...document.querySelectorAll('#types input[name="type"]')],
    withoutBody: document.querySelector("#without tbody"), withoutTitle: $("without-title"),
    regionTitle: $("region-title"), regionSummary: $("region-summary"), regionEvents: $("region-events"),
    sanctionsBody: document.querySelector("#sanctions tbody"), sanctionsChart: $("sanctions-chart"),
    downloadCoverage: $("download-coverage"), downloadWithout: $("download-without"),
    downloadEvents: $("download-events"), downloadSanctions: $("download-sanctions"),
  });
  document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
  readURL();
  try {
    const [regions] = await Promise.all([getJSON("/api/regions"), drawMap()]);
    for (const r of regions.items) regionsByCode[r.code] = r;
    for (const r of regions.items.filter((x) => x.level === "province")) ui.province.append(el("option", { value: r.code }, r.name));
  } catch (err) {
    setStatus(`Gagal memuat peta: ${err.message}`, true);
    return;
  }
  if (!state.from || !state.to) {
    const [from, to] = await defaultPeriod();
    state.from = state.from || from;
    state.to = state.to || to;
    writeURL(false);
  }
  ui.typeBoxes.forEach((box) => box.addEventListener("change", () => {
    update({ types: ui.typeBoxes.filter((b) => b.checked).map((b) => b.value) });
  }));
  ui.month.addEventListener("change", () => {
    if (!ui.month.value) return;
    const [from, to] = monthRange(ui.month.value);
    update({ from, to });
  });
  ui.from.addEventListener("change", () => { if (ui.from.value) update({ from: ui.from.value }); });
  ui.to.addEventListener("change", () => { if (ui.to.value) update({ to: ui.to.value }); });
  ui.province.addEventListener("change", () => update({ province: ui.province.value }));
  window.addEventListener("popstate", () => { readURL(); refresh(); });
  await refresh();
}

document.addEventListener("DOMContentLoaded", init);
