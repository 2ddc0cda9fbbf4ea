// Small hand-written SVG charts. Each draws into a viewBox and scales to its card; each mark
// carries its numbers as data- attributes and a <title>, so a reader can hover for the exact
// figure and the end-to-end test can compare the chart with the API.
import {s} from './dom.js';
import {WEEKDAYS, count, mean, needName, percent, scoreColor} from './format.js';

function title(text) {
  return s('title', {text});
}

// A small square of a colour, beside a figure.
export function swatch(color) {
  return s('svg', {class: 'swatch', viewBox: '0 0 10 10', 'aria-hidden': 'true'},
           s('rect', {width: 10, height: 10, rx: 2, fill: color}));
}

// One horizontal bar split into the shares of scores 1 to 5.
export function distributionBar(distribution, width = 220, height = 14) {
  const total = distribution.reduce((a, b) => a + b, 0);
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
                        'aria-label': `Scores 1 to 5: ${distribution.join(', ')}`});
  let x = 0;
  distribution.forEach((n, i) => {
    const w = total ? (n / total) * width : 0;
    if (w > 0) {
      svg.append(s('rect', {x, y: 0, width: w, height, class: `s${i + 1}`, 'data-score': i + 1,
                            'data-count': n},
                   title(`${n} answered ${i + 1} (${percent(n / total)})`)));
    }
    x += w;
  });
  return svg;
}

// Ranked horizontal bars: rows of {key, label, value (0..max), text, suppressed}.
export function barList(rows, {max = 1, width = 400, row = 30, labelWidth = 110} = {}) {
  const height = rows.length * row + 4;
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img'});
  const barSpace = width - labelWidth - 70;
  rows.forEach((r, i) => {
    const y = i * row;
    svg.append(s('text', {x: 0, y: y + row * 0.62, class: 'label', text: r.label}));
    if (r.suppressed) {
      svg.append(s('text', {x: labelWidth, y: y + row * 0.62, text: 'fewer than 5 answers'}));
      return;
    }
    const w = Math.max(2, (r.value / max) * barSpace);
    svg.append(s('rect', {x: labelWidth, y: y + 6, width: w, height: row - 12, rx: 3,
                          class: r.color ? null : 'bar', fill: r.color, 'data-key': r.key, 'data-value': r.value},
                 title(`${r.label}: ${r.text}`)));
    svg.append(s('text', {x: labelWidth + w + 8, y: y + row * 0.62, class: 'value', text: r.text}));
  });
  return svg;
}

// Promoters, passives and detractors as one bar.
export function intentBar(intent, width = 400, height = 22) {
  const total = intent.promoters + intent.passives + intent.detractors;
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img'});
  let x = 0;
  for (const part of ['detractors', 'passives', 'promoters']) {
    const w = (intent[part] / total) * width;
    if (w > 0) {
      svg.append(s('rect', {x, y: 0, width: w, height, class: part, 'data-part': part,
                            'data-count': intent[part]},
                   title(`${part}: ${count(intent[part])} (${percent(intent[part] / total)})`)));
    }
    x += w;
  }
  return svg;
}

// The daily mean as a line on a 1-5 scale over the day's answer count as pale bars.
export function trendChart(days, {width = 1100, height = 340} = {}) {
  const left = 40;
  const bottom = 28;
  const plotW = width - left - 10;
  const plotH = height - bottom - 10;
  const step = plotW / Math.max(1, days.length);
  const most = Math.max(1, ...days.map((d) => d.answers || 0));
  const yOf = (m) => 10 + plotH - ((m - 1) / 4) * plotH;
  const svg = s('svg', {class: 'chart trend', viewBox: `0 0 ${width} ${height}`, role: 'img',
                        'aria-label': 'Daily mean score'});
  for (let m = 1; m <= 5; m += 1) {
    svg.append(s('line', {x1: left, x2: width - 10, y1: yOf(m), y2: yOf(m), class: 'axis'}),
               s('text', {x: left - 8, y: yOf(m) + 4, 'text-anchor': 'end', text: m}));
  }
  const labelEvery = Math.ceil(days.length / 10);
  const segments = [[]];  // a day without a figure breaks the line: it does not pretend to know
  days.forEach((day, i) => {
    const x = left + i * step + step / 2;
    if (day.answers) {
      const h = (day.answers / most) * plotH * 0.45;
      svg.append(s('rect', {x: x - step * 0.35, y: 10 + plotH - h, width: step * 0.7, height: h,
                            class: 'count'}, title(`${day.date}: ${count(day.answers)} answers`)));
    }
    if (i % labelEvery === 0) {
      svg.append(s('text', {x, y: height - 8, 'text-anchor': 'middle', text: day.date.slice(5)}));
    }
    if (day.mean === null || day.mean === undefined) {
      segments.push([]);
      return;
    }
    segments[segments.length - 1].push(`${x.toFixed(1)},${yOf(day.mean).toFixed(1)}`);
  });
  const d = segments.filter((points) => points.length).map((points) => `M${points.join('L')}`).join('');
  if (d) svg.append(s('path', {d, class: 'line'}));
  days.forEach((day, i) => {
    if (day.mean === null || day.mean === undefined) return;
    const x = left + i * step + step / 2;
    svg.append(s('circle', {cx: x, cy: yOf(day.mean), r: 4, class: 'dot', 'data-date': day.date,
                            'data-mean': day.mean, 'data-answers': day.answers},
                 title(`${day.date}: mean ${mean(day.mean)} from ${count(day.answers)} answers`)));
  });
  return svg;
}

