// Words and numbers as a store manager reads them, not as the database holds them.
const NEED_NAMES = {
  trust: 'Trust',
  control: 'Control',
  support: 'Support',
  flexibility: 'Flexibility',
  balance: 'Balance',
};

// The survey's order: trust, control and support first, as the kiosk asks them.
export function byNeedOrder(a, b) {
  const order = Object.keys(NEED_NAMES);
  const rank = (id) => (order.includes(id) ? order.indexOf(id) : order.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function needName(id) {
  if (!id) return 'All needs';
  return NEED_NAMES[id] || id.charAt(0).toUpperCase() + id.slice(1).replace(/[_-]/g, ' ');
}

const LANGUAGES = {en: 'English', es: 'Español', fr: 'Français', de: 'Deutsch', el: 'Ελληνικά'};
export function languageName(code) {
  return LANGUAGES[code] || code;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function mean(value) {
  return value === null || value === undefined ? '–' : value.toFixed(1);
}

export function percent(share) {
  return `${Math.round(share * 100)}%`;
}

export function count(n) {
  return n.toLocaleString('en');
}

export function signed(value, digits = 1) {
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value).toFixed(digits)}`;
}

// A colour for a mean on the 1-5 scale, blended between the five score colours, so 3.4 and 3.6
// look close, as they are.
const SCALE = [[215, 48, 31], [252, 141, 89], [207, 207, 207], [145, 191, 219], [69, 117, 180]];
export function scoreColor(value) {
  const position = Math.min(4, Math.max(0, value - 1));
  const low = Math.min(3, Math.floor(position));
  const t = position - low;
  const rgb = SCALE[low].map((c, i) => Math.round(c + (SCALE[low + 1][i] - c) * t));
  return `rgb(${rgb.join(',')})`;
}

export function dateTime(ms) {
  if (ms === null || ms === undefined) return 'never';
  return new Date(ms).toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'short'});
}

// "5 minutes ago", "3 days ago".
export function ago(ms, nowMs) {
  if (ms === null || ms === undefined) return 'never';
  return duration(Math.max(0, nowMs - ms) / 1000) + ' ago';
}

export function duration(seconds) {
  const units = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return seconds < 1 ? 'just now' : `${Math.round(seconds)} seconds`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export const SUPPRESSED_TEXT = 'Fewer than 5 answers: not shown, to keep answers anonymous.';
