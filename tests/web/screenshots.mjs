// Screenshots of every dashboard page, to look at: node screenshots.mjs URL USER PASSWORD OUTDIR
// Sizes: a laptop, a desktop and a phone held upright.
import {mkdirSync} from 'node:fs';
import {launch, signIn} from './browser.mjs';

const [baseUrl, user, password, out] = process.argv.slice(2);
const pages = ['overview', 'trend', 'heatmap', 'stores', 'comments', 'alerts', 'fleet', 'surveys'];
const sizes = [[1280, 800], [1920, 1080], [390, 844]];
mkdirSync(out, {recursive: true});
const browser = await launch();
const page = await browser.context.newPage();
await page.setViewportSize({width: 1280, height: 800});
await page.goto(baseUrl);
await page.screenshot({path: `${out}/login-1280x800.png`});
await signIn(page, baseUrl, user, password);
for (const [width, height] of sizes) {
  await page.setViewportSize({width, height});
  for (const name of pages) {
    await page.goto(`${baseUrl}#${name}`);
    await page.waitForFunction(() => !document.querySelector('#page[aria-busy]') &&
                                     document.querySelector('#page').childElementCount > 0);
    await page.screenshot({path: `${out}/${name}-${width}x${height}.png`, fullPage: true});
  }
}
await browser.close();
console.log(`screenshots in ${out}`);
