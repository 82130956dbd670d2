// The Explorer's tree, filtered as one types in the search box (the search itself works without this: it submits).
(() => {
  const input = document.querySelector('input[data-filter="tree"]');
  const tree = document.getElementById('tree');
  const empty = document.getElementById('tree-empty');
  if (!input || !tree) return;
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const items = [...tree.querySelectorAll('li[data-name]')];
  const apply = () => {
    const q = fold(input.value.trim());
    let shown = 0;
    // A place stays visible when it or a place below it matches, so the tree keeps its shape.
    for (const li of items.slice().reverse()) {
      const match = !q || fold(li.dataset.name).includes(q) || [...li.querySelectorAll(':scope > ul > li')].some((c) => !c.hidden);
      li.hidden = !match;
      if (match) shown++;
    }
    if (empty) empty.hidden = shown > 0;
  };
  input.addEventListener('input', apply);
})();
