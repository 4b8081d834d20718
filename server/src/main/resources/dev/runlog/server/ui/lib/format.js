// Numbers, times and durations as a person scanning a dense table wants them.

const pad = (n) => String(n).padStart(2, '0');

export function time(ms) {
  if (ms == null) return '';
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
    + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

export function duration(startMs, endMs) {
  if (startMs == null) return '';
  let s = Math.max(0, Math.round(((endMs == null ? Date.now() : endMs) - startMs) / 1000));
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  s %= 60;
  if (m < 60) return m + 'm ' + pad(s) + 's';
  const hr = Math.floor(m / 60);
  return hr + 'h ' + pad(m % 60) + 'm';
}

export function ago(ms) {
  if (ms == null) return '';
  const s = (Date.now() - ms) / 1000;
  if (s < 60) return 'just now';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

export function num(v) {
  if (v == null) return '';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e12) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

export function bytes(n) {
  if (n == null) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

/** A run's user, source and parent, whichever tag family (Runlog's or MLflow's) holds them. */
export function user(run) {
  return run.tags['mlflow.user'] ?? run.tags['runlog.user'] ?? '';
}

export function source(run) {
  return run.tags['mlflow.source.name'] ?? run.tags['runlog.source.name'] ?? '';
}

export function parentId(run) {
  return run.tags['mlflow.parentRunId'] ?? run.tags['runlog.parentRunId'] ?? null;
}

/** A list kept in the URL as a comma-separated parameter. */
export function list(text) {
  return text ? text.split(',').filter(Boolean) : [];
}
