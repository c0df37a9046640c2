/// The sheriff page (Mustache, rendering a `SheriffQueueView`; `{{…}}` escapes for HTML). No
/// script: every action is a form carrying the session's CSRF token.
enum SheriffPageTemplate {
    static let page = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Autoland: sheriff queue</title>
    <style>
    body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60em; padding: 1em 1.5em; color: #1b1b1f; }
    header { display: flex; justify-content: space-between; align-items: center; flex-wrap: wrap; gap: 1em; border-bottom: 1px solid #ccc; }
    h1 { font-size: 1.4em; margin: .6em 0; }
    h2 { font-size: 1.15em; margin-top: 1.6em; }
    h3 { margin: 0 0 .4em; font-size: 1.05em; }
    h3 span { font-weight: normal; color: #555; }
    .request { border: 1px solid #d0d0d8; border-radius: 6px; padding: .8em 1em; margin: .8em 0; background: #fafafc; }
    dl { display: grid; grid-template-columns: 8em 1fr; gap: .2em .8em; margin: 0; }
    dt { color: #555; }
    dd { margin: 0; }
    dd ul { margin: 0; padding-left: 1.1em; }
    .actions { display: flex; gap: 1em; margin-top: .8em; flex-wrap: wrap; }
    .actions form { display: flex; gap: .4em; }
    input[type=text] { width: 22em; }
    button { cursor: pointer; padding: .25em .9em; }
    button.land { background: #1a7f37; color: #fff; border: 1px solid #116329; border-radius: 4px; }
    button.reject { background: #cf222e; color: #fff; border: 1px solid #a40e26; border-radius: 4px; }
    .notice { background: #dafbe1; padding: .5em .8em; border-radius: 4px; }
    .error { background: #ffebe9; padding: .5em .8em; border-radius: 4px; }
    .readonly { color: #555; font-style: italic; }
    table { border-collapse: collapse; width: 100%; font-size: .92em; }
    th, td { text-align: left; border-bottom: 1px solid #e2e2e8; padding: .25em .5em; vertical-align: top; }
    td:first-child { white-space: nowrap; }
    </style>
    </head>
    <body>
    <header>
    <h1>Autoland: sheriff queue</h1>
    {{#user}}
    <form method="post" action="/autoland/logout">
    <span id="signed-in">Signed in as <strong>{{.}}</strong>{{#mayDecide}} (sheriff){{/mayDecide}}</span>
    <input type="hidden" name="csrf" value="{{formToken}}">
    <button type="submit" id="sign-out">Sign out</button>
    </form>
    {{/user}}
    {{^user}}
    <form method="post" action="/autoland/login">
    <label>Personal token <input type="password" name="token" id="token" required autocomplete="off"></label>
    <input type="hidden" name="login_csrf" value="{{formToken}}">
    <button type="submit" id="sign-in">Sign in</button>
    </form>
    {{/user}}
    </header>
    {{#notice}}<p class="notice" id="notice">{{.}}</p>{{/notice}}
    {{#error}}<p class="error" id="error">{{.}}</p>{{/error}}
    {{#readOnlyBecause}}<p class="readonly" id="read-only">Read-only: {{.}}</p>{{/readOnlyBecause}}
    {{^user}}<p class="readonly" id="read-only">Read-only: sheriffs sign in with their personal token (<code>wptsync token issue</code>) to land or reject.</p>{{/user}}
    <h2>Waiting for a sheriff</h2>
    {{^items}}<p id="empty">No request waits for a sheriff.</p>{{/items}}
    {{#items}}
    <section class="request" id="request-{{id}}">
    <h3>Request {{id}} <span>by {{requester}} for {{tree}}</span></h3>
    <dl>
    <dt>Try push</dt><dd><a href="{{push.url}}">{{push.text}}</a>, received {{received}}</dd>
    <dt>Bugs</dt><dd>{{#bugs}}<a href="{{url}}">{{text}}</a> {{/bugs}}</dd>
    <dt>Changesets</dt><dd>{{#changesets}}{{#url}}<a href="{{.}}">{{/url}}<code>{{text}}</code>{{#url}}</a>{{/url}} {{/changesets}}</dd>
    <dt>Failed again</dt><dd><ul>{{#failedJobs}}<li><a class="job" href="{{url}}">{{name}}</a>: {{result}} (task {{task}})</li>{{/failedJobs}}</ul></dd>
    </dl>
    {{#mayDecide}}
    <div class="actions">
    <form method="post" action="/autoland/{{id}}/land">
    <input type="hidden" name="csrf" value="{{formToken}}">
    <button type="submit" class="land">Land</button>
    </form>
    <form method="post" action="/autoland/{{id}}/reject">
    <input type="hidden" name="csrf" value="{{formToken}}">
    <input type="text" name="reason" required placeholder="Why (commented on the bug)" aria-label="Reason">
    <button type="submit" class="reject">Reject</button>
    </form>
    </div>
    {{/mayDecide}}
    </section>
    {{/items}}
    <h2>Audit log</h2>
    <table id="audit">
    <thead><tr><th>When</th><th>Request</th><th>Who</th><th>Decision</th><th>Why</th></tr></thead>
    <tbody>
    {{#audit}}<tr><td>{{at}}</td><td>{{request}}</td><td>{{who}}</td><td>{{phase}}</td><td>{{why}}</td></tr>
    {{/audit}}
    </tbody>
    </table>
    </body>
    </html>
    """#
}
