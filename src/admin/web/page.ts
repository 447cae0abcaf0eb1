/**
 * The web view's page and style sheet, kept as strings so that the compiled output alone (dist/,
 * the npm package, the image) holds them: nothing is read from disk or fetched from elsewhere.
 * The page holds no inline script or style, so the Content-Security-Policy can forbid both.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portico</title>
<link rel="stylesheet" href="/view/app.css">
<script type="module" src="/view/app.js"></script>
</head>
<body>
<header>
  <h1>Portico</h1>
  <label>Namespace
    <select id="namespace"><option value="">all namespaces</option></select>
  </label>
  <span id="live" class="live" data-state="connecting">connecting…</span>
  <ul class="legend" aria-label="What the colours mean">
    <li><span class="dot ok"></span><span title="Every condition is as it should be: Accepted, Programmed, ResolvedRefs and the like are True.">ok</span></li>
    <li><span class="dot problem"></span><span title="A condition reports a problem: one of Accepted, Programmed, ResolvedRefs and the like is False, or Conflicted is True. Hover a node to read which.">problem</span></li>
    <li><span class="dot neutral"></span><span title="Not decided yet (a condition is Unknown or Pending), or nothing to judge by (no conditions).">pending or unknown</span></li>
  </ul>
</header>
<main>
  <nav id="tree" aria-label="Resource tree"><p class="empty">Loading…</p></nav>
  <section id="details" aria-live="polite"><p class="empty">Pick a node to see the object, its status and the data plane configuration made from it.</p></section>
</main>
</body>
</html>
`;

export const PAGE_CSS = `:root {
  --ok: #1a7f37; --problem: #cf222e; --neutral: #8c959f;
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --pick: #ddf4ff; --bg: #ffffff; --code: #f6f8fa;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 14px; color: var(--fg); background: var(--bg);
}
body { margin: 0; height: 100vh; display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
.live { font-size: .85rem; color: var(--muted); }
.live[data-state="live"]::before { content: "● "; color: var(--ok); }
.live[data-state="lost"]::before { content: "● "; color: var(--problem); }
.legend { display: flex; gap: 1rem; list-style: none; margin: 0 0 0 auto; padding: 0; font-size: .85rem; }
.legend li { display: flex; align-items: center; gap: .3rem; cursor: help; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(18rem, 2fr) 3fr; }
#tree { padding: .5rem 1rem; border-right: 1px solid var(--line); overflow: auto; }
#tree ul { list-style: none; margin: 0; padding-left: 1.2rem; }
#tree > ul { padding-left: 0; }
.toggle { display: inline-block; width: 1.1rem; border: 0; background: none; padding: 0; font: inherit; color: var(--muted); cursor: pointer; }
span.toggle { cursor: default; }
.node { display: inline-flex; align-items: baseline; gap: .35rem; border: 0; background: none; font: inherit; color: inherit; text-align: left; padding: .15rem .3rem; border-radius: 4px; cursor: pointer; }
.node:hover { background: var(--code); }
.node[aria-selected="true"] { background: var(--pick); }
.node .kind { color: var(--muted); font-size: .8rem; }
.node .detail { color: var(--muted); font-size: .85rem; }
.node.problem .name { color: var(--problem); font-weight: 600; }
.dot { display: inline-block; width: .65rem; height: .65rem; border-radius: 50%; flex: none; align-self: center; }
.dot.ok { background: var(--ok); }
.dot.problem { background: var(--problem); }
.dot.neutral { background: var(--neutral); }
#details { padding: .5rem 1rem; overflow: auto; }
#details h2 { font-size: 1rem; margin: .5rem 0; }
#details h3 { font-size: .9rem; margin: 1rem 0 .3rem; }
.reason { margin: .2rem 0; }
.reason.problem { color: var(--problem); }
.note, .empty { color: var(--muted); }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 4px; padding: .5rem; overflow: auto; font-size: .8rem; line-height: 1.35; margin: 0; }
`;
