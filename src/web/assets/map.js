// The Map's slider, live: as the month slider or the question changes, the map, legend and table are recoloured from
// /map/answers.json (each place's answers over time, from the engine) without reloading. Without this script the
// form submits and the server draws the same thing.
(() => {
  const form = document.getElementById('map-form');
  const svg = document.getElementById('map');
  const table = document.getElementById('map-table');
  if (!form || !svg || !table || !window.fetch) return;
  const words = JSON.parse(svg.dataset.words);
  const range = form.querySelector('#m');
  const output = form.querySelector('#m-value');
  const question = form.querySelector('#question');
  const heading = document.getElementById('answer-heading');
  const today = form.dataset.today;
  const lang = document.documentElement.lang;
  // Links carry the language on when the page's came from ?lang= (as the server's links do).
  const carry = new URLSearchParams(location.search).has('lang');
  const dateStyle = form.dataset.dateStyle;
  const long = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
  const word = (d) => (dateStyle === 'long' ? long.format(new Date(`${d}T00:00:00Z`)) : d);
  const monthIndex = (d) => (Number(d.slice(0, 4)) - 2008) * 12 + Number(d.slice(5, 7)) - 1;
  const monthDate = (m) => (m >= monthIndex(today) ? today : `${2008 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`);
  const at = (spans, date) => {
    let found;
    for (const s of spans || []) if (s.from <= date) found = s;
    return found;
  };
  const cache = new Map();
  const load = (id) => {
    if (!cache.has(id)) cache.set(id, fetch(`/map/answers.json?question=${encodeURIComponent(id)}&lang=${lang}`).then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText)))));
    return cache.get(id);
  };
  const setFill = (el, outcome) => {
    el.setAttribute('class', el.getAttribute('class').replace(/fill--[a-z_]+/, `fill--${outcome}`));
  };
  const apply = (data, date) => {
    const counts = {};
    for (const a of svg.querySelectorAll('a[data-j]')) {
      const j = a.dataset.j;
      const span = at(data.answers[j], date);
      const outcome = span ? span.outcome : 'none';
      counts[outcome] = (counts[outcome] || 0) + 1;
      const shape = a.firstElementChild;
      setFill(shape, outcome);
      const label = data.label.replace('{name}', data.names[j]).replace('{answer}', words[outcome]);
      a.setAttribute('aria-label', label);
      shape.querySelector('title').textContent = label;
      a.setAttribute('href', a.getAttribute('href').replace(/date=[0-9-]+/, `date=${date}`));
    }
    for (const li of document.querySelectorAll('.legend li[data-outcome]')) {
      const n = counts[li.dataset.outcome] || 0;
      li.querySelector('.legend__count').textContent = data.counts[n];
    }
    for (const row of table.querySelectorAll('tbody tr[data-j]')) {
      const j = row.dataset.j;
      const span = at(data.answers[j], date);
      const outcome = span ? span.outcome : 'none';
      const cell = row.querySelector('td.answer span');
      cell.className = `outcome outcome--${outcome}`;
      cell.dataset.outcome = outcome;
      cell.textContent = words[outcome];
      const gov = row.querySelector('td.governing');
      gov.replaceChildren();
      const refs = span ? span.governing : [];
      if (!refs.length) gov.textContent = '—';
      refs.forEach((ref, i) => {
        if (i) gov.append(document.createElement('br'));
        const link = document.createElement('a');
        link.href = `/explore/${data.provisions[ref]}?date=${date}${carry ? `&lang=${lang}` : ''}#p-${ref.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
        const code = document.createElement('code');
        code.textContent = ref;
        link.append(code);
        gov.append(link);
      });
      const index = at(data.index[j], date);
      const idx = row.querySelector('td.index');
      if (index) idx.textContent = data.indexValue.replace('{score}', String(index.score)).replace('{max}', String(index.max));
    }
    output.textContent = word(date);
    range.setAttribute('aria-valuetext', word(date));
    for (const el of document.querySelectorAll('.map-question__date')) el.textContent = data.on.replace('{date}', word(date));
    const caption = table.querySelector('caption');
    if (caption) caption.textContent = data.caption.replace('{date}', word(date));
    const title = svg.querySelector('title');
    if (title) title.textContent = data.title.replace('{date}', word(date));
    const exact = document.querySelector('.map-exact input[name=date]');
    if (exact) exact.value = date;
    const url = new URL(location.href);
    url.searchParams.set('question', data.question);
    url.searchParams.delete('m');
    url.searchParams.set('date', date);
    history.replaceState(null, '', url);
  };
  let pending = 0;
  const update = async () => {
    const ticket = ++pending;
    const date = monthDate(Number(range.value));
    try {
      const data = await load(question.value);
      if (ticket !== pending) return;
      if (heading && heading.firstChild) heading.firstChild.textContent = `${data.text} `;
      for (const q of document.querySelectorAll('.map-exact input[name=question]')) q.value = data.question;
      apply(data, date);
    } catch {
      // Without the data the form still works: the button submits.
    }
  };
  range.addEventListener('input', update);
  question.addEventListener('change', update);
})();
