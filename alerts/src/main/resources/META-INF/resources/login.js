// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
if (new URLSearchParams(location.search).has('error')) {
  document.getElementById('error').hidden = false;
}
