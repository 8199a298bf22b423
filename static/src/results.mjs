// Professional learning planner: after filtering a list, say what it found.
//
// A filter is a GET form whose action ends in "#results" (the cluster
// dashboard's status filter): the page comes back with the list, and without
// JavaScript the browser scrolls to its heading. Here keyboard focus goes to
// that heading (id="results", whose text says how many schools are shown of
// how many), and a polite live region (id="results-status") says the same, so
// that a screen reader user hears the count as soon as the page is back.

function showResults () {
  if (window.location.hash !== '#results') {
    return
  }
  const heading = document.getElementById('results')
  if (!heading) {
    return
  }
  heading.focus()
  const status = document.getElementById('results-status')
  if (status) {
    // Filled after a moment, so that screen readers notice the change.
    window.setTimeout(function () {
      status.textContent = status.getAttribute('data-results') || heading.textContent.trim()
    }, 300)
  }
}

showResults()
