"""Use cases, below the web layer: views read the request, call one service and render."""
