"""Server-rendered pages, one module per concept (Fava's layout): ``auth`` (login/logout and the
home redirect), ``submissions``, ``reviews`` (uploaded reports), ``dashboard``. Views only parse
the request, call :mod:`sifund.web.services` / :mod:`sifund.web.scope`, and render a template."""
