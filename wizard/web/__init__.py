"""The web layer: access declarations, languages, forms, filters, errors, security headers,
and the blueprints (`views/`), which stay thin: they read the request, call the data layer
and render; they never query or commit."""
