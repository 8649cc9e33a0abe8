// carematch's coordinator page: vanilla JavaScript, no build step, no
// outside request. Everything typed goes to the service as a JSON body
// (never in a URL) and is kept nowhere: not in storage, not in cookies.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  // Builds an element; children are nodes or strings (always text, never HTML).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const svgNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(svgNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  const words = (key) => String(key || '').replace(/_/g, ' ');
  const pct = (x) => Math.round(x * 100) + '%';

  async function call(method, path, body, headers) {
    const init = { method, headers: Object.assign({}, headers || {}) };
    // A service started with --read-auth wants the token on reads too.
    const token = $('admin-token').value;
    if (token && !init.headers.authorization) init.headers.authorization = 'Bearer ' + token;
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    let data = null;
    try { data = await r.json(); } catch (_) { data = null; }
    return { ok: r.ok, status: r.status, data, headers: r.headers };
  }
  function problemText(data) {
    if (!data) return 'The service did not answer.';
    const ps = (data.problems || []).map((p) => (p.path ? p.path + ': ' : '') + p.message);
    return ps.length ? ps.join('; ') : (data.message || 'The request failed.');
  }

  // ---- the week grid -------------------------------------------------
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const BLOCKS = [7, 9, 11, 13, 15, 17, 19]; // two-hour blocks from 07:00 to 21:00
  const hh = (h) => String(h).padStart(2, '0') + ':00';
  function setWeekdays() {
    document.querySelectorAll('table.week input').forEach((c) => {
      const h = Number(c.dataset.hour);
      c.checked = DAYS.indexOf(c.dataset.day) < 5 && h >= 9 && h < 17;
    });
  }
  // Consecutive busy blocks of a day, merged: [{days:[d], start, end}].
  function busyList() {
    const out = [];
    for (const d of DAYS) {
      let start = null;
      for (const h of BLOCKS.concat([null])) {
        const c = h === null ? null : $('busy-' + d + '-' + h);
        if (c && c.checked) { if (start === null) start = h; }
        else if (start !== null) { out.push({ days: [d], start: hh(start), end: hh(h === null ? 21 : h) }); start = null; }
      }
    }
    return out;
  }

  // ---- the assessment --------------------------------------------------
  const RATINGS = [
    ['risk_of_harm', 'Risk of harm'], ['functional_status', 'Functional status'],
    ['comorbidity', 'Medical, addictive and psychiatric co-morbidity'],
    ['stress', 'Recovery environment: level of stress'], ['support', 'Recovery environment: level of support'],
    ['treatment_history', 'Treatment and recovery history'], ['engagement', 'Engagement and recovery status'],
  ];
  // The assessment when all seven are rated; null when none; an error when some.
  function assessment() {
    const ratings = {};
    let given = 0;
    for (const [key] of RATINGS) {
      const v = $('r-' + key).value;
      if (v) { ratings[key] = Number(v); given += 1; }
    }
    if (given === 0) return null;
    if (given < RATINGS.length) throw new Error('Rate all seven dimensions, or none.');
    const a = { ratings, age: Number($('age').value) || 0 };
    const dis = $('discharge').value;
    if (dis !== '') a.days_since_inpatient_discharge = Number(dis);
    a.co_occurring_substance_use = $('substance').checked;
    return a;
  }
  async function recommend() {
    const out = $('level-out');
    out.replaceChildren();
    let a;
    try { a = assessment(); } catch (e) { out.append(el('p', { class: 'error' }, e.message)); return; }
    if (!a) { out.append(el('p', { class: 'error' }, 'Rate all seven dimensions first.')); return; }
    const r = await call('POST', '/level', a);
    if (!r.ok) { out.append(el('p', { class: 'error' }, problemText(r.data))); return; }
    const rec = r.data;
    out.append(el('p', { class: 'level' }, 'Recommended level: ', el('strong', {}, words(rec.level)),
      ' (composite ' + rec.composite + ')'));
    out.append(el('h4', {}, 'Rules that fired'), el('ul', {}, rec.rules.map((x) => el('li', {}, x.text))));
    if ((rec.flags || []).length) out.append(el('ul', { class: 'flags' }, rec.flags.map((f) => el('li', {}, f.text || words(f.kind || f)))));
  }

  // ---- did you mean ----------------------------------------------------
  const ICD = /^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/i;
  // Resolves a typed term: {key, label} or throws with the suggestions shown.
  async function resolveTerm(family, inputId) {
    const input = $(inputId);
    const note = $(inputId + '-dym');
    const text = input.value.trim();
    note.replaceChildren();
    input.removeAttribute('aria-invalid');
    const r = await call('POST', '/page/terms', { family, text });
    if (!r.ok) throw new Error(problemText(r.data));
    const t = r.data;
    if (t.resolved) {
      if (t.fuzzy) note.append('Read as “' + t.label + '”.');
      return t;
    }
    input.setAttribute('aria-invalid', 'true');
    if (t.suggestions.length) {
      note.append(t.ambiguous ? 'Which one? ' : 'Did you mean ');
      t.suggestions.forEach((s, i) => {
        if (i) note.append(' or ');
        const b = el('button', { type: 'button', class: 'link suggestion' }, s);
        b.addEventListener('click', () => { input.value = s; note.replaceChildren(); input.removeAttribute('aria-invalid'); input.focus(); });
        note.append(b);
      });
      note.append('?');
    } else {
      note.append(t.problem ? 'Not found: ' + t.problem + '.' : 'Not a term carematch knows.');
    }
    const e = new Error('Check the highlighted terms.');
    e.quiet = true;
    throw e;
  }
  // A town or ZIP code, through the embedded Census table.
  async function resolvePlace() {
    const t = await resolveTerm('place', 'place');
    $('place-dym').replaceChildren('Starting from ' + t.label + '.');
    return t;
  }
  async function diagnosis(inputId, primary) {
    const text = $(inputId).value.trim();
    if (!text) return null;
    if (ICD.test(text)) return { code: text.toUpperCase(), primary };
    const t = await resolveTerm('condition', inputId);
    return { condition: t.key, primary };
  }

  // ---- the patient -----------------------------------------------------
  async function patient() {
    const p = {};
    const age = $('age').value;
    if (age === '') throw new Error('Give the age in years.');
    p.age = Number(age);
    const errors = [];
    const d1 = await diagnosis('diag1', true).catch((e) => { errors.push(e); return null; });
    const d2 = await diagnosis('diag2', false).catch((e) => { errors.push(e); return null; });
    const payer = await resolveTerm('payer', 'payer').catch((e) => { errors.push(e); return null; });
    const lang = $('language').value.trim()
      ? await resolveTerm('language', 'language').catch((e) => { errors.push(e); return null; }) : null;
    if (errors.length) throw errors[0];
    p.diagnoses = [d1, d2].filter(Boolean);
    if (!p.diagnoses.length) throw new Error('Give at least the primary diagnosis.');
    p.payer = payer.key;
    if (lang) p.language = lang.key;
    if ($('place').value.trim()) {
      const place = await resolvePlace().catch((e) => { errors.push(e); return null; });
      if (errors.length) throw errors[0];
      p.location = { latitude: place.latitude, longitude: place.longitude };
    }
    if ($('miles').value !== '') p.max_travel_miles = Number($('miles').value);
    p.delivery = $('delivery').value;
    p.availability = { busy: busyList() };
    if ($('discharge').value !== '') p.days_since_inpatient_discharge = Number($('discharge').value);
    p.co_occurring_substance_use = $('substance').checked;
    p.wants_family_involved = $('family').checked;
    const moud = $('moud').value;
    if (moud === 'on') p.on_moud = true;
    else if (moud) p.moud_medication = moud;
    if ($('pregnancy').value) p.pregnancy = $('pregnancy').value;
    return p;
  }
  // The /rank body the form describes (also used by "why not").
  let lastRequest = null;
  async function rankRequest() {
    const req = { patient: await patient(), top: Number($('top').value) || 5 };
    const a = assessment();
    if (a) req.assessment = a;
    else if ($('level').value) req.level = $('level').value;
    if ($('waitlist').checked) req.allow_waitlist = true;
    if ($('selfpay').checked) req.allow_self_pay = true;
    return req;
  }

  // ---- alerts --------------------------------------------------------
  const TEL = { '911': 'tel:911', '988': 'tel:988', '833-773-2445': 'tel:+18337732445' };
  // An alert without a channel (an assignment's) is shown as a safety
  // alert: never understated.
  function alertBox(a) {
    const safety = a.channel !== 'confirm';
    const box = el('div', { class: 'alert ' + (safety ? 'safety' : 'confirm'), role: safety ? 'alert' : null, 'data-kind': a.kind },
      el('strong', { class: 'mark' }, safety ? 'Safety' : 'To confirm'), ' ');
    if (a.contacts && a.contacts.length) {
      box.append(el('span', {}, (a.text || '').split('. ')[0] + '.'));
      box.append(el('ul', { class: 'contacts' }, a.contacts.map((c) => el('li', {},
        el('strong', {}, c.name), ': ',
        TEL[c.contact] ? el('a', { href: TEL[c.contact] }, c.contact) : c.contact,
        ' (' + c.when + ')'))));
    } else {
      // An assignment's alerts carry their kind and facts but no text.
      const more = a.action || a.medication || a.condition;
      box.append(el('span', {}, a.text || (words(a.kind) + (more ? ': ' + words(more) : ''))));
    }
    return box;
  }
  function alertList(alerts) {
    const sorted = (alerts || []).slice().sort((x, y) => (x.channel === 'confirm') - (y.channel === 'confirm'));
    return sorted.map(alertBox);
  }

  // ---- the result ------------------------------------------------------
  const CRITERIA = {
    therapy_fit: 'Therapy fit', credentials: 'Credentials', schedule_flexibility: 'Schedule',
    aftercare: 'Aftercare', distance: 'Distance', wait: 'Wait', freshness: 'Data freshness',
  };
  function matchCard(m, i) {
    const crit = Object.values(m.criteria || {});
    const facts = [
      m.city, words(m.level),
      m.distance_miles == null ? 'distance not known' : m.distance_miles.toFixed(1) + ' miles',
      m.wait_days == null ? 'wait not listed' : 'wait ' + m.wait_days + ' days',
      m.open_slots == null ? 'open slots not listed' : m.open_slots + (m.open_slots === 1 ? ' open slot' : ' open slots'),
    ];
    return el('li', { class: 'match', 'data-program': m.program_id },
      el('h4', {}, el('span', { class: 'rank' }, (i + 1) + '. '), m.program_name,
        m.alternative ? el('span', { class: 'tag' }, ' alternative level') : null),
      el('p', { class: 'facts' }, facts.join(' · ')),
      el('p', { class: 'score' }, 'Score ', el('strong', {}, pct(m.score))),
      alertList(m.alerts),
      el('div', { class: 'bars', role: 'list', 'aria-label': 'Score by criterion' }, crit.map((c) => el('div', { class: 'bar' + (c.score == null ? ' unscored' : ''), role: 'listitem' },
        el('span', { class: 'bar-name' }, CRITERIA[c.criterion] || words(c.criterion)),
        el('span', { class: 'bar-track', 'aria-hidden': 'true' }, el('span', { class: 'bar-fill w' + (c.score == null ? 0 : Math.round(c.score * 20) * 5) })),
        el('span', { class: 'bar-val' }, c.score == null ? 'not scored' : pct(c.score) + ' × ' + c.weight)))),
      el('details', { class: 'reasons' }, el('summary', {}, 'Reasons'),
        crit.map((c) => el('div', {}, el('h5', {}, CRITERIA[c.criterion] || words(c.criterion)),
          el('ul', {}, (c.reasons || []).map((r) => el('li', {}, r.text || words(r.kind)))))))
    );
  }
  function plot(matches) {
    const pts = matches.filter((m) => m.distance_miles != null);
    const W = 320, H = 200, L = 40, B = 30, T = 10, R = 10;
    const maxD = Math.max(1, ...pts.map((m) => m.distance_miles));
    const x = (d) => L + (d / maxD) * (W - L - R);
    const y = (s) => T + (1 - s) * (H - T - B);
    const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', class: 'plot', 'aria-labelledby': 'plot-t' },
      svg('title', { id: 'plot-t' }, 'Programs by distance (miles, across) and score (up)'),
      svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }),
      svg('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }),
      svg('text', { x: L, y: H - 8, class: 'tick' }, '0'),
      svg('text', { x: W - R, y: H - 8, class: 'tick', 'text-anchor': 'end' }, maxD.toFixed(0) + ' mi'),
      svg('text', { x: 4, y: T + 10, class: 'tick' }, '100%'),
      svg('text', { x: 4, y: H - B, class: 'tick' }, '0%'));
    matches.forEach((m, i) => {
      if (m.distance_miles == null) return;
      s.append(svg('circle', { cx: x(m.distance_miles), cy: y(m.score), r: 9, class: 'dot' },
        svg('title', {}, m.program_name + ': ' + pct(m.score) + ', ' + m.distance_miles.toFixed(1) + ' miles')));
      s.append(svg('text', { x: x(m.distance_miles), y: y(m.score) + 4, class: 'dot-label', 'text-anchor': 'middle' }, String(i + 1)));
    });
    return el('figure', {}, s, el('figcaption', {}, 'Each numbered dot is a program above: farther right is farther away, higher is a better score.'));
  }
  function showRanking(d) {
    const out = $('result');
    out.replaceChildren();
    const all = (d.alerts || []).slice();
    out.append(el('h3', { id: 'result-h' }, 'Result: ' + words(d.level)));
    if (all.length) out.append(el('div', { class: 'alerts' }, alertList(all)));
    out.append(el('p', { class: 'summary' }, d.eligible + ' eligible, ' + d.excluded_count + ' excluded' +
      ((d.exclusion_counts || []).length ? ' (' + d.exclusion_counts.map((c) => words(c.reason) + ': ' + c.programs).join(', ') + ')' : '') + '.'));
    if (d.matches.length) {
      out.append(el('ol', { class: 'matches' }, d.matches.map(matchCard)));
      out.append(plot(d.matches));
    } else {
      out.append(el('p', {}, 'No program matches. Use “Why not this program?” below for any program.'));
    }
    if ((d.alternatives || []).length) {
      out.append(el('h3', {}, 'Alternatives at adjacent levels'), el('ol', { class: 'matches' }, d.alternatives.map(matchCard)));
    }
    out.append(el('p', { class: 'actions no-print' }, el('button', { type: 'button', id: 'print' }, 'Print a referral packet')));
    $('print').addEventListener('click', () => window.print());
    $('whynot').hidden = false;
  }

  async function submitPatient(ev) {
    ev.preventDefault();
    const err = $('form-error');
    err.textContent = '';
    const started = performance.now();
    try {
      const req = await rankRequest();
      lastRequest = req;
      const r = await call('POST', '/rank', req);
      if (!r.ok) throw new Error(problemText(r.data));
      showRanking(r.data);
      window.carematchTiming = { rankMs: performance.now() - started };
      window.carematchRuns = (window.carematchRuns || 0) + 1;
      $('result').focus();
    } catch (e) {
      err.textContent = e.message;
    }
  }

  // ---- why not ---------------------------------------------------------
  let programs = [];
  function programId(text) {
    const t = text.trim().toLowerCase();
    const p = programs.find((x) => x.id.toLowerCase() === t || x.name.toLowerCase() === t ||
      (x.name + ' (' + x.city + ')').toLowerCase() === t);
    return p ? p.id : text.trim();
  }
  async function loadPrograms() {
    const r = await call('GET', '/page/programs');
    if (!r.ok) return;
    programs = r.data.programs;
    $('program-list').replaceChildren(...programs.map((p) => el('option', { value: p.name + ' (' + p.city + ')' })));
  }
  async function whyNot(ev) {
    ev.preventDefault();
    const out = $('whynot-out');
    out.replaceChildren();
    if (!lastRequest) return;
    const req = Object.assign({}, lastRequest, { program_id: programId($('whynot-program').value) });
    const r = await call('POST', '/explain', req);
    if (!r.ok) { out.append(el('p', { class: 'error' }, r.status === 404 ? 'No program by that name or id.' : problemText(r.data))); return; }
    const x = r.data;
    const name = x.details.program_name;
    if (x.outcome === 'excluded') {
      out.append(el('p', {}, el('strong', {}, name), ' is excluded for this patient:'),
        el('ul', { class: 'exclusions' }, x.details.reasons.map((e) => el('li', {}, e.text || words(e.reason)))));
    } else {
      out.append(el('p', {}, el('strong', {}, name), ' is not excluded: it ranks ' + x.rank +
        (x.outcome === 'alternative' ? ' as an alternative level' : '') + ', score ' + pct(x.details.score) + '.'),
      el('ol', { class: 'matches', start: x.rank }, matchCard(x.details, x.rank - 1)));
    }
  }

  // ---- the queue -------------------------------------------------------
  let lastAssignment = null;
  function referralsOf(text) {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : v.referrals;
  }
  function download(name, type, text) {
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }
  function csv(assignment) {
    const q = (s) => '"' + String(s == null ? '' : s).replace(/"/g, '""') + '"';
    const rows = [['referral_id', 'status', 'program_id', 'program_name', 'score', 'hold_or_reason', 'waitlist'].join(',')];
    for (const r of assignment.referrals) {
      const p = r.placement || {};
      const why = r.hold ? r.hold.text : (r.reason ? words(r.reason.kind) : '');
      const wl = (r.waitlist || []).map((w) => w.program_id).join(' ');
      rows.push([r.referral_id, r.status, p.program_id, p.program_name, p.score == null ? '' : p.score.toFixed(4), why, wl].map(q).join(','));
    }
    return rows.join('\r\n') + '\r\n';
  }
  function showQueue(d) {
    const out = $('queue-out');
    out.replaceChildren();
    const order = { held: 0, placed: 1, unplaced: 2, invalid: 3 };
    const rs = d.referrals.slice().sort((a, b) => (order[a.status] ?? 4) - (order[b.status] ?? 4));
    out.append(el('p', { class: 'summary' }, d.placed + ' placed, ' + d.held + ' held, ' +
      (d.referrals.length - d.placed - d.held) + ' not placed, of ' + d.referrals.length + '.'));
    out.append(el('ol', { class: 'queue' }, rs.map((r) => {
      const li = el('li', { class: 'referral ' + r.status, 'data-status': r.status },
        el('h4', {}, r.referral_id + ': ' + words(r.status)));
      if (r.hold) li.append(el('div', { class: 'alert safety' }, el('strong', { class: 'mark' }, 'Held'), ' ', r.hold.text));
      if (r.placement) li.append(el('p', {}, 'Placed at ', el('strong', {}, r.placement.program_name),
        ' (choice ' + r.placement.choice + ', score ' + pct(r.placement.score) + ')'), ...alertList(r.placement.alerts));
      if (r.status === 'unplaced' && r.reason) li.append(el('p', {}, 'Not placed: ' + words(r.reason.kind) + '.'));
      if ((r.waitlist || []).length) li.append(el('p', {}, 'Waitlists: '), el('ol', {}, r.waitlist.map((w) =>
        el('li', {}, w.program_name + ' (' + pct(w.score) + (w.wait_days == null ? ', wait not listed' : ', wait ' + w.wait_days + ' days') + ')'))));
      li.append(...alertList((r.alerts || []).filter((a) => !r.hold || a.kind !== 'imminent_risk')));
      return li;
    })));
    const j = el('button', { type: 'button', id: 'queue-json' }, 'Download JSON');
    const c = el('button', { type: 'button', id: 'queue-csv' }, 'Download CSV');
    j.addEventListener('click', () => download('assignment.json', 'application/json', JSON.stringify(lastAssignment, null, 2)));
    c.addEventListener('click', () => download('assignment.csv', 'text/csv', csv(lastAssignment)));
    out.append(el('p', { class: 'actions no-print' }, j, ' ', c));
  }
  async function submitQueue(ev) {
    ev.preventDefault();
    const err = $('queue-error');
    err.textContent = '';
    try {
      const referrals = referralsOf($('queue-text').value);
      const r = await call('POST', '/assign', { referrals, first_come: $('first-come').checked });
      if (!r.ok) throw new Error(problemText(r.data));
      lastAssignment = r.data;
      showQueue(r.data);
    } catch (e) {
      err.textContent = e instanceof SyntaxError ? 'The queue is not JSON: ' + e.message : e.message;
    }
  }
  async function readQueueFile() {
    const f = $('queue-file').files[0];
    if (f) $('queue-text').value = await f.text();
  }

  // ---- admin -----------------------------------------------------------
  let adminId = null, adminVersion = null, adminVerified = '';
  const auth = () => ({ authorization: 'Bearer ' + $('admin-token').value });
  async function adminFind(ev) {
    ev.preventDefault();
    const out = $('admin-out');
    out.textContent = '';
    const id = programId($('admin-program').value);
    const r = await call('GET', '/programs/' + encodeURIComponent(id), undefined, auth());
    if (!r.ok) { out.textContent = r.status === 404 ? 'No program by that name or id.' : problemText(r.data); $('admin-edit').hidden = true; return; }
    const p = r.data;
    adminId = p.id;
    adminVersion = r.headers.get('etag');
    // An undated listing's date is a placeholder: say "not listed".
    adminVerified = (p.not_listed || []).includes('last_verified') ? 'not listed' : p.last_verified;
    $('admin-info').replaceChildren(el('p', {}, el('strong', {}, p.name), ' (' + p.id + ', ' + p.location.city + ')'),
      el('p', { id: 'admin-meta' }, 'Version ' + (adminVersion || '?').replace(/"/g, '') + '; last verified ' + adminVerified + '.'));
    $('admin-accepting').checked = !!p.accepting_new_patients;
    $('admin-wait').value = p.typical_wait_days == null ? '' : p.typical_wait_days;
    $('admin-slots').value = p.open_slots == null ? '' : p.open_slots;
    $('admin-edit').hidden = false;
  }
  async function adminSave(ev) {
    ev.preventDefault();
    const out = $('admin-out');
    const w = $('admin-wait').value, s = $('admin-slots').value;
    const body = { accepting_new_patients: $('admin-accepting').checked,
      typical_wait_days: w === '' ? null : Number(w), open_slots: s === '' ? null : Number(s) };
    const h = auth();
    if (adminVersion) h['if-match'] = adminVersion;
    const r = await call('PATCH', '/programs/' + encodeURIComponent(adminId), body, h);
    if (!r.ok) { out.textContent = 'Not saved: ' + problemText(r.data); return; }
    adminVersion = r.headers.get('etag');
    out.textContent = 'Saved: version ' + r.data.version + '.';
    $('admin-meta').textContent = 'Version ' + r.data.version + '; last verified ' + adminVerified + '.';
  }

  // ---- the sample ------------------------------------------------------
  function fillSample() {
    $('age').value = 34;
    $('diag1').value = 'F43.10';
    $('diag2').value = '';
    $('level').value = 'intensive_outpatient';
    $('payer').value = 'MassHealth';
    $('place').value = 'Worcester';
    $('miles').value = 25;
    $('delivery').value = 'either';
    $('language').value = 'English';
    setWeekdays();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('weekdays').addEventListener('click', setWeekdays);
    $('clear-week').addEventListener('click', () => document.querySelectorAll('table.week input').forEach((c) => { c.checked = false; }));
    $('fill-sample').addEventListener('click', fillSample);
    $('recommend').addEventListener('click', recommend);
    $('patient-form').addEventListener('submit', submitPatient);
    $('whynot-form').addEventListener('submit', whyNot);
    $('queue-form').addEventListener('submit', submitQueue);
    $('queue-file').addEventListener('change', readQueueFile);
    $('admin-find').addEventListener('submit', adminFind);
    $('admin-token').addEventListener('change', () => { if (!programs.length) loadPrograms(); });
    $('admin-edit').addEventListener('submit', adminSave);
    loadPrograms();
    // Print the reasons too: open every folded part while printing.
    window.addEventListener('beforeprint', () => document.querySelectorAll('#result details').forEach((d) => { d.open = true; }));
    document.documentElement.classList.add('js');
  });
})();
