"""`medloc serve`: a local web workspace for translators and health-literacy reviewers.

Pages (server-rendered, Jinja2 autoescaping, no JavaScript):
  /                          dashboard: every document x locale, its state and readability
  /doc/DOC/LANG              English and translation side by side; edit, approve, QA, diffs
  /doc/DOC/LANG/preview      the page as `medloc publish` would render it, with a banner while
                             any unit is unapproved (publishing itself stays with the CLI)

Every page reads the files on each request and calls the stages themselves: `pipeline.status`
for the dashboard, `pipeline.review.packet_context` (approvals, QA, diffs, readability) for
the document view, `pipeline.approvals.approve` for approving, `pipeline.publish.preview_html`
for the preview. Writes take the project lock (`pipeline.lock`) like any medloc command.

Safety: POSTs carry a CSRF token tied to the session; document and locale names must be ones
the project has; the Host header must be a loopback name while bound to loopback (no DNS
rebinding); bound to any other address, every request needs the token printed at start.
"""

from pipeline.web.app import create_app, serve

__all__ = ["create_app", "serve"]