// Weekday x hour cells coloured by their mean; hatched grey when suppressed. Only the hours that
// have answers at all are drawn, so a store open 8 to 20 gets wide cells.
export function heatmap(cells, {width = 1100} = {}) {
  const hours = cells.map((c) => c.hour);
  const first = hours.length ? Math.min(...hours) : 8;
  const last = hours.length ? Math.max(...hours) : 20;
  const left = 90;
  const top = 22;
  const cellW = (width - left) / (last - first + 1);
  const cellH = 34;
  const svg = s('svg', {class: 'chart heatmap', viewBox: `0 0 ${width} ${top + 7 * cellH + 4}`,
                        role: 'img', 'aria-label': 'Mean score by weekday and hour'});
  for (let hour = first; hour <= last; hour += 1) {
    svg.append(s('text', {x: left + (hour - first + 0.5) * cellW, y: 14, 'text-anchor': 'middle',
                          text: `${String(hour).padStart(2, '0')}h`}));
  }
  // Monday first, as shops plan their weeks.
  const order = [1, 2, 3, 4, 5, 6, 0];
  order.forEach((weekday, row) => {
    const y = top + row * cellH;
    svg.append(s('text', {x: 0, y: y + cellH * 0.62, class: 'label', text: WEEKDAYS[weekday]}));
    for (let hour = first; hour <= last; hour += 1) {
      const cell = cells.find((c) => c.weekday === weekday && c.hour === hour);
      const x = left + (hour - first) * cellW;
      if (!cell) continue;
      const attributes = {x: x + 1, y: y + 1, width: cellW - 2, height: cellH - 2, rx: 3,
                          'data-weekday': weekday, 'data-hour': hour};
      if (cell.suppressed || cell.mean === null) {
        svg.append(s('rect', {...attributes, class: 'hatch', 'data-suppressed': 'true'},
                     title(`${WEEKDAYS[weekday]} ${hour}:00 – fewer than 5 answers`)));
        continue;
      }
      svg.append(s('rect', {...attributes, fill: scoreColor(cell.mean), 'data-mean': cell.mean,
                            'data-answers': cell.answers},
                   title(`${WEEKDAYS[weekday]} ${hour}:00 – mean ${mean(cell.mean)} from ${count(cell.answers)} answers`)));
      if (cellW > 30) {
        svg.append(s('text', {x: x + cellW / 2, y: y + cellH * 0.62, 'text-anchor': 'middle',
                              class: 'value', text: mean(cell.mean)}));
      }
    }
  });
  return svg;
}

// Customers' mean and staff's estimate per need on one 1-5 axis.
export function gapChart(needs, {width = 400} = {}) {
  const row = 38;
  const left = 100;
  const right = width - 12;
  const xOf = (m) => left + ((m - 1) / 4) * (right - left);
  const svg = s('svg', {class: 'chart gap', viewBox: `0 0 ${width} ${needs.length * row + 24}`,
                        role: 'img'});
  for (let m = 1; m <= 5; m += 1) {
    svg.append(s('text', {x: xOf(m), y: needs.length * row + 18, 'text-anchor': 'middle', text: m}));
  }
  needs.forEach((need, i) => {
    const y = i * row + row / 2;
    svg.append(s('text', {x: 0, y: y + 4, class: 'label', text: needName(need.need)}),
               s('line', {x1: left, x2: right, y1: y, y2: y, class: 'axis'}));
    const customer = need.customer.suppressed ? null : need.customer.mean;
    const staff = need.staff.suppressed ? null : need.staff.mean;
    if (customer !== null && staff !== null) {
      svg.append(s('line', {x1: xOf(customer), x2: xOf(staff), y1: y, y2: y, stroke: '#8a98a3',
                            'stroke-width': 3}));
    }
    if (customer !== null) {
      svg.append(s('circle', {cx: xOf(customer), cy: y, r: 7, class: 'customer',
                              'data-need': need.need, 'data-side': 'customer', 'data-mean': customer},
                   title(`${needName(need.need)}: customers ${mean(customer)}`)));
    }
    if (staff !== null) {
      svg.append(s('rect', {x: xOf(staff) - 6, y: y - 6, width: 12, height: 12, class: 'staff',
                            'data-need': need.need, 'data-side': 'staff', 'data-mean': staff},
                   title(`${needName(need.need)}: staff estimate ${mean(staff)}`)));
    }
  });
  return svg;
}
