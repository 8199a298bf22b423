"""Rendering to other formats: the PDF of a plan, the Diamond 9 as SVG, and emails."""
