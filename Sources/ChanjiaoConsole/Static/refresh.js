// Progressive: while a match run is queued or running, reload the page every 3 seconds.
setTimeout(function () { window.location.reload(); }, 3000);
