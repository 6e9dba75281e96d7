/// The page's Mustache template: inline CSS, inline SVG charts (`{{{.}}}`: SVG the chart module wrote and escaped),
/// everything else escaped by Mustache. The live view adds a small script that takes each new state of the page from
/// the server's event stream.
enum RunPageTemplate {
    static let text = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --panel: #f6f7f9; --accent: #0072B2; --bad: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
        header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 0 0 6px; }
        .subtitle, .intro, .note { color: var(--muted); margin: 0 0 8px; }
        main { padding: 8px 32px 32px; max-width: 1200px; }
        nav { padding: 8px 32px; font-size: 13px; }
        nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
        .cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 4px; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 140px; }
        .card .value { font-size: 20px; font-weight: 600; }
        .card.bad .value { color: var(--bad); }
        .card .label { color: var(--muted); font-size: 12px; }
        section { margin: 26px 0; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        svg.chart { max-width: 100%; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
        svg .chart-title { font-weight: 600; font-size: 13px; fill: var(--ink); }
        svg .tick, svg .legend { font-size: 11px; fill: var(--muted); }
        svg .small { font-size: 9px; }
        svg .axis-title { font-size: 11px; fill: var(--ink); }
        svg .grid { stroke: #e8ebf0; }
        svg .axis { stroke: #9aa3b2; }
        svg .band { fill: #D55E00; fill-opacity: 0.12; }
        svg .cell { stroke: #fff; }
        table { border-collapse: collapse; margin-top: 8px; font-size: 13px; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
        th { color: var(--muted); font-weight: 600; }
        td:first-child, th:first-child { white-space: nowrap; }
        footer { color: var(--muted); font-size: 12px; padding: 0 32px 24px; }
        </style>
        </head>
        <body>
        <div id="page">
        <header>
        <h1>{{title}}</h1>
        <p class="subtitle">{{subtitle}}</p>
        <div class="cards">{{#cards}}<div class="card {{tone}}"><div class="value">{{value}}</div><div class="label">{{label}}</div></div>{{/cards}}</div>
        </header>
        <nav>{{#sections}}<a href="#{{id}}">{{heading}}</a>{{/sections}}<a href="#settings">Settings</a></nav>
        <main>
        {{#sections}}
        <section id="{{id}}">
        <h2>{{heading}}</h2>
        <p class="intro">{{intro}}</p>
        <div class="charts">{{#charts}}{{{.}}}{{/charts}}</div>
        {{#notes}}<p class="note">{{.}}</p>{{/notes}}
        {{#table}}<table><thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead><tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody></table>{{/table}}
        </section>
        {{/sections}}
        <section id="settings">
        <h2>Settings</h2>
        <table><tbody>{{#settings}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/settings}}</tbody></table>
        </section>
        </main>
        <footer>Written by eixm. Rule IDs and legal sources as in docs/EIXM-RULES.md.</footer>
        </div>
        {{#refreshSeconds}}
        <script>
        // The live view: the server sends the page's new state every second; the page swaps it in.
        const events = new EventSource("/events");
        events.onmessage = (event) => {
            const next = new DOMParser().parseFromString(event.data, "text/html").getElementById("page");
            if (next) { document.getElementById("page").replaceWith(next); }
        };
        </script>
        {{/refreshSeconds}}
        </body>
        </html>
        """
}
