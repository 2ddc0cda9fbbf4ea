// The kiosk's customer flow (kiosk/flow/flow.cpp) as a page: attract, one face screen per enabled
// need, least met, comment, intent, thank you; 20 s of silence on a question abandons the answer,
// "thank you" stays 3 s. Answers go to localStorage, the page's stand-in for the kiosk's store.
'use strict';

const survey = SURVEY;  // from survey-data.js
const params = new URLSearchParams(location.search);
// Attract wave: one face lifted per step. The kiosk paces its steps by what a frame costs
// (0.4 s on a GPU, ~4 s with software rendering); the bench passes the pace it compares against.
const attractStepMs = Number(params.get('step_ms') || 400);
const idleTimeoutMs = 20000;
const thankYouMs = 3000;

const needs = survey.needs.filter((need) => need.enabled);
const questionCount = needs.length + 3;  // needs, least met, comment, intent
const screenElement = document.getElementById('screen');

let state = initialState();
let timer = 0;

function initialState(language = survey.default_language) {
  return {screen: 'attract', language, needIndex: 0, scores: needs.map(() => 0), leastMet: '',
          intent: null, comment: '', shift: false, symbols: false, startedAt: 0, step: 0};
}

function words(map) { return map[state.language] ?? map[survey.default_language] ?? ''; }
function text(key) { return words(survey.texts[key]); }
function escape(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]);
}

// A face as in kiosk/screens/faces.cpp: colour, eyes (closed arcs for 5), brows for 1 and 2, a mouth
// from deep frown to open laugh. Unit radius; `lift` makes the mouth a little happier.
const faceColors = ['rgb(214 72 66)', 'rgb(235 136 61)', 'rgb(236 196 64)', 'rgb(142 196 80)', 'rgb(60 164 82)'];
const mouthBends = [-1, -0.5, 0, 0.55, 1];
const feature = 'rgb(36 36 40)';

function faceSvg(score, {lifted = false, label = ''} = {}) {
  const parts = [
    '<circle cx="0" cy="0.04" r="1" fill="rgb(0 0 0 / 0.16)"/>',
    `<circle r="1" fill="${faceColors[score - 1]}" stroke="${feature}" stroke-width="0.04"/>`,
  ];
  const eyeY = -0.18;
  for (const side of [-1, 1]) {
    const ex = side * 0.34;
    if (score === 5) {
      const r = 0.13, cy = eyeY + 0.06, a0 = Math.PI * 1.1, a1 = Math.PI * 1.9;
      parts.push(`<path d="M${ex + r * Math.cos(a0)} ${cy + r * Math.sin(a0)} A${r} ${r} 0 0 1 ` +
                 `${ex + r * Math.cos(a1)} ${cy + r * Math.sin(a1)}" fill="none" stroke="${feature}" stroke-width="0.08"/>`);
    } else {
      parts.push(`<circle cx="${ex}" cy="${eyeY}" r="0.1" fill="${feature}"/>`);
    }
    if (score <= 2) {
      const slant = score === 1 ? 0.16 : 0.08;
      parts.push(`<line x1="${side * 0.16}" y1="${eyeY - 0.2}" x2="${side * 0.52}" y2="${eyeY - 0.2 - slant}" ` +
                 `stroke="${feature}" stroke-width="0.07"/>`);
    }
  }
  const bend = Math.max(-1, Math.min(1, mouthBends[score - 1] + (lifted ? 0.15 : 0)));
  const halfW = 0.36 + 0.08 * Math.abs(bend), y = 0.38 - bend * 0.06, cy = y + bend * 0.42;
  const d = `M${-halfW} ${y} Q0 ${cy} ${halfW} ${y}`;
  parts.push(score === 5 ? `<path d="${d} Z" fill="${feature}"/>`
                         : `<path d="${d}" fill="none" stroke="${feature}" stroke-width="0.09"/>`);
  const role = label ? `role="img" aria-label="${escape(label)}"` : 'aria-hidden="true"';
  return `<svg viewBox="-1.1 -1.1 2.2 2.2" ${role}${lifted ? ' class="lifted"' : ''}>${parts.join('')}</svg>`;
}

