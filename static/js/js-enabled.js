// Adds the js-enabled and govuk-frontend-supported classes to <body>: see static/README.md.
document.body.classList.add("js-enabled");"noModule"in HTMLScriptElement.prototype&&document.body.classList.add("govuk-frontend-supported")
