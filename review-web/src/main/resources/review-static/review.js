// The review workbench page. The server renders the list and the pair as escaped HTML fragments; this script
// only places them, moves the selection and posts decisions. Text from the data is never put in as HTML here.
(() => {
  'use strict';
  const list = document.getElementById('list');
  const detail = document.getElementById('detail');
  const filters = document.getElementById('filters');
  const notice = document.getElementById('notice');
  const POST = {'Content-Type': 'application/json', 'X-Review-Action': '1'};
  let offset = 0;
  let index = 0;
  // Page size: ?limit=N on the page's address, else the server's default.
  const limit = new URLSearchParams(location.search).get('limit');
  // Keys typed faster than the server answers run one after the other, each on the pair the last one left.
  let queue = Promise.resolve();
  const enqueue = fn => { queue = queue.then(fn).catch(e => say(String(e), true)); return queue; };

  const rows = () => Array.from(list.querySelectorAll('tr.row'));
  const pair = () => document.getElementById('pair');
  const pager = () => document.getElementById('pager');

  function say(text, warn) {
    notice.textContent = text;
    notice.className = warn ? 'warn' : '';
    notice.hidden = !text;
  }

  function query(extra) {
    const p = new URLSearchParams(new FormData(filters));
    if (limit) { p.set('limit', limit); }
    Object.entries(extra || {}).forEach(([k, v]) => p.set(k, v));
    return p.toString();
  }

  async function fetchText(url) {
    const r = await fetch(url, {credentials: 'same-origin'});
    if (!r.ok) { say('The server answered ' + r.status + ' for ' + url, true); }
    return r.text();
  }

  async function loadList(keepIndex) {
    list.innerHTML = await fetchText('/review/list?' + query({offset}));
    offset = Number(pager().dataset.offset);
    const all = rows();
    if (all.length === 0) {
      detail.replaceChildren(Object.assign(document.createElement('p'), {className: 'empty', textContent: 'No pairs match.'}));
      return;
    }
    index = Math.max(0, Math.min(keepIndex ? index : 0, all.length - 1));
    await select(index);
  }

  async function select(i) {
    const all = rows();
    all.forEach(r => r.classList.remove('selected'));
    index = i;
    const row = all[i];
    row.classList.add('selected');
    row.scrollIntoView({block: 'nearest'});
    await showPair(row.dataset.key);
  }

  async function showPair(key) {
    detail.innerHTML = await fetchText('/review/pair?key=' + encodeURIComponent(key));
    detail.querySelectorAll('time[data-ms]').forEach(t => { t.textContent = new Date(Number(t.dataset.ms)).toLocaleString(); });
  }

  async function move(step) {
    const all = rows();
    const next = index + step;
    const p = pager();
    if (next >= all.length) {
      if (p && Number(p.dataset.offset) + all.length < Number(p.dataset.total)) {
        offset += Number(p.dataset.limit);
        index = 0;
        await loadList(true);
      }
    } else if (next < 0) {
      if (offset > 0) {
        offset = Math.max(0, offset - Number(p.dataset.limit));
        index = Number(p.dataset.limit) - 1;
        await loadList(true);
      }
    } else {
      await select(next);
    }
  }

  async function decide(body) {
    const shown = pair();
    if (!shown) { return null; }
    body.key = shown.dataset.key;
    body.seen = Number(shown.dataset.seen);
    const r = await fetch('/review/decide', {method: 'POST', headers: POST, body: JSON.stringify(body), credentials: 'same-origin'});
    const res = await r.json();
    if (!r.ok) { say(res.error || ('error ' + r.status), true); return null; }
    if (res.replaced) {
      const d = res.replaced;
      say('This pair\'s decision changed after you opened it: ' + (d.verdict || 'withdrawn') + ' by ' + d.reviewer + ' at '
        + new Date(d.decidedAtMs).toLocaleString() + '. Yours is now the latest.', true);
    } else if (!res.needsConfirm) {
      say(body.action === 'undo' ? 'Decision withdrawn.' : 'Saved: ' + (res.decision ? res.decision.verdict : ''), false);
    }
    return res;
  }

  /** After a decision: the list again (the pair may leave it under "not reviewed"), then the next pair. */
  async function advanceFrom(key) {
    await loadList(true);
    const all = rows();
    if (all[index] && all[index].dataset.key === key) { await move(1); }
  }

  async function act(body) {
    const key = pair() && pair().dataset.key;
    const res = await decide(body);
    if (res && !res.needsConfirm) { await advanceFrom(key); }
    return res;
  }

  function openReject() {
    const form = document.getElementById('reject-form');
    if (!form) { return; }
    form.hidden = false;
    form.reason.focus();
  }

  function openEdit() {
    const form = document.getElementById('edit-form');
    if (!form) { return; }
    form.hidden = false;
    delete form.dataset.confirm;
    form.answer.focus();
  }

  async function bulkAccept() {
    const shown = pair();
    if (!shown) { return; }
    const doc = shown.dataset.document;
    if (!window.confirm('Accept every borderline pair of ' + doc + ' not yet reviewed?')) { return; }
    const r = await fetch('/review/accept-borderline', {method: 'POST', headers: POST, body: JSON.stringify({document: doc}), credentials: 'same-origin'});
    const res = await r.json();
    say(r.ok ? 'Accepted ' + res.accepted + ' borderline pairs of ' + doc + '.' : res.error, !r.ok);
    await loadList(true);
  }

  detail.addEventListener('submit', async e => {
    e.preventDefault();
    const form = e.target;
    if (form.id === 'reject-form') {
      await enqueue(() => act({action: 'reject', reason: form.other.value.trim() || form.reason.value}));
    } else if (form.id === 'edit-form') {
      let res;
      await enqueue(async () => { res = await act({action: 'edit', question: form.question.value, answer: form.answer.value,
        confirm: form.dataset.confirm === '1'}); });
      if (res && res.needsConfirm) {
        const s = res.editScore;
        const box = document.getElementById('edit-score');
        box.textContent = 'The scorer rejects this edit (' + s.overall.toFixed(2) + '): ' + s.reasons.join('; ')
          + '. Ctrl+Enter again keeps it anyway; Esc cancels.';
        box.className = 'warn';
        form.dataset.confirm = '1';
      }
    }
  });

  detail.addEventListener('keydown', e => {
    const form = e.target.form;
    if (!form) { return; }
    if (e.key === 'Escape') {
      form.hidden = true;
      e.preventDefault();
      e.stopPropagation();
      document.activeElement.blur();
    } else if (e.key === 'Enter' && (form.id === 'reject-form' || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      e.stopPropagation();
      form.requestSubmit();
    }
  });

  detail.addEventListener('click', e => {
    const link = e.target.closest('[data-goto]');
    if (link) { e.preventDefault(); showPair(link.dataset.goto); }
  });

  list.addEventListener('click', e => {
    const page = e.target.closest('button[data-page]');
    if (page) { offset = Number(page.dataset.page); index = 0; loadList(true); return; }
    const row = e.target.closest('tr.row');
    if (row) { select(Number(row.dataset.index)); }
  });

  filters.addEventListener('submit', e => {
    e.preventDefault();
    offset = 0;
    loadList(false);
    document.activeElement.blur();
  });
  filters.addEventListener('change', e => {
    if (e.target.tagName === 'SELECT' || e.target.type === 'checkbox') { filters.requestSubmit(); }
  });

  document.addEventListener('keydown', e => {
    const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName);
    if (typing) {
      if (e.key === 'Escape') { e.target.blur(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    const actions = {
      j: () => move(1),
      k: () => move(-1),
      a: () => act({action: 'accept'}),
      r: openReject,
      e: openEdit,
      u: () => act({action: 'undo'}),
      b: bulkAccept,
      '/': () => filters.q.focus(),
    };
    const run = actions[e.key];
    if (run) { e.preventDefault(); enqueue(run); }
  });

  loadList(false);
})();