function button(action, label, {cls = '', value = ''} = {}) {
  return `<button class="${cls}" data-action="${action}" data-value="${escape(value)}">${label}</button>`;
}

function topBar(header) {
  return `<div class="top-bar">${button('back', escape(text('back')), {cls: 'quiet'})}` +
         `<div class="header">${escape(header)}</div>` +
         `${button('start-over', escape(text('start_over')), {cls: 'quiet'})}</div>`;
}

function progress(number) {
  return text('question_progress').replace('{current}', number).replace('{total}', questionCount);
}

function attractWave() {
  const lifted = state.step % 5;
  return [1, 2, 3, 4, 5].map((score) => faceSvg(score, {lifted: score - 1 === lifted})).join('');
}

const screens = {
  attract() {
    const languages = survey.languages.map((language) =>
      button('language', escape(language.name),
             {cls: language.code === state.language ? 'selected' : '', value: language.code})).join('');
    return `<h1>${escape(text('attract_title'))}</h1><p class="subtitle">${escape(text('attract_subtitle'))}</p>` +
           `<div class="wave">${attractWave()}</div>` +
           `${button('start', escape(text('start')), {cls: 'primary start'})}<div class="languages">${languages}</div>`;
  },
  need() {
    const given = state.scores[state.needIndex];
    const faces = survey.scale.map((point) =>
      button('face', `${faceSvg(point.value, {label: words(point.word)})}<span>${escape(words(point.word))}</span>`,
             {cls: given === point.value ? 'selected' : '', value: point.value})).join('');
    return topBar(progress(state.needIndex + 1)) +
           `<div class="question"><h1>${escape(words(needs[state.needIndex].statement))}</h1></div>` +
           `<div class="faces">${faces}</div>`;
  },
  leastMet() {
    const choices = needs.map((need) =>
      button('least-met', escape(words(need.label)), {cls: state.leastMet === need.id ? 'selected' : '', value: need.id})).join('');
    return topBar(progress(needs.length + 1)) +
           `<div class="question"><h1>${escape(words(survey.least_met_question))}</h1></div>` +
           `<div class="choices">${choices}</div>`;
  },
  comment() {
    const keys = survey.keyboards[state.language] ?? survey.keyboards[survey.default_language];
    const rows = (state.symbols ? keys.symbols : keys.letters).map((row) =>
      `<div class="row">${[...row].map((key) => {
        const shown = state.shift ? key.toLocaleUpperCase(state.language) : key;
        return button('key', escape(shown), {value: shown});
      }).join('')}</div>`).join('');
    const shiftIcon = `<svg viewBox="0 0 20 20"><path d="M10 2 L18 10 H13.5 V18 H6.5 V10 H2 Z" ` +
                      `fill="${state.shift ? 'currentColor' : 'none'}" stroke="currentColor" stroke-width="1.6"/></svg>`;
    const backspaceIcon = '<svg viewBox="0 0 24 20"><path d="M7 3 H22 V17 H7 L1 10 Z M11 6.5 L17 13.5 M17 6.5 L11 13.5" ' +
                          'fill="none" stroke="currentColor" stroke-width="1.8"/></svg>';
    const typed = state.comment
      ? `<div class="text">${escape(state.comment)}|</div>`
      : `<div class="text empty">${escape(text('comment_placeholder'))}</div>`;
    return topBar(words(survey.comment.prompt)) +
           `<div class="comment-row">${typed}${button('skip', escape(text('skip')))}` +
           `${button('done', escape(text('done')), {cls: 'primary'})}</div>` +
           `<div class="keyboard">${rows}<div class="row">` +
           `${button('shift', shiftIcon, {cls: 'wide' + (state.shift ? ' selected' : '')})}` +
           `${button('symbols', escape(text(state.symbols ? 'letters' : 'symbols')), {cls: 'wide'})}` +
           `${button('space', escape(text('space')), {cls: 'space'})}${button('backspace', backspaceIcon, {cls: 'wide'})}` +
           '</div></div>';
  },
  intent() {
    const scores = Array.from({length: 11}, (_, i) =>
      button('intent', String(i), {cls: state.intent === i ? 'selected' : '', value: i})).join('');
    return topBar(progress(needs.length + 3)) +
           `<div class="question"><h1>${escape(words(survey.intent.question))}</h1></div>` +
           `<div class="scores">${scores}</div><div class="scale-labels">` +
           `<span>0 = ${escape(words(survey.intent.low_label))}</span>` +
           `<span>10 = ${escape(words(survey.intent.high_label))}</span></div>`;
  },
  thankYou() {
    return `${faceSvg(5)}<h1>${escape(text('thank_you_title'))}</h1><p>${escape(text('thank_you_body'))}</p>`;
  },
};

