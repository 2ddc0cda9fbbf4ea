// The linkage's charts, hand-written SVG like charts.js: a correlation by lag with its intervals,
// the key drivers' shares with their bootstrap intervals, and importance against performance.
// Every mark carries its figures as data- attributes and a <title>.
import {s} from './dom.js';
import {mean, needName, percent} from './format.js';

function title(text) {
  return s('title', {text});
}

const fixed = (value, digits = 2) => value.toFixed(digits).replace('-', '−');

// r at each lag 0-8 with its 95% interval; a significant lag is a filled dot, the others hollow.
export function lagChart(link, {width = 360, height = 170} = {}) {
  const left = 34;
  const bottom = 30;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const shown = link.lags.filter((lag) => lag.enough);
  const reach = Math.max(0.2, ...shown.map((lag) => Math.max(Math.abs(lag.low), Math.abs(lag.high))));
  const limit = Math.min(1, Math.ceil(reach * 5) / 5);
  const yOf = (r) => top + plotH / 2 - (r / limit) * (plotH / 2);
  const step = plotW / link.lags.length;
  const svg = s('svg', {class: 'chart lags', viewBox: `0 0 ${width} ${height}`, role: 'img',
                        'aria-label': `Correlation by lag, 0 to ${link.lags.length - 1} weeks`});
  for (const r of [-limit, 0, limit]) {
    svg.append(s('line', {x1: left, x2: width - 8, y1: yOf(r), y2: yOf(r),
                          class: r === 0 ? 'zero' : 'axis'}),
               s('text', {x: left - 6, y: yOf(r) + 4, 'text-anchor': 'end', text: fixed(r, 1)}));
  }
  link.lags.forEach((lag, i) => {
    const x = left + step * (i + 0.5);
    svg.append(s('text', {x, y: height - bottom + 16, 'text-anchor': 'middle', text: lag.lag_weeks}));
    if (!lag.enough) return;
    svg.append(s('line', {x1: x, x2: x, y1: yOf(lag.low), y2: yOf(lag.high), class: 'whisker'}),
               s('line', {x1: x - 4, x2: x + 4, y1: yOf(lag.low), y2: yOf(lag.low), class: 'whisker'}),
               s('line', {x1: x - 4, x2: x + 4, y1: yOf(lag.high), y2: yOf(lag.high), class: 'whisker'}),
               s('circle', {cx: x, cy: yOf(lag.r), r: 4.5,
                            class: lag.significant ? 'dot significant' : 'dot plain',
                            'data-lag': lag.lag_weeks, 'data-r': lag.r,
                            'data-significant': lag.significant ? 'true' : 'false'},
                 title(`${lag.lag_weeks} weeks: r ${fixed(lag.r)}, 95% CI ${fixed(lag.low)} to ` +
                       `${fixed(lag.high)}${lag.significant ? ', significant' : ''}`)));
  });
  svg.append(s('text', {x: left + plotW / 2, y: height - 2, 'text-anchor': 'middle',
                        text: 'lag (weeks)'}));
  return svg;
}

// Each need's share of the explained variation as a ranked bar with its bootstrap interval
// (the weight's interval over the same R²), and its current mean score beside it.
export function driverBars(group, {width = 520} = {}) {
  const row = 40;
  const left = 96;
  const right = 110;
  const barSpace = width - left - right;
  const scale = (share) => left + Math.max(0, Math.min(1, share)) * barSpace;
  const height = group.drivers.length * row + 26;
  const svg = s('svg', {class: 'chart drivers', viewBox: `0 0 ${width} ${height}`, role: 'img',
                        'aria-label': 'Share of the explained variation by need'});
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(s('line', {x1: scale(tick), x2: scale(tick), y1: 0, y2: height - 20, class: 'axis'}),
               s('text', {x: scale(tick), y: height - 6, 'text-anchor': 'middle', text: percent(tick)}));
  }
  svg.append(s('text', {x: width - right + 14, y: 12, class: 'head', text: 'score now'}));
  group.drivers.forEach((driver, i) => {
    const y = i * row + 14;
    const r2 = group.r_squared || 1;
    const low = driver.low / r2;
    const high = driver.high / r2;
    svg.append(
      s('text', {x: 0, y: y + 15, class: 'label', text: `${driver.rank}. ${needName(driver.need)}`}),
      s('rect', {x: left, y: y + 2, width: Math.max(2, scale(driver.share) - left), height: 18,
                 rx: 3, class: 'bar', 'data-need': driver.need, 'data-rank': driver.rank,
                 'data-share': driver.share},
        title(`${needName(driver.need)}: ${percent(driver.share)} of the explained variation ` +
              `(bootstrap 95%: ${percent(low)}–${percent(high)})`)),
      s('line', {x1: scale(low), x2: scale(high), y1: y + 11, y2: y + 11, class: 'whisker'}),
      s('line', {x1: scale(low), x2: scale(low), y1: y + 5, y2: y + 17, class: 'whisker'}),
      s('line', {x1: scale(high), x2: scale(high), y1: y + 5, y2: y + 17, class: 'whisker'}),
      s('text', {x: width - right + 14, y: y + 15, class: 'value',
                 text: `${percent(driver.share)} · ${mean(driver.score)}`}));
  });
  return svg;
}

