// The story page's script: picks without reloading (a form post when scripts are off), the
// keyboard, the large view and the render's progress. Every key acts on the focused tile, or
// does nothing.
(() => {
  const token = new URLSearchParams(location.search).get('t');
  const slug = document.body.dataset.slug;
  const note = text => { const m = document.getElementById('message'); m.textContent = text; m.hidden = !text; };
  const tilesOf = scene => [...scene.querySelectorAll('button.tile')];
  const sceneOf = el => el && el.closest && el.closest('.scene');

  // One tab stop per scene: the focused (or picked) tile.
  const focusTile = t => {
    if (!t) return;
    tilesOf(sceneOf(t)).forEach(o => o.tabIndex = o === t ? 0 : -1);
    t.focus();
    t.scrollIntoView({block: 'nearest'});
  };

  // Picking: the form posts in the background; the tile shows "picking…" until it is saved.
  const mark = (scene, k) => {
    tilesOf(scene).forEach((t, i) => {
      t.classList.toggle('picked', i === k);
      t.setAttribute('aria-pressed', i === k);
    });
    const large = scene.querySelector('.large img');
    const img = tilesOf(scene)[k].querySelector('img');
    if (large && img) large.src = img.src.replace('/thumb/s/', '/thumb/l/');
  };
  document.addEventListener('submit', async e => {
    const form = e.target;
    if (!form.classList.contains('pick')) return;
    e.preventDefault();
    const tile = e.submitter;
    if (!tile) return;
    const scene = sceneOf(tile);
    tile.classList.add('pending');
    const body = new URLSearchParams({scene: scene.dataset.scene, k: tile.value});
    try {
      const r = await fetch(form.action, {method: 'POST', body, headers: {Accept: 'application/json'}});
      const answer = await r.json().catch(() => ({error: `the page answered ${r.status}`}));
      if (!r.ok || answer.error) throw new Error(answer.error || r.status);
      mark(scene, +tile.value);
      document.getElementById('progress').textContent = `${answer.picked} / ${answer.scenes} scenes picked`;
      note('');
    } catch (err) {
      note(`scene ${scene.dataset.scene}: the pick was not saved (${err.message})`);
    } finally {
      tile.classList.remove('pending');
    }
  });

  // The large view.
  const box = document.getElementById('lightbox');
  let viewed = null;
  const view = t => {
    viewed = t;
    const img = t.querySelector('img');
    if (!img) return;
    box.querySelector('img').src = img.src.replace('/thumb/s/', '/thumb/l/');
    box.querySelector('.caption').textContent =
      `scene ${sceneOf(t).dataset.scene}, candidate ${t.value}` + (t.classList.contains('picked') ? ' (picked)' : '');
    box.hidden = false;
    box.querySelector('button.close').focus();
  };
  const close = () => { box.hidden = true; if (viewed) focusTile(viewed); viewed = null; };
  document.querySelectorAll('a.zoom').forEach(a => a.addEventListener('click', e => {
    e.preventDefault();
    view(a.parentElement.querySelector('button.tile'));
  }));
  box.querySelector('button.close').addEventListener('click', close);
  box.querySelector('button.pick').addEventListener('click', () => { const t = viewed; close(); t.click(); });
  box.addEventListener('click', e => { if (e.target === box) close(); });

  // The keyboard. A number of several digits is typed within a moment: "1", "2" picks 12.
  let digits = '', timer = null;
  const pickNumber = (scene, typed) => {
    digits = ''; clearTimeout(timer);
    const t = tilesOf(scene)[+typed];
    if (t) { focusTile(t); t.click(); }
    else note(`scene ${scene.dataset.scene} has no candidate ${typed}`);
  };
  document.addEventListener('keydown', e => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (!box.hidden) {
      const tiles = tilesOf(sceneOf(viewed)), at = tiles.indexOf(viewed);
      if (e.key === 'Escape') close();
      else if (e.key === 'ArrowRight' && tiles[at + 1]) view(tiles[at + 1]);
      else if (e.key === 'ArrowLeft' && at > 0) view(tiles[at - 1]);
      else if (e.key === 'Enter') box.querySelector('button.pick').click();
      else return;
      e.preventDefault();
      return;
    }
    const here = document.activeElement;
    if (!here || !here.classList || !here.classList.contains('tile')) return;
    const scene = sceneOf(here), tiles = tilesOf(scene), at = tiles.indexOf(here);
    if (/^[0-9]$/.test(e.key)) {
      digits += e.key;
      clearTimeout(timer);
      // Pick at once when no longer number can follow, else after a moment.
      if (digits === '0' || +digits * 10 >= tiles.length) pickNumber(scene, digits);
      else { const typed = digits; timer = setTimeout(() => pickNumber(scene, typed), 700); }
    } else if (e.key === 'ArrowRight') focusTile(tiles[Math.min(at + 1, tiles.length - 1)]);
    else if (e.key === 'ArrowLeft') focusTile(tiles[Math.max(at - 1, 0)]);
    else if (e.key === 'Home') focusTile(tiles[0]);
    else if (e.key === 'End') focusTile(tiles[tiles.length - 1]);
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const scenes = [...document.querySelectorAll('.scene')].filter(s => tilesOf(s).length);
      const next = scenes[scenes.indexOf(scene) + (e.key === 'ArrowDown' ? 1 : -1)];
      if (next) focusTile(next.querySelector('button.tile.picked') || tilesOf(next)[0]);
    } else if (e.key === 'v' || e.key === 'V') view(here);
    else return;
    e.preventDefault();
  });

  // The scene the page came back to keeps the keyboard (a reload after a pick without scripts).
  const start = document.querySelector('[autofocus]');
  if (start && document.activeElement !== start) focusTile(start);

  // A render in the background: its progress every second, without reloading the page.
  const status = document.getElementById('render-status');
  const poll = async () => {
    let s;
    try {
      s = await (await fetch(`/s/${slug}/status?t=${token}`)).json();
    } catch (err) { setTimeout(poll, 2000); return; }
    status.textContent = s.status;
    status.className = s.state === 'failed' ? 'problem' : '';
    const log = document.getElementById('render-log');
    log.textContent = s.log; log.hidden = !s.log;
    if (s.state === 'running') { setTimeout(poll, 1000); return; }
    if (s.state === 'done' && s.video) {
      const box = document.getElementById('last-video');
      const video = document.getElementById('video');
      video.src = `/video/${slug}?t=${token}&v=${Date.now()}`;
      box.hidden = false;
    }
  };
  if (document.body.dataset.rendering === 'yes') poll();
})();