function render() {
  screenElement.className = state.screen === 'thankYou' ? 'thanks' : state.screen;
  screenElement.innerHTML = screens[state.screen]();
  document.documentElement.lang = state.language;
  schedule();
}

// One timer at a time: the attract wave's next step, the question's idle timeout, or the end of
// "thank you". Nothing else wakes the page.
function schedule() {
  clearTimeout(timer);
  if (state.screen === 'attract') {
    timer = setTimeout(() => {
      state.step += 1;
      screenElement.querySelector('.wave').innerHTML = attractWave();
      schedule();
    }, attractStepMs);
  } else if (state.screen === 'thankYou') {
    timer = setTimeout(() => goToAttract(), thankYouMs);
  } else {
    timer = setTimeout(() => abandon(), idleTimeoutMs);
  }
}

function record(status) {
  const answers = JSON.parse(localStorage.getItem('doorstep-answers') || '[]');
  answers.push({id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, survey: survey.id,
                version: survey.version, status, language: state.language, started_at: state.startedAt,
                finished_at: Date.now(), scores: Object.fromEntries(needs.map((n, i) => [n.id, state.scores[i] || null])),
                least_met: state.leastMet, intent: state.intent, comment: state.comment});
  localStorage.setItem('doorstep-answers', JSON.stringify(answers));
}

function anyAnswer() {
  return state.scores.some((s) => s !== 0) || state.leastMet !== '' || state.intent !== null || state.comment !== '';
}

function abandon() {
  if (anyAnswer()) record('abandoned');
  goToAttract();
}

function goToAttract() {
  state = initialState();
  render();
}

const previousScreen = {leastMet: 'need', comment: 'leastMet', intent: 'comment'};

function handle(action, value) {
  switch (action) {
    case 'language': state.language = value; break;
    case 'start': state.screen = 'need'; state.needIndex = 0; state.startedAt = Date.now(); break;
    case 'face':
      state.scores[state.needIndex] = Number(value);
      if (state.needIndex + 1 < needs.length) state.needIndex += 1; else state.screen = 'leastMet';
      break;
    case 'least-met': state.leastMet = value; state.screen = 'comment'; break;
    case 'key':
      if ([...state.comment].length < survey.comment.max_chars) state.comment += value;
      state.shift = false;
      break;
    case 'space': state.comment += ' '; break;
    case 'backspace': state.comment = [...state.comment].slice(0, -1).join(''); break;
    case 'shift': state.shift = !state.shift; break;
    case 'symbols': state.symbols = !state.symbols; break;
    case 'skip': state.comment = ''; state.screen = 'intent'; break;
    case 'done': state.screen = 'intent'; break;
    case 'intent': state.intent = Number(value); record('completed'); state.screen = 'thankYou'; break;
    case 'start-over': abandon(); return;
    case 'back':
      if (state.screen === 'need' && state.needIndex > 0) state.needIndex -= 1;
      else if (state.screen === 'need') { goToAttract(); return; }
      else state.screen = previousScreen[state.screen];
      break;
    default: return;
  }
  render();
}

screenElement.addEventListener('click', (event) => {
  const target = event.target.closest('button');
  if (target) {
    handle(target.dataset.action, target.dataset.value);
  } else if (state.screen === 'attract') {
    handle('start', '');  // anywhere but a language button starts, as on the kiosk
  } else if (state.screen === 'thankYou') {
    goToAttract();
  }
});

render();
// First frame: the second animation frame's callback runs once the first frame, with the attract
// screen in it, has been produced. The bench reads this wall-clock time from the window title.
requestAnimationFrame(() => requestAnimationFrame(() => {
  document.title = `doorstep-first-frame ${Date.now()}`;
}));
