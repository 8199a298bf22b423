// Loaded synchronously as the first element in <body> (a classic script, not
// inline: the Content Security Policy forbids inline script). Adds the classes
// GOV.UK Frontend's CSS and JavaScript check for: "js-enabled" whenever
// JavaScript runs, and "govuk-frontend-supported" when the browser supports
// ES modules (the same test as GOV.UK Frontend's own page template snippet,
// `document.body.className += ' js-enabled' + ('noModule' in
// HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')`).
//
// classList.add is used instead of `className +=` so that running it again
// adds nothing: htmx re-runs scripts found in content it swaps in, including
// this one after every boosted navigation (unless htmx.config.allowScriptTags
// is false).
document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
