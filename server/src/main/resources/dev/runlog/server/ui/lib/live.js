// Polling for what is RUNNING: one request at a time, every second, only while the page is shown.

const INTERVAL_MS = 1000;
const indicator = () => document.getElementById('live');

/**
 * Calls tick() every second while the view is shown and tick() returns true (something shown is
 * still running). Returns a stop function; the page also stops it when it is left.
 */
export function poll(ctx, tick) {
  let timer = null;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (indicator()) indicator().hidden = true;
  };
  const next = () => {
    if (stopped || !ctx.alive()) return stop();
    timer = setTimeout(async () => {
      let again = false;
      try {
        again = await tick();
      } catch (e) {
        again = true; // a failed poll (the server restarting, say) is tried again
      }
      if (again) next(); else stop();
    }, INTERVAL_MS);
  };
  if (indicator()) indicator().hidden = false;
  ctx.onLeave(stop);
  next();
  return stop;
}