// Importance (share) against performance (mean score): the midlines at the needs' mean score and
// at an equal share, so the top left holds what matters most and is met worst.
export function quadrantChart(group, {width = 420, height = 300} = {}) {
  const left = 54;
  const bottom = 36;
  const top = 10;
  const right = 12;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const scores = group.drivers.map((d) => d.score);
  const midX = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  const midY = 1 / Math.max(1, group.drivers.length);
  const spread = Math.max(0.5, ...scores.map((x) => Math.abs(x - midX) + 0.25));
  const [x0, x1] = [Math.max(1, midX - spread), Math.min(5, midX + spread)];
  const yMax = Math.min(1, Math.max(2 * midY, ...group.drivers.map((d) => d.share + 0.08)));
  const xOf = (x) => left + ((x - x0) / (x1 - x0)) * plotW;
  const yOf = (y) => top + plotH - (y / yMax) * plotH;
  const svg = s('svg', {class: 'chart quadrant', viewBox: `0 0 ${width} ${height}`, role: 'img',
                        'aria-label': 'Importance against performance'});
  svg.append(s('rect', {x: left, y: top, width: plotW, height: plotH, class: 'frame'}),
             s('line', {x1: xOf(midX), x2: xOf(midX), y1: top, y2: top + plotH, class: 'mid'}),
             s('line', {x1: left, x2: left + plotW, y1: yOf(midY), y2: yOf(midY), class: 'mid'}));
  const corners = [['Fix first', left + 6, top + 16, 'start'], ['Keep up', left + plotW - 6, top + 16, 'end'],
                   ['Watch', left + 6, top + plotH - 8, 'start'], ['Maintain', left + plotW - 6, top + plotH - 8, 'end']];
  for (const [text, x, y, anchor] of corners) {
    svg.append(s('text', {x, y, 'text-anchor': anchor, class: `corner${text === 'Fix first' ? ' urgent' : ''}`, text}));
  }
  for (const tick of [x0, midX, x1]) {
    svg.append(s('text', {x: xOf(tick), y: top + plotH + 16, 'text-anchor': 'middle', text: tick.toFixed(2)}));
  }
  for (const tick of [0, midY, yMax]) {
    svg.append(s('text', {x: left - 6, y: yOf(tick) + 4, 'text-anchor': 'end', text: percent(tick)}));
  }
  svg.append(s('text', {x: left + plotW / 2, y: height - 4, 'text-anchor': 'middle',
                        text: 'performance: mean score (1–5) →'}),
             s('text', {x: 10, y: top + plotH / 2, 'text-anchor': 'middle',
                        transform: `rotate(-90 10 ${top + plotH / 2})`, text: 'importance →'}));
  for (const driver of group.drivers) {
    const x = xOf(driver.score);
    const y = yOf(driver.share);
    svg.append(s('circle', {cx: x, cy: y, r: 6, class: 'dot', 'data-need': driver.need,
                            'data-quadrant': driver.quadrant},
                 title(`${needName(driver.need)}: ${percent(driver.share)} of the explained ` +
                       `variation, mean score ${mean(driver.score)} – ${driver.quadrant}`)),
               s('text', {x: x + 10, y: y + 4, class: 'label', text: needName(driver.need)}));
  }
  return svg;
}
